import { join } from 'node:path';
import type {
  AwsCliRoleSessionCache,
  RoleSessionCache,
  RoleSessionRequest,
  RoleSessionResult,
} from '@credchain/aws';
import type { RoleSessionRecord } from './role-session-record';

/**
 * The CLI's role cache: the AWS CLI's own (`~/.aws/cli/cache`), remembering
 * which sessions came from it so `explain` can say so, and copying the
 * cache's debug lines to `--debug`.
 */
export class RecordingRoleSessionCache implements RoleSessionCache {
  private readonly used: RoleSessionRecord[] = [];

  constructor(
    private readonly inner: AwsCliRoleSessionCache,
    private readonly trace: (message: string) => void,
  ) {}

  /** The sessions used so far, in order (a role chain uses one per hop). */
  get records(): readonly RoleSessionRecord[] {
    return [...this.used];
  }

  async session(request: RoleSessionRequest): Promise<RoleSessionResult> {
    const result = await this.inner.session({
      ...request,
      logger: {
        debug: (line) => {
          request.logger.debug(line);
          this.trace(line);
        },
      },
    });
    if (result.key !== undefined) {
      this.used.push({
        key: result.key,
        file: join(this.inner.directoryFor(request.env), `${result.key}.json`),
        source: result.source,
        ...(result.written !== undefined && { written: result.written }),
        ...(result.notWrittenReason !== undefined && {
          notWrittenReason: result.notWrittenReason,
        }),
      });
    }
    return result;
  }
}
