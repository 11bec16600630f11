// Secret Manager behind a three-call interface. Client secrets, refresh tokens and SMTP credentials live only
// here: never in Firestore, logs or responses.
import { createRequire } from 'node:module';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { PassThroughClient } from 'google-auth-library';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';

/** Stores secret values by id, each write a new version. */
export interface SecretStore {
  /** Adds a new version holding `value`, creating the secret on first use; returns the version's name. */
  write(secretId: string, value: string): Promise<string>;
  /** Reads the latest version, or undefined when the secret has no enabled version. */
  read(secretId: string): Promise<string | undefined>;
  /** Reads one version by the name write returned, or undefined when it is gone. */
  readVersion(versionName: string): Promise<string | undefined>;
  /** Destroys one version; a missing one is not an error. */
  destroyVersion(versionName: string): Promise<void>;
  /** Destroys every version and deletes the secret; a missing secret is not an error. */
  destroy(secretId: string): Promise<void>;
}

/** Secret ids carry this prefix so IAM conditions can limit the runtime to the product's own secrets. */
export const SECRET_PREFIX = 'teliqon-';

// gRPC codes, or HTTP statuses when the client speaks REST (as with the local stand-in).
const NOT_FOUND = new Set([5, 404]);
const ALREADY_EXISTS = new Set([6, 409]);
const FAILED_PRECONDITION = new Set([9]);
const TRANSIENT = new Set([4, 8, 10, 13, 14, 429, 500, 502, 503, 504]);

/** A SecretStore on Google Secret Manager (or its local stand-in). */
export class SecretManagerStore implements SecretStore {
  readonly #client: SecretManagerServiceClient;
  readonly #project: string;

  constructor(config: AppConfig) {
    const emulator = config.emulators.secretManager;
    this.#project = `projects/${config.projectId}`;
    // Loaded with the first store built: only the functions that read or write secrets carry the library.
    const { SecretManagerServiceClient: Client } = createRequire(import.meta.url)(
      '@google-cloud/secret-manager',
    ) as typeof import('@google-cloud/secret-manager');
    // Secret Manager has no emulator; the stand-in speaks its REST API, which the client uses in fallback mode.
    this.#client = emulator
      ? new Client({
          fallback: true,
          protocol: 'http',
          apiEndpoint: emulator.host,
          port: emulator.port,
          authClient: new PassThroughClient(),
        })
      : new Client();
  }

  async write(secretId: string, value: string): Promise<string> {
    const name = this.#name(secretId);
    try {
      await this.#client.createSecret({
        parent: this.#project,
        secretId: `${SECRET_PREFIX}${secretId}`,
        secret: { replication: { automatic: {} }, labels: { product: 'teliqon-google-workspace' } },
      });
    } catch (error) {
      if (!ALREADY_EXISTS.has(codeOf(error))) throw translate(error, 'create the secret');
    }
    try {
      const [version] = await this.#client.addSecretVersion({
        parent: name,
        payload: { data: Buffer.from(value, 'utf8') },
      });
      if (!version.name) throw new Error('Secret Manager returned no version name');
      return version.name;
    } catch (error) {
      throw translate(error, 'store the secret');
    }
  }

  async read(secretId: string): Promise<string | undefined> {
    return this.readVersion(`${this.#name(secretId)}/versions/latest`);
  }

  async readVersion(versionName: string): Promise<string | undefined> {
    this.#requireOwn(versionName);
    try {
      const [version] = await this.#client.accessSecretVersion({ name: versionName });
      const data = version.payload?.data;
      if (data === undefined || data === null) return undefined;
      return typeof data === 'string'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data).toString('utf8');
    } catch (error) {
      // A destroyed or disabled version answers FAILED_PRECONDITION (400 over REST): it is gone all the same.
      if (NOT_FOUND.has(codeOf(error)) || FAILED_PRECONDITION.has(codeOf(error)) || isGoneOverRest(error))
        return undefined;
      throw translate(error, 'read the secret');
    }
  }

  async destroyVersion(versionName: string): Promise<void> {
    this.#requireOwn(versionName);
    try {
      await this.#client.destroySecretVersion({ name: versionName });
    } catch (error) {
      if (!NOT_FOUND.has(codeOf(error))) throw translate(error, 'destroy the secret version');
    }
  }

  async destroy(secretId: string): Promise<void> {
    const name = this.#name(secretId);
    try {
      const [versions] = await this.#client.listSecretVersions({ parent: name });
      for (const version of versions) {
        if (version.name && version.state !== 'DESTROYED') {
          await this.#client.destroySecretVersion({ name: version.name });
        }
      }
      await this.#client.deleteSecret({ name });
    } catch (error) {
      if (!NOT_FOUND.has(codeOf(error))) throw translate(error, 'destroy the secret');
    }
  }

  // Version names come back from Firestore; only this project's product secrets are ever touched.
  #requireOwn(versionName: string): void {
    if (!versionName.startsWith(`${this.#project}/secrets/${SECRET_PREFIX}`)) {
      throw new AppError('internal', 'A secret version outside the product was requested');
    }
  }

  #name(secretId: string): string {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(secretId)) {
      throw new AppError('internal', `Secret id "${secretId}" is not a valid Secret Manager id`);
    }
    return `${this.#project}/secrets/${SECRET_PREFIX}${secretId}`;
  }
}

function codeOf(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : -1;
}

function isGoneOverRest(error: unknown): boolean {
  return codeOf(error) === 400 && /DESTROYED|DISABLED/.test(error instanceof Error ? error.message : '');
}

// The value never goes into the message: only what was attempted and Google's status. Only outages are
// transient; a permission or argument error would fail the same way on every retry.
function translate(error: unknown, attempted: string): AppError {
  const code = codeOf(error);
  return new AppError(
    TRANSIENT.has(code) ? 'unavailable' : 'internal',
    `Secret Manager could not ${attempted} (code ${code})`,
    { cause: error },
  );
}
