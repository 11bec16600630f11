// Changes to the Google stand-in's directory for one test, always undone afterwards so the next test meets the
// demo organisation again.
import type { DirectoryMember, DirectoryUser, Organisation } from '../../dev/google/fixture/types.ts';
import { useStack } from './stack.ts';

/** Runs `use` with the directory changed by `change`, then restores it. */
export async function withDirectory<T>(
  change: (orgs: Organisation[]) => Organisation[],
  use: () => Promise<T>,
): Promise<T> {
  const stack = await useStack();
  const original = stack.google.fixtures.organisations;
  stack.google.fixtures.replace(change(structuredClone([...original])));
  try {
    return await use();
  } finally {
    stack.google.fixtures.replace(original);
    stack.google.faults.reset();
  }
}

/** Changes the users of the organisation on `domain`. */
export function editUsers(domain: string, edit: (users: DirectoryUser[]) => DirectoryUser[]) {
  return (orgs: Organisation[]): Organisation[] =>
    orgs.map((org) => (org.domain === domain ? { ...org, users: edit(org.users) } : org));
}

/** Changes the members of one group of the organisation on `domain` (the demo's by default). */
export function editMembers(
  group: string,
  edit: (members: DirectoryMember[]) => DirectoryMember[],
  domain = 'acme.example',
) {
  return (orgs: Organisation[]): Organisation[] =>
    orgs.map((org) =>
      org.domain === domain ? { ...org, members: { ...org.members, [group]: edit(org.members[group] ?? []) } } : org,
    );
}

/** An organisation of `count` active users on its own domain, with a super admin `admin@<domain>`. */
export function largeOrganisation(domain: string, customerId: string, count: number): Organisation {
  const users: DirectoryUser[] = [
    {
      id: '300000000000000000000',
      primaryEmail: `admin@${domain}`,
      name: { givenName: 'Big', familyName: 'Admin' },
      isAdmin: true,
      orgUnitPath: '/',
    },
  ];
  for (let i = 1; i < count; i++) {
    users.push({
      id: String(300000000000000000000n + BigInt(i)),
      primaryEmail: `user${i}@${domain}`,
      name: { givenName: `User${i}`, familyName: 'Large' },
      orgUnitPath: i % 2 === 0 ? '/Sales' : '/Support',
      phones: [{ type: 'mobile', value: `+1 555 ${String(i).padStart(7, '0')}` }],
      organizations: [{ title: 'Staff', primary: true }],
    });
  }
  return {
    domain,
    customerId,
    users,
    groups: [],
    members: {},
    orgUnits: [
      { name: 'Sales', orgUnitPath: '/Sales', parentOrgUnitPath: '/' },
      { name: 'Support', orgUnitPath: '/Support', parentOrgUnitPath: '/' },
    ],
  };
}
