// A stand-in for the Secret Manager REST API (v1), enough for the real @google-cloud/secret-manager client in
// fallback (HTTP/JSON) mode: secrets, versions, access, destroy and delete. Secret Manager has no emulator.
import express, { type Express, type Request, type Response } from 'express';

type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

interface StoredVersion {
  readonly number: number;
  readonly createTime: string;
  state: VersionState;
  data?: string;
  destroyTime?: string;
}

interface StoredSecret {
  readonly name: string;
  readonly createTime: string;
  readonly labels: Record<string, string>;
  readonly versions: StoredVersion[];
}

const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** In-memory secrets, keyed by full resource name. */
export class SecretManagerStandIn {
  readonly secrets = new Map<string, StoredSecret>();
  /** Every value ever stored, destroyed ones included, so tests can prove no secret leaked anywhere else. */
  readonly everStored = new Set<string>();

  /** The express app serving the REST API. */
  app(): Express {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.post('/v1/projects/:project/secrets', (req, res) => this.#createSecret(req, res));
    app.get('/v1/projects/:project/secrets/:secret', (req, res) =>
      this.#withSecret(req, res, (s) => res.json(view(s))),
    );
    app.delete('/v1/projects/:project/secrets/:secret', (req, res) =>
      this.#withSecret(req, res, (s) => {
        this.secrets.delete(s.name);
        res.json({});
      }),
    );
    app.post('/v1/projects/:project/secrets/:action', (req, res) => this.#addVersion(req, res));
    app.get('/v1/projects/:project/secrets/:secret/versions', (req, res) =>
      this.#withSecret(req, res, (s) =>
        res.json({ versions: [...s.versions].reverse().map((v) => versionView(s, v)), totalSize: s.versions.length }),
      ),
    );
    app.get('/v1/projects/:project/secrets/:secret/versions/:version', (req, res) => this.#version(req, res));
    app.post('/v1/projects/:project/secrets/:secret/versions/:version', (req, res) => this.#destroyVersion(req, res));
    app.use((_req, res) => googleError(res, 404, 'NOT_FOUND', 'Method not found.'));
    return app;
  }

  #createSecret(req: Request, res: Response): void {
    const secretId = typeof req.query['secretId'] === 'string' ? req.query['secretId'] : '';
    if (!SECRET_ID.test(secretId)) {
      googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        `Secret id [${secretId}] is invalid: it must match [a-zA-Z0-9_-]{1,255}`,
      );
      return;
    }
    const name = `projects/${String(req.params['project'])}/secrets/${secretId}`;
    if (this.secrets.has(name)) {
      googleError(res, 409, 'ALREADY_EXISTS', `Secret [${name}] already exists.`);
      return;
    }
    const secret: StoredSecret = {
      name,
      createTime: new Date().toISOString(),
      labels: (req.body as { labels?: Record<string, string> } | undefined)?.labels ?? {},
      versions: [],
    };
    this.secrets.set(name, secret);
    res.json(view(secret));
  }

  #addVersion(req: Request, res: Response): void {
    const [secretId, action] = String(req.params['action']).split(':');
    if (action !== 'addVersion') {
      googleError(res, 404, 'NOT_FOUND', 'Method not found.');
      return;
    }
    const secret = this.secrets.get(`projects/${String(req.params['project'])}/secrets/${String(secretId)}`);
    const data = (req.body as { payload?: { data?: unknown } } | undefined)?.payload?.data;
    if (!secret) {
      googleError(res, 404, 'NOT_FOUND', `Secret [${secretId}] not found.`);
      return;
    }
    if (typeof data !== 'string') {
      googleError(res, 400, 'INVALID_ARGUMENT', 'payload.data is required');
      return;
    }
    const version: StoredVersion = {
      number: secret.versions.length + 1,
      createTime: new Date().toISOString(),
      state: 'ENABLED',
      data,
    };
    this.everStored.add(Buffer.from(data, 'base64').toString('utf8'));
    secret.versions.push(version);
    res.json(versionView(secret, version));
  }

  #version(req: Request, res: Response): void {
    const [versionId, action] = String(req.params['version']).split(':');
    this.#withSecret(req, res, (secret) => {
      const version =
        versionId === 'latest'
          ? [...secret.versions].reverse().find((v) => v.state === 'ENABLED')
          : secret.versions[Number(versionId) - 1];
      if (!version) {
        googleError(res, 404, 'NOT_FOUND', `Secret [${secret.name}] not found or has no versions.`);
        return;
      }
      if (action === undefined) return void res.json(versionView(secret, version));
      if (version.state !== 'ENABLED' || version.data === undefined) {
        return googleError(
          res,
          400,
          'FAILED_PRECONDITION',
          `${secret.name}/versions/${version.number} is in ${version.state} state.`,
        );
      }
      res.json({ name: `${secret.name}/versions/${version.number}`, payload: { data: version.data } });
    });
  }

  #destroyVersion(req: Request, res: Response): void {
    const [versionId, action] = String(req.params['version']).split(':');
    this.#withSecret(req, res, (secret) => {
      const version = secret.versions[Number(versionId) - 1];
      if (!version || action !== 'destroy') {
        googleError(res, 404, 'NOT_FOUND', 'Version not found.');
        return;
      }
      version.state = 'DESTROYED';
      version.destroyTime = new Date().toISOString();
      delete version.data;
      res.json(versionView(secret, version));
    });
  }

  #withSecret(req: Request, res: Response, use: (secret: StoredSecret) => void): void {
    const name = `projects/${String(req.params['project'])}/secrets/${String(req.params['secret'])}`;
    const secret = this.secrets.get(name);
    if (!secret) {
      googleError(res, 404, 'NOT_FOUND', `Secret [${name}] not found or has no versions.`);
      return;
    }
    use(secret);
  }
}

function view(secret: StoredSecret) {
  return { name: secret.name, createTime: secret.createTime, labels: secret.labels, replication: { automatic: {} } };
}

function versionView(secret: StoredSecret, version: StoredVersion) {
  return {
    name: `${secret.name}/versions/${version.number}`,
    createTime: version.createTime,
    state: version.state,
    ...(version.destroyTime && { destroyTime: version.destroyTime }),
  };
}

function googleError(res: Response, code: number, status: string, message: string): void {
  res.status(code).json({ error: { code, message, status } });
}
