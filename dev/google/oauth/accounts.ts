// Google accounts as the stand-in's OpenID provider sees them: every Directory user of the fixture is a Workspace
// account (its `sub` is the Directory user id, its `hd` the domain of its primary e-mail), and any other address
// signs in as a consumer account with no `hd`, as a gmail.com user would.
import { createHash } from 'node:crypto';
import type { admin_directory_v1 } from '@googleapis/admin';
import type { Account, FindAccount } from 'oidc-provider';

type DirectoryUser = admin_directory_v1.Schema$User;

/** The Workspace users the stand-in knows, looked up across every organisation of the fixture. */
export interface WorkspaceUsers {
  userByEmail(email: string): DirectoryUser | undefined;
  userById(id: string): DirectoryUser | undefined;
  /** The primary domain of the organisation the user with this id belongs to. */
  primaryDomainOf(id: string): string | undefined;
}

/** Why Google would refuse a sign-in, or undefined when the account may sign in. */
export function signInRefusal(user: DirectoryUser | undefined): string | undefined {
  if (!user) return undefined;
  if (user.deletionTime) return "Couldn't find your Google Account";
  if (user.suspended) return 'Account disabled: this account has been suspended by your administrator';
  if (user.archived) return 'Account disabled: this account is archived';
  return undefined;
}

/** The subject of a sign-in by e-mail: the Directory id of a Workspace user, or a stable consumer id. */
export function subjectForEmail(users: WorkspaceUsers, email: string): string {
  return users.userByEmail(email)?.id ?? consumerId(email);
}

// Google subjects are long decimal strings; derive a stable one so repeated sign-ins match.
function consumerId(email: string): string {
  const digest = createHash('sha256').update(email.toLowerCase()).digest();
  return `1${digest.readBigUInt64BE(0).toString().padStart(20, '0')}`.slice(0, 21);
}

/** The provider's account lookup, giving Google's claims. */
export function findAccount(users: WorkspaceUsers, consumers: Map<string, string>): FindAccount {
  return async (_ctx, sub) => {
    const user = users.userById(sub);
    const consumerEmail = consumers.get(sub);
    if (!user && !consumerEmail) return undefined;
    const account: Account = {
      accountId: sub,
      async claims() {
        if (!user) {
          return { sub, email: consumerEmail, email_verified: true, name: consumerEmail };
        }
        const primaryEmail = user.primaryEmail ?? '';
        return {
          sub,
          email: primaryEmail,
          email_verified: true,
          hd: primaryEmail.slice(primaryEmail.indexOf('@') + 1),
          name: user.name?.fullName ?? undefined,
          given_name: user.name?.givenName ?? undefined,
          family_name: user.name?.familyName ?? undefined,
          locale: 'en',
        };
      },
    };
    return account;
  };
}
