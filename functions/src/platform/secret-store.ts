// Secret Manager behind a three-call interface. Client secrets, refresh tokens and SMTP credentials live only
// here: never in Firestore, logs or responses.
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { PassThroughClient } from 'google-auth-library';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';

/** Stores secret values by id. */
export interface SecretStore {
  /** Adds a new version holding `value`, creating the secret on first use. */
  write(secretId: string, value: string): Promise<void>;
  /** Reads the latest version, or undefined when the secret has no enabled version. */
  read(secretId: string): Promise<string | undefined>;
  /** Destroys every version and deletes the secret; a missing secret is not an error. */
  destroy(secretId: string): Promise<void>;
}

/** Secret ids carry this prefix so IAM conditions can limit the runtime to the product's own secrets. */
export const SECRET_PREFIX = 'teliqon-';

const NOT_FOUND = new Set([5, 404]);
const ALREADY_EXISTS = new Set([6, 409]);

/** A SecretStore on Google Secret Manager (or its local stand-in). */
export class SecretManagerStore implements SecretStore {
  readonly #client: SecretManagerServiceClient;
  readonly #project: string;

  constructor(config: AppConfig) {
    const emulator = config.emulators.secretManager;
    this.#project = `projects/${config.projectId}`;
    // Secret Manager has no emulator; the stand-in speaks its REST API, which the client uses in fallback mode.
    this.#client = emulator
      ? new SecretManagerServiceClient({
          fallback: true,
          protocol: 'http',
          apiEndpoint: emulator.host,
          port: emulator.port,
          authClient: new PassThroughClient(),
        })
      : new SecretManagerServiceClient();
  }

  async write(secretId: string, value: string): Promise<void> {
    const parent = this.#name(secretId);
    try {
      await this.#client.createSecret({
        parent: this.#project,
        secretId: parent.slice(this.#project.length + '/secrets/'.length),
        secret: { replication: { automatic: {} }, labels: { product: 'teliqon-google-workspace' } },
      });
    } catch (error) {
      if (!ALREADY_EXISTS.has(codeOf(error))) throw translate(error, 'create the secret');
    }
    try {
      await this.#client.addSecretVersion({ parent, payload: { data: Buffer.from(value, 'utf8') } });
    } catch (error) {
      throw translate(error, 'store the secret');
    }
  }

  async read(secretId: string): Promise<string | undefined> {
    try {
      const [version] = await this.#client.accessSecretVersion({ name: `${this.#name(secretId)}/versions/latest` });
      const data = version.payload?.data;
      if (data === undefined || data === null) return undefined;
      return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data).toString('utf8');
    } catch (error) {
      if (NOT_FOUND.has(codeOf(error))) return undefined;
      throw translate(error, 'read the secret');
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

// The value never goes into the message: only what was attempted and Google's status.
function translate(error: unknown, attempted: string): AppError {
  return new AppError('unavailable', `Secret Manager could not ${attempted} (code ${codeOf(error)})`, { cause: error });
}
