import type { RoleSessionCache, RoleSessionRequest, RoleSessionResult } from './role-session-cache';

/** No cross-process cache: every request assumes the role (nothing is read or written on disk). */
export class NoRoleSessionCache implements RoleSessionCache {
  async session(request: RoleSessionRequest): Promise<RoleSessionResult> {
    return { credentials: await request.assume(), source: 'assumed', key: undefined };
  }
}
