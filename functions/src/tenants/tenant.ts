// A tenant is one PBX account. The Google Workspace integration is part of the Business and Ultimate plans only.
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { documentConverter, documentSchema } from '../platform/typed-documents.ts';

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

/** The tenant document as stored: the tenant without its id, which is the document's. */
export interface TenantDocument extends Omit<Tenant, 'id'> {
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

const tenantDocument = documentConverter<TenantDocument>(
  documentSchema<TenantDocument>()({
    name: z.string(),
    plan: z.string(),
    timeZone: z.string(),
    status: z.enum(['active', 'suspended']),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  }),
);

/** The document of a tenant. */
export function tenantRef(db: Firestore, tenantId: string) {
  return db.doc(`tenants/${tenantId}`).withConverter(tenantDocument);
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

/** The tenant of a stored tenant document. */
export function tenantOf(tenantId: string, data: TenantDocument): Tenant {
  return { id: tenantId, name: data.name, plan: data.plan, timeZone: data.timeZone, status: data.status };
}

/** Reads a tenant, or fails with not_found. */
export async function getTenant(db: Firestore, tenantId: string): Promise<Tenant> {
  const data = (await tenantRef(db, tenantId).get()).data();
  if (!data) throw new AppError('not_found', `There is no PBX account "${tenantId}".`);
  return tenantOf(tenantId, data);
}
