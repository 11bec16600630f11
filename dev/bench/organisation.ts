// A generated Google Workspace organisation of any size for the sync benchmark. It has its own domain and
// customer, so the demo organisation keeps being served beside it unchanged.
import type { DirectoryUser, Organisation } from '../google/fixture/types.ts';

/** The generated organisation's primary domain. */
export const BENCH_DOMAIN = 'bench-sync.example';
/** Its customer id, in Google's format. */
export const BENCH_CUSTOMER_ID = 'C0bench01';
/** Its super admin, who consents to the connect. */
export const BENCH_ADMIN_EMAIL = `admin@${BENCH_DOMAIN}`;
/** A group of every tenth user, for the group range's measurement. */
export const BENCH_GROUP_EMAIL = `tenth@${BENCH_DOMAIN}`;

// Distinct from the demo's ids (which start with 1) and the test suite's (which start with 3).
const FIRST_ID = 400000000000000000000n;

const UNITS = ['Sales', 'Support', 'Engineering', 'Operations'] as const;

/** The super admin plus `count` active users spread over four units, each with the fields the sync maps, and a
 * group of every tenth user. */
export function benchOrganisation(count: number): Organisation {
  const users: DirectoryUser[] = [
    {
      id: String(FIRST_ID),
      primaryEmail: BENCH_ADMIN_EMAIL,
      name: { givenName: 'Bench', familyName: 'Admin' },
      isAdmin: true,
      orgUnitPath: '/',
    },
  ];
  for (let i = 1; i <= count; i++) {
    users.push({
      id: String(FIRST_ID + BigInt(i)),
      primaryEmail: `user${i}@${BENCH_DOMAIN}`,
      name: { givenName: `User${i}`, familyName: 'Bench' },
      orgUnitPath: `/${UNITS[i % UNITS.length]}`,
      phones: [{ type: 'mobile', value: `+1 555 ${String(i).padStart(7, '0')}` }],
      organizations: [{ title: i % 10 === 0 ? 'Team Lead' : 'Staff', primary: true }],
    });
  }
  return {
    domain: BENCH_DOMAIN,
    customerId: BENCH_CUSTOMER_ID,
    users,
    groups: [{ email: BENCH_GROUP_EMAIL, name: 'Every tenth user' }],
    members: {
      [BENCH_GROUP_EMAIL]: users
        .filter((_, i) => i > 0 && i % 10 === 0)
        .map((user) => ({ email: user.primaryEmail ?? '', role: 'MEMBER', type: 'USER' })),
    },
    orgUnits: UNITS.map((name) => ({ name, orgUnitPath: `/${name}`, parentOrgUnitPath: '/' })),
  };
}
