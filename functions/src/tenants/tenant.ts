// A tenant is one PBX account. The Google Workspace integration is part of the Business and Ultimate plans only.
import type { Firestore } from '@google-cloud/firestore';
import { AppError } from '../errors.ts';

/** The plans the integration is available on. */
export const INTEGRATION_PLANS = ['business', 'ultimate'] as const;

/** The tenant document, `tenants/{tenantId}`. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly plan: string;
  readonly timeZone: string;
  readonly status: 'active' | 'suspended';
}

/** Tenant ids appear in URLs, document paths and secret ids, so they are kept to a safe alphabet. */
export const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const planNames: Record<string, string> = { business: 'Business', ultimate: 'Ultimate', essentials: 'Essentials' };

/** The plan's name as the portal shows it. */
export function planName(plan: string): string {
  return planNames[plan] ?? plan.charAt(0).toUpperCase() + plan.slice(1);
}

/** Whether the tenant's plan includes the integration. */
export function hasIntegrationPlan(tenant: Pick<Tenant, 'plan'>): boolean {
  return (INTEGRATION_PLANS as readonly string[]).includes(tenant.plan);
}

/** Refuses every integration action on a plan without it; a downgraded tenant keeps its data. */
export function requireIntegrationPlan(tenant: Tenant): void {
  if (!hasIntegrationPlan(tenant)) {
    throw new AppError(
      'plan_required',
      `The Google Workspace integration needs the Teliqon Business or Ultimate plan; this account is on ${planName(tenant.plan)}.`,
    );
  }
}

/** Reads a tenant, or fails with not_found. */
export async function getTenant(db: Firestore, tenantId: string): Promise<Tenant> {
  const snapshot = await db.doc(`tenants/${tenantId}`).get();
  if (!snapshot.exists) throw new AppError('not_found', `There is no PBX account "${tenantId}".`);
  const data = snapshot.data() as Omit<Tenant, 'id'>;
  return { id: tenantId, name: data.name, plan: data.plan, timeZone: data.timeZone, status: data.status };
}
