// Who is calling the admin API: a Firebase ID token, verified with revocation checked. The tenant comes from the
// token's custom claims, never from the request.
import type { Auth } from 'firebase-admin/auth';
import { AppError } from '../errors.ts';
import { TENANT_ID } from '../tenants/tenant.ts';

/** A verified admin of one tenant. */
export interface AdminPrincipal {
  readonly uid: string;
  readonly email: string;
  readonly tenantId: string;
}

const refusals: Record<string, string> = {
  'auth/id-token-expired': 'Your session has expired. Sign in again.',
  'auth/id-token-revoked': 'Your session was ended. Sign in again.',
  'auth/user-disabled': 'This admin account is disabled.',
  'auth/user-not-found': 'This admin account no longer exists.',
};

/** Verifies the Authorization header and returns the admin, or throws unauthenticated/forbidden. */
export async function authenticateAdmin(auth: Auth, authorization: string | undefined): Promise<AdminPrincipal> {
  const token = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw new AppError('unauthenticated', 'Sign in to the Management Console.');
  let claims: Awaited<ReturnType<Auth['verifyIdToken']>>;
  try {
    claims = await auth.verifyIdToken(token, true);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    // Only a bad token is the caller's problem; a failure to fetch keys or check revocation is an outage.
    if (!/^auth\/(id-token-|argument-error|user-)/.test(code)) {
      throw new AppError('unavailable', 'Sign-in could not be checked right now. Try again in a moment.', {
        cause: error,
      });
    }
    throw new AppError('unauthenticated', refusals[code] ?? 'Your sign-in could not be verified. Sign in again.', {
      cause: error,
    });
  }
  const tenantId: unknown = claims['tenant'];
  if (claims['role'] !== 'admin' || typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
    throw new AppError('forbidden', 'This account is not an admin of a PBX account.');
  }
  return { uid: claims.uid, email: claims.email ?? '', tenantId };
}
