// Crafted ID tokens for forged-input tests. The control endpoint queues one recipe; the next token response's
// genuine ID token is rewritten by it (claims changed or removed, header changed, signed with another key or
// not at all), so the product meets exactly the attack the test names.
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from './keys.ts';

/** How to rewrite the next ID token. A claim set to null is removed. */
export interface IdTokenRecipe {
  /** Only the next token response to this client; others pass untouched, so background refreshes of other
   * clients cannot take a recipe meant for one test's sign-in. */
  readonly clientId?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly signWith?: 'provider' | 'foreign-key' | 'none';
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
};

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

/** Rewrites a genuine ID token by a recipe. */
export async function craftIdToken(genuine: string, recipe: IdTokenRecipe, key: SigningKey): Promise<string> {
  const payload: JWTPayload = { ...decodeJwt(genuine) };
  for (const [claim, value] of Object.entries(recipe.claims ?? {})) {
    if (value === null) delete payload[claim];
    else payload[claim] = value;
  }
  const header = { ...decodeProtectedHeader(genuine), ...recipe.header };
  const signWith = recipe.signWith ?? 'provider';
  if (signWith === 'none') {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    return `${encode({ ...header, alg: 'none' })}.${encode(payload)}.`;
  }
  const signingKey = signWith === 'provider' ? key.privateKey : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256' }).sign(signingKey);
}
