// Which organisation a list call is about: `customer` (my_customer or a customer id) or `domain`.
import type { FixtureStore } from '../fixture/store.ts';
import type { Organisation } from '../fixture/types.ts';
import type { Caller } from './auth.ts';
import { badRequest, notAuthorized } from './errors.ts';

/** The organisation listed and, with `domain`, the only domain whose entries are listed. */
export interface ListScope {
  org: Organisation | undefined;
  domain?: string;
}

const CUSTOMER_ID = /^C[0-9a-z]{8}$/i;

/** Resolves `customer`/`domain`; 400 when neither is given or the customer is not a customer id. */
export function resolveListScope(
  fixtures: FixtureStore,
  caller: Caller,
  customer: string | undefined,
  domain: string | undefined,
): ListScope {
  if (customer) {
    // Google answers a domain name (or anything else that is not a customer id) given as customer with 400.
    if (customer !== 'my_customer' && !CUSTOMER_ID.test(customer)) throw badRequest();
    const org = customer === 'my_customer' ? caller.org : fixtures.orgByCustomerId(customer);
    if (!domain) return { org };
    if (org && fixtures.orgByDomain(domain)?.customerId !== org.customerId) throw notAuthorized();
    return { org, domain: domain.toLowerCase() };
  }
  if (domain) return { org: fixtures.orgByDomain(domain), domain: domain.toLowerCase() };
  throw badRequest();
}

/** Whether an email address is on the given domain (any domain when undefined). */
export function isOnDomain(email: string | null | undefined, domain: string | undefined): boolean {
  return domain === undefined || (email ?? '').toLowerCase().endsWith(`@${domain}`);
}
