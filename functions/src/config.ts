// The only module that reads process.env. It validates the environment once, fails loudly with every
// problem named, and hands out a frozen, typed object.
import { z } from 'zod';
import { FUNCTIONS } from './catalog.ts';

/** Google's public endpoints, used in live mode. */
const GOOGLE_LIVE = {
  issuer: 'https://accounts.google.com',
  issuers: ['https://accounts.google.com', 'accounts.google.com'],
  authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
  tokenInfoUrl: 'https://oauth2.googleapis.com/tokeninfo',
  pemCertsUrl: 'https://www.googleapis.com/oauth2/v1/certs',
  jwksUrl: 'https://www.googleapis.com/oauth2/v3/certs',
  directoryRootUrl: 'https://admin.googleapis.com/',
} as const;

/** Where the product finds Google's OAuth, OIDC and Directory endpoints. */
export type GoogleEndpoints = {
  readonly [K in keyof typeof GOOGLE_LIVE]: K extends 'issuers' ? readonly string[] : string;
};

/** A host:port pair of a local emulator or stand-in. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** The validated configuration of every function. */
export interface AppConfig {
  readonly mode: 'local' | 'live';
  readonly projectId: string;
  /** Origin of Firebase Hosting, which serves the pages and rewrites to the functions. */
  readonly publicBaseUrl: string;
  readonly redirectUris: { readonly connect: string; readonly sso: string };
  readonly google: GoogleEndpoints;
  /** Google sign-in: whether the issuer may be reached over plain http, which only the local stand-in is. */
  readonly sso: { readonly allowHttpIssuer: boolean };
  readonly emulators: {
    readonly firestore?: HostPort;
    readonly pubsub?: HostPort;
    readonly auth?: HostPort;
    readonly secretManager?: HostPort;
  };
  /** The SMTP server; only the functions that send mail are deployed with its credentials. */
  readonly smtp: { readonly url: string | undefined; readonly from: string };
  /** The sync's Directory budget: queries per minute per tenant, and the first retry delay (it doubles). */
  readonly sync: { readonly queriesPerMinute: number; readonly retryBaseMs: number };
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** Variables that point the product at an emulator or a stand-in; live mode refuses every one of them. */
export const LOCAL_ONLY_VARIABLES = [
  'FIRESTORE_EMULATOR_HOST',
  'PUBSUB_EMULATOR_HOST',
  'FIREBASE_AUTH_EMULATOR_HOST',
  'SECRET_MANAGER_EMULATOR_HOST',
  'GOOGLE_STANDIN_URL',
] as const;

const hostPort = z
  .string()
  .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8080')
  .transform((value): HostPort => {
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
  });

// Compared byte for byte with browsers' Origin header and sent to Google as redirect URIs, so it must already be
// in the canonical form the URL parser gives: scheme, lower-case host, port only if not the default.
const origin = z
  .url({ protocol: /^https?$/ })
  .refine(
    (value) => new URL(value).origin === value,
    'must be an origin such as https://pbx.example.com, with no path, query or trailing slash',
  );

const environmentSchema = z.object({
  TELIQON_MODE: z.enum(['local', 'live'], { error: 'must be "local" or "live"' }),
  GOOGLE_CLOUD_PROJECT: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Google Cloud project id'),
  PUBLIC_BASE_URL: origin,
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  // Set by Cloud Run functions to the function an instance serves.
  FUNCTION_TARGET: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('Teliqon Cloud PBX <no-reply@teliqon.example>'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Below Google's 2,400 queries per minute per user, leaving room for the admin's other tools.
  SYNC_DIRECTORY_QPM: z.coerce
    .number()
    .int()
    .min(10, 'must be at least 10')
    .max(2400, "must not exceed Google's 2400")
    .default(1200),
  SYNC_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
  FIRESTORE_EMULATOR_HOST: hostPort.optional(),
  PUBSUB_EMULATOR_HOST: hostPort.optional(),
  FIREBASE_AUTH_EMULATOR_HOST: hostPort.optional(),
  SECRET_MANAGER_EMULATOR_HOST: hostPort.optional(),
  GOOGLE_STANDIN_URL: origin.optional(),
});

type Environment = z.infer<typeof environmentSchema>;

/** Thrown when the environment is unusable; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates an environment and builds the configuration from it. Pure, so tests pass their own environment. */
export function loadConfig(environment: Record<string, string | undefined>): AppConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  if (env.TELIQON_MODE === 'live') refuseLocalEndpoints(env);
  if (env.TELIQON_MODE === 'local') requireLocalEndpoints(env);
  requireMailServer(env);

  const google = env.GOOGLE_STANDIN_URL ? standInEndpoints(env.GOOGLE_STANDIN_URL) : GOOGLE_LIVE;
  return deepFreeze({
    mode: env.TELIQON_MODE,
    projectId: env.GOOGLE_CLOUD_PROJECT,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    redirectUris: {
      connect: `${env.PUBLIC_BASE_URL}/oauth/google/callback`,
      sso: `${env.PUBLIC_BASE_URL}/sso/google/callback`,
    },
    google,
    // openid-client speaks only https unless told otherwise; live mode's issuer is Google's, always https.
    sso: { allowHttpIssuer: env.TELIQON_MODE === 'local' && google.issuer.startsWith('http://') },
    emulators: {
      ...(env.FIRESTORE_EMULATOR_HOST && { firestore: env.FIRESTORE_EMULATOR_HOST }),
      ...(env.PUBSUB_EMULATOR_HOST && { pubsub: env.PUBSUB_EMULATOR_HOST }),
      ...(env.FIREBASE_AUTH_EMULATOR_HOST && { auth: env.FIREBASE_AUTH_EMULATOR_HOST }),
      ...(env.SECRET_MANAGER_EMULATOR_HOST && { secretManager: env.SECRET_MANAGER_EMULATOR_HOST }),
    },
    smtp: { url: env.SMTP_URL, from: env.MAIL_FROM },
    sync: { queriesPerMinute: env.SYNC_DIRECTORY_QPM, retryBaseMs: env.SYNC_RETRY_BASE_MS },
    logLevel: env.LOG_LEVEL,
  });
}

// FIREBASE_AUTH_EMULATOR_HOST alone makes the Admin SDK accept unsigned ID tokens, so a live deployment
// that inherits any emulator variable must not start at all.
function refuseLocalEndpoints(env: Environment): void {
  const present = LOCAL_ONLY_VARIABLES.filter((name) => env[name] !== undefined);
  if (present.length > 0) {
    throw new ConfigError(`Live mode refuses emulator and stand-in endpoints; unset ${present.join(', ')}`);
  }
  if (!env.PUBLIC_BASE_URL.startsWith('https://')) {
    throw new ConfigError('Live mode needs an https:// PUBLIC_BASE_URL');
  }
}

// A function that sends mail fails to start without its server, rather than failing each mail later.
function requireMailServer(env: Environment): void {
  const sendsMail = FUNCTIONS.some((fn) => fn.name === env.FUNCTION_TARGET && fn.sendsMail);
  if (sendsMail && env.SMTP_URL === undefined) {
    throw new ConfigError(`${env.FUNCTION_TARGET} sends mail and needs SMTP_URL, the SMTP credentials secret`);
  }
}

// Local mode must never reach real Google services by accident: every endpoint is a local one.
function requireLocalEndpoints(env: Environment): void {
  const missing = LOCAL_ONLY_VARIABLES.filter((name) => env[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Local mode needs every emulator and stand-in endpoint; set ${missing.join(', ')}`);
  }
}

// The stand-in serves Google's accounts, oauth2, www and admin hosts on one origin, under Google's own paths. Its
// issuers mirror Google's two: the origin, and the legacy form without the scheme (as accounts.google.com is
// https://accounts.google.com's), so the one code path that accepts both is exercised locally too.
function standInEndpoints(base: string): GoogleEndpoints {
  return {
    issuer: base,
    issuers: [base, new URL(base).host],
    authorizationUrl: `${base}/o/oauth2/v2/auth`,
    tokenUrl: `${base}/token`,
    revokeUrl: `${base}/revoke`,
    tokenInfoUrl: `${base}/tokeninfo`,
    pemCertsUrl: `${base}/oauth2/v1/certs`,
    jwksUrl: `${base}/oauth2/v3/certs`,
    directoryRootUrl: `${base}/`,
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object' && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}

let current: AppConfig | undefined;

/** The configuration of this process, validated on first use. */
export function config(): AppConfig {
  current ??= loadConfig(process.env);
  return current;
}
