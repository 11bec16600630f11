// Pages and functions under /t/{tenantId}/...: the tenant id of such a path, checked against the safe alphabet.
import { TENANT_ID } from '../tenants/tenant.ts';

/** The tenant id of `/t/{tenantId}{rest}`, or undefined when the path is not of that form. */
export function tenantOfPath(path: string, rest: string): string | undefined {
  const prefix = '/t/';
  if (!path.startsWith(prefix) || !path.endsWith(rest)) return undefined;
  let tenantId: string;
  try {
    tenantId = decodeURIComponent(path.slice(prefix.length, path.length - rest.length));
  } catch {
    return undefined;
  }
  return TENANT_ID.test(tenantId) ? tenantId : undefined;
}
