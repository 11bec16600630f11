// Whether a tenant offers "Sign in with Google", and with which OAuth client. The login page, the start and the
// callback all ask this one question, so the "G" button is shown exactly when a sign-in can succeed.
import type { Firestore } from '@google-cloud/firestore';
import { integrationOf, integrationRef, type IntegrationStatus } from '../connect/integration.ts';
import { getAllOf } from '../platform/typed-documents.ts';
import { hasIntegrationPlan, tenantOf, tenantRef, type Tenant } from '../tenants/tenant.ts';

/** Integration statuses that allow sign-in: SSO keeps working while a reauthorization is pending. */
export const SIGN_IN_STATUSES: readonly IntegrationStatus[] = ['connected', 'reauthorization_required'];

/** What a sign-in of the tenant uses. */
export interface SignInSetup {
  readonly tenant: Tenant;
  readonly clientId: string;
  readonly clientSecretVersion: string;
  /** The Workspace's primary domain, sent to Google as the `hd` hint. */
  readonly primaryDomain: string | undefined;
}

/** The tenant's sign-in setup, or undefined when it has no such tenant, plan or connected integration. */
export async function readSignInSetup(db: Firestore, tenantId: string): Promise<SignInSetup | undefined> {
  // Both documents in one read: every sign-in page, start and callback waits for it.
  const [tenantSnapshot, integrationSnapshot] = await getAllOf(
    db,
    tenantRef(db, tenantId),
    integrationRef(db, tenantId),
  );
  const tenantData = tenantSnapshot.data();
  const tenant = tenantData && tenantOf(tenantId, tenantData);
  const integration = integrationOf(integrationSnapshot.data());
  const clientSecretVersion = integration.credentials?.clientSecretVersion;
  // A downgraded tenant keeps its data, but its "G" button is hidden until it is upgraded again.
  if (!tenant || !hasIntegrationPlan(tenant) || !SIGN_IN_STATUSES.includes(integration.status)) return undefined;
  if (!integration.clientId || !clientSecretVersion) return undefined;
  return { tenant, clientId: integration.clientId, clientSecretVersion, primaryDomain: integration.primaryDomain };
}
