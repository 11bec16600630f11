// The operator's "create a tenant" command: the tenant document and its first admin, a Firebase Auth user whose
// custom claims {tenant, role: "admin"} are what the admin API trusts.
import type { Firestore } from '@google-cloud/firestore';
import type { Auth } from 'firebase-admin/auth';
import { AppError } from '../errors.ts';
import { pushPaths } from '../push/push-documents.ts';
import { TENANT_ID, tenantRef, type TenantDocument } from './tenant.ts';

/** What the operator gives. */
export interface NewTenant {
  readonly id: string;
  readonly name: string;
  readonly plan: string;
  readonly timeZone: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
}

function validate(input: NewTenant): void {
  const problems: string[] = [];
  if (!TENANT_ID.test(input.id)) problems.push('id must be 1-40 lowercase letters, digits or hyphens');
  if (!input.name.trim()) problems.push('name is required');
  if (!/^[a-z]+$/.test(input.plan)) problems.push('plan must be a plan name such as business, ultimate or essentials');
  if (!isTimeZone(input.timeZone))
    problems.push(`time zone "${input.timeZone}" is not an IANA time zone such as Europe/Berlin`);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.adminEmail)) problems.push('admin e-mail is not an e-mail address');
  if (input.adminPassword.length < 8) problems.push('admin password must have at least 8 characters');
  if (problems.length > 0) throw new AppError('invalid_request', `Cannot create the tenant: ${problems.join('; ')}.`);
}

/** Whether a string is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Creates the tenant and its first admin; refuses an existing tenant id or e-mail, and leaves nothing half-made. */
export async function createTenant(
  deps: { db: Firestore; auth: Auth },
  input: NewTenant,
): Promise<{ adminUid: string }> {
  validate(input);
  const existing = await deps.auth.getUserByEmail(input.adminEmail).catch((error: unknown) => {
    if ((error as { code?: unknown } | null)?.code === 'auth/user-not-found') return undefined;
    throw error;
  });
  if (existing)
    throw new AppError(
      'conflict',
      `A user with the e-mail ${input.adminEmail} already exists; choose another admin e-mail.`,
    );
  const tenant: TenantDocument = {
    name: input.name.trim(),
    plan: input.plan,
    timeZone: input.timeZone,
    status: 'active',
    createdAt: new Date().toISOString(),
  };
  const ref = tenantRef(deps.db, input.id);
  try {
    await ref.create(tenant);
  } catch (error) {
    if ((error as { code?: number }).code === 6) throw new AppError('conflict', `Tenant "${input.id}" already exists.`);
    throw error;
  }
  try {
    const user = await deps.auth.createUser({
      email: input.adminEmail,
      password: input.adminPassword,
      emailVerified: true,
    });
    await deps.auth.setCustomUserClaims(user.uid, { tenant: input.id, role: 'admin' }).catch(async (error: unknown) => {
      await deps.auth.deleteUser(user.uid);
      throw error;
    });
    return { adminUid: user.uid };
  } catch (error) {
    await ref.delete();
    throw error;
  }
}

/** Changes a tenant's plan: a downgrade keeps the data but stops the integration. */
export async function setTenantPlan(db: Firestore, tenantId: string, plan: string): Promise<void> {
  if (!TENANT_ID.test(tenantId))
    throw new AppError('invalid_request', 'id must be 1-40 lowercase letters, digits or hyphens');
  if (!/^[a-z]+$/.test(plan))
    throw new AppError('invalid_request', 'plan must be a plan name such as business or essentials');
  try {
    await tenantRef(db, tenantId).update({ plan, updatedAt: new Date().toISOString() });
    // A plan without the integration keeps no push channels, and one with it gets them back: the next tick sees.
    await pushPaths(db, tenantId).channelsState.set({ renewAt: 0 }, { merge: true });
  } catch (error) {
    if ((error as { code?: number }).code === 5) throw new AppError('not_found', `There is no tenant "${tenantId}".`);
    throw error;
  }
}
