// Who may sign in: the Google user (`sub`, which is the Directory user id) must be linked to an extension of this
// tenant, Google must have verified the e-mail, `hd` must be the domain of the linked user's primary e-mail or the
// Workspace's primary domain, and the user must be neither suspended nor archived. Google documents `hd` only as
// "the domain associated with the Google Workspace organization"
// (https://developers.google.com/identity/openid-connect/openid-connect), which does not say what a user of a
// secondary domain gets, so both are admitted and no other. The link itself, written by the sync from this
// tenant's Directory, is the proof that the user belongs to the tenant's Workspace. The claims reaching here have
// passed openid-client's checks.
import type { Firestore } from '@google-cloud/firestore';
import type { StoredExtension } from '../extensions/extension.ts';
import { syncPaths } from '../tenants/paths.ts';
import { SsoError } from './sso-error.ts';

/** The ID token claims admission reads. */
export interface SignInClaims {
  readonly sub: string;
  readonly email?: unknown;
  readonly email_verified?: unknown;
  readonly hd?: unknown;
}

/** The tenant's extension linked to a Google user, as found through `googleLinks`. */
export interface LinkedExtension {
  readonly number: string;
  /** Undefined when the link points at an extension that no longer exists. */
  readonly extension: StoredExtension | undefined;
}

/** Finds the extension of this tenant linked to the Google user `sub`, through the sync's uniqueness key. */
export async function findLinkedExtension(
  db: Firestore,
  tenantId: string,
  sub: string,
): Promise<LinkedExtension | undefined> {
  const paths = syncPaths(db, tenantId);
  const link = (await paths.googleLink(sub).get()).data();
  if (!link) return undefined;
  const extension = await paths.extension(link.number).get();
  return { number: link.number, extension: extension.data() };
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Admits the signed-in Google user or throws the refusal; returns the extension number. Pure, so every rule is
 * unit-tested; `primaryDomain` is the Workspace's, as recorded at connect. */
export function admitUser(
  claims: SignInClaims,
  linked: LinkedExtension | undefined,
  primaryDomain: string | undefined,
): string {
  const email = typeof claims.email === 'string' ? claims.email : 'This Google account';
  const hd = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined;
  if (claims.email_verified !== true) {
    throw new SsoError(
      'email_unverified',
      `Google has not verified the e-mail address of ${email}, so it cannot be used to sign in.`,
    );
  }
  if (!linked) {
    if (hd === undefined) {
      throw new SsoError(
        'unknown_user',
        `${email} is a personal Google account. Sign in with the Google Workspace account of your organisation.`,
      );
    }
    if (primaryDomain && hd !== primaryDomain.toLowerCase()) {
      throw new SsoError(
        'other_domain',
        `${email} is not an account of ${primaryDomain}, the Google Workspace this PBX is connected to, and has no extension here.`,
      );
    }
    throw noExtension(email);
  }
  const google = linked.extension?.source === 'google' ? linked.extension.google : undefined;
  if (!google || google.userId !== claims.sub) throw noExtension(email);
  const domains = [
    ...new Set([domainOf(google.primaryEmail), ...(primaryDomain ? [primaryDomain.toLowerCase()] : [])]),
  ];
  if (hd === undefined || !domains.includes(hd)) {
    throw new SsoError(
      'other_domain',
      `Google did not confirm ${email} as an account of ${domains.join(' or ')}, the Google Workspace of extension ${linked.number}.`,
    );
  }
  if (google.status !== 'active') {
    throw new SsoError(
      'inactive_user',
      `${email} is ${google.status} in Google Workspace, so it cannot be used to sign in to the PBX.`,
    );
  }
  return linked.number;
}

function noExtension(email: string): SsoError {
  return new SsoError(
    'no_extension',
    `${email} has no extension on this PBX. Ask your PBX administrator to include your account in the user synchronization.`,
  );
}
