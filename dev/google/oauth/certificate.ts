// The self-signed X.509 certificate of a signing key, as www.googleapis.com/oauth2/v1/certs serves Google's: a map of
// key id to "-----BEGIN CERTIFICATE-----" PEM, not bare public keys (github.com/joken-elixir/joken/issues/207,
// github.com/googleapis/google-auth-library-python/issues/443). node:crypto can read certificates but not make them,
// so node-forge builds this one; the key pair stays node:crypto's.
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** The v1 certificates are the robot certificates of federated-signon@system.gserviceaccount.com, whose name they
 * carry; no client checks it. */
const SUBJECT = [{ shortName: 'CN', value: 'federated-signon.system.gserviceaccount.com' }];

/** Two weeks: longer than any stand-in runs, and verifyIdToken reads only the public key. */
const VALIDITY_MS = 14 * 24 * 3600 * 1000;

/** A self-signed certificate of `publicKey`, signed by `privateKey` with SHA-256, as PEM. */
export function selfSignedCertificate(
  keys: { privateKey: KeyObject; publicKey: KeyObject },
  serialNumber: string,
): string {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive DER integer: forge takes the serial number as hex, and a leading 0 keeps its sign bit clear.
  certificate.serialNumber = `0${serialNumber}`;
  const now = Date.now();
  certificate.validity.notBefore = new Date(now - 60_000);
  certificate.validity.notAfter = new Date(now + VALIDITY_MS);
  certificate.setSubject(SUBJECT);
  certificate.setIssuer(SUBJECT);
  certificate.sign(
    forge.pki.privateKeyFromPem(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    forge.md.sha256.create(),
  );
  return forge.pki.certificateToPem(certificate);
}
