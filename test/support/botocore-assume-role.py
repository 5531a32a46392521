"""One role assumption through botocore's own AssumeRoleCredentialFetcher and
JSONFileCache -- the code the AWS CLI runs for a role profile -- against the
loopback STS. Prints {"accessKeyId": ...} (never a secret).

argv[1]: JSON {endpoint, dir, roleArn, extraArgs, accessKeyId, secretAccessKey}.
"""
import json
import sys

from botocore.credentials import AssumeRoleCredentialFetcher, Credentials
from botocore.session import Session
from botocore.utils import JSONFileCache

config = json.loads(sys.argv[1])
session = Session()


def client_creator(service_name, **kwargs):
    return session.create_client(
        service_name, region_name='us-east-1', endpoint_url=config['endpoint'], **kwargs
    )


fetcher = AssumeRoleCredentialFetcher(
    client_creator,
    Credentials(config['accessKeyId'], config['secretAccessKey']),
    config['roleArn'],
    extra_args=config['extraArgs'],
    mfa_prompter=lambda prompt: '123456',
    cache=JSONFileCache(config['dir']),
)
print(json.dumps({'accessKeyId': fetcher.fetch_credentials()['access_key']}))
