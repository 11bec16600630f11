// The stand-in's signing key, in the two public forms Google serves: a JWKS (/oauth2/v3/certs) and a map of
// key id to X.509 certificate PEM (/oauth2/v1/certs), which google-auth-library's verifyIdToken fetches under Node.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { selfSignedCertificate } from './certificate.ts';

/** One RSA signing key with its published forms. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  /** The self-signed certificate of the public key, as PEM. */
  readonly certificatePem: string;
}

/** Generates a fresh RS256 signing key. */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID().replaceAll('-', '');
  const common = { kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKey,
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), ...common },
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), ...common },
    certificatePem: selfSignedCertificate({ privateKey, publicKey }, kid),
  };
}
