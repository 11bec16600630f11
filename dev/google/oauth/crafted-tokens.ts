// Crafted ID tokens for forged-input tests, and for the forms of genuine tokens Google may issue that the stand-in
// does not issue by default. The control endpoint queues one recipe; the next token response's genuine ID token is
// rewritten by it (claims changed or removed, header changed, signed with another key or not at all), so the
// product meets exactly the case the test names.
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';
import type { WorkspaceUsers } from './accounts.ts';
import type { SigningKey } from './keys.ts';

/** How to rewrite the next ID token. A claim set to null is removed. */
export interface IdTokenRecipe {
  /** Only the next token response to this client; others pass untouched, so background refreshes of other
   * clients cannot take a recipe meant for one test's sign-in. */
  readonly clientId?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly signWith?: 'provider' | 'foreign-key' | 'none';
  /** `iss` in Google's legacy form, the issuer without its scheme: `accounts.google.com` for Google. Google's
   * doc: "Verify that the value of the iss claim in the ID token is equal to https://accounts.google.com or
   * accounts.google.com" (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken). */
  readonly legacyIssuer?: boolean;
  /** Which domain `hd` names for a Workspace user: the primary domain of the user's organisation, or the domain
   * of the user's own primary e-mail (the stand-in's default). Google documents `hd` only as "the domain
   * associated with the Google Workspace organization" (https://developers.google.com/identity/openid-connect/openid-connect),
   * which does not settle what a user of a secondary domain gets, so the stand-in can issue both. A consumer
   * account keeps having no `hd`. */
  readonly hdDomain?: 'primary' | 'own';
}

const HOUR = 3600;

/** Named attacks, each building its recipe when used, so times are relative to the request. */
export const ID_TOKEN_PRESETS: Readonly<Record<string, () => IdTokenRecipe>> = {
  'wrong-aud': () => ({ claims: { aud: '999999999999-attacker.apps.googleusercontent.com' } }),
  'wrong-iss': () => ({ claims: { iss: 'https://accounts.attacker.example' } }),
  'googleapis-iss': () => ({ claims: { iss: 'googleapis.com' } }),
  'alg-none': () => ({ signWith: 'none' }),
  'foreign-key': () => ({ signWith: 'foreign-key' }),
  expired: () => ({ claims: { iat: nowSeconds() - 3 * HOUR, exp: nowSeconds() - 2 * HOUR } }),
  'wrong-nonce': () => ({ claims: { nonce: 'forged-nonce' } }),
  'no-nonce': () => ({ claims: { nonce: null } }),
  'email-unverified': () => ({ claims: { email_verified: false } }),
  'wrong-hd': () => ({ claims: { hd: 'attacker.example' } }),
  'no-hd': () => ({ claims: { hd: null } }),
  'wrong-sub': () => ({ claims: { sub: '100000000000000000099' } }),
  // Genuine forms, not attacks: what Google may issue and the product must admit.
  'legacy-iss': () => ({ legacyIssuer: true }),
  'hd-primary-domain': () => ({ hdDomain: 'primary' }),
  'hd-own-domain': () => ({ hdDomain: 'own' }),
};

function hdFor(users: WorkspaceUsers, sub: string, domain: 'primary' | 'own'): string | undefined {
  const email = users.userById(sub)?.primaryEmail;
  if (!email) return undefined;
  return domain === 'own' ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : users.primaryDomainOf(sub);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Resolves a preset name or an explicit recipe; throws on an unknown preset. */
export function resolveRecipe(input: { preset?: string } & IdTokenRecipe): IdTokenRecipe {
  if (input.preset === undefined) return input;
  const preset = ID_TOKEN_PRESETS[input.preset];
  if (!preset) throw new Error(`Unknown preset "${input.preset}"; known: ${Object.keys(ID_TOKEN_PRESETS).join(', ')}`);
  return { ...preset(), ...(input.clientId !== undefined && { clientId: input.clientId }) };
}

/** Rewrites a genuine ID token by a recipe; `users` gives the organisation of a Workspace user for `hdDomain`. */
export async function craftIdToken(
  genuine: string,
  recipe: IdTokenRecipe,
  key: SigningKey,
  users: WorkspaceUsers,
): Promise<string> {
  const payload: JWTPayload = { ...decodeJwt(genuine) };
  if (recipe.legacyIssuer && payload.iss) payload.iss = new URL(payload.iss).host;
  if (recipe.hdDomain && payload.sub) {
    const hd = hdFor(users, payload.sub, recipe.hdDomain);
    if (hd) payload['hd'] = hd;
  }
  for (const [claim, value] of Object.entries(recipe.claims ?? {})) {
    // A recipe names the claims it removes with null.
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
    if (value === null) delete payload[claim];
    else payload[claim] = value;
  }
  const header = { ...decodeProtectedHeader(genuine), ...recipe.header };
  const signWith = recipe.signWith ?? 'provider';
  if (signWith === 'none') {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    return `${encode({ ...header, alg: 'none' })}.${encode(payload)}.`;
  }
  const signingKey =
    signWith === 'provider' ? key.privateKey : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256' }).sign(signingKey);
}
