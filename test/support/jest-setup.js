// Silence the AWS SDK's Node 20 end-of-support notice in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
