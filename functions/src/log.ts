// Structured logs as one JSON object a line, the shape Cloud Logging reads from stdout on Cloud Run. Anything
// that looks like a credential is redacted before it is written: error messages of client libraries can carry
// URLs with tokens, ID tokens or their payloads. Lines written while a task or request runs carry its context
// (tenant, runId, the event), so an operator can filter one tenant's or one run's lines.
import { AsyncLocalStorage } from 'node:async_hooks';

type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
type Fields = Record<string, unknown>;

const order: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const threshold: Record<'debug' | 'info' | 'warn' | 'error', Severity> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
};

// Google access tokens (ya29.), refresh tokens (1//), JWTs (eyJ…), client secrets (GOCSPX-) and token= parameters.
const CREDENTIALS =
  /ya29\.[\w.-]+|1\/\/[\w.-]+|eyJ[\w-]+\.[\w-]+\.[\w-]*|GOCSPX-[\w-]+|((?:token|code|secret|password)=)[^&\s"]+/gi;

/** Replaces anything shaped like a credential. */
export function redact(text: string): string {
  return text.replace(CREDENTIALS, (_match, parameter: string | undefined) => `${parameter ?? ''}[redacted]`);
}

let minimum: Severity = 'INFO';
const context = new AsyncLocalStorage<Fields>();

/** Runs `work` with fields that every line it logs carries; nested contexts add to the outer one. */
export function withLogContext<T>(fields: Fields, work: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, work);
}

/** One log line as JSON: the context, then the fields, then severity and message, which nothing overwrites. */
export function formatLine(severity: Severity, message: string, fields: Fields = {}): string {
  try {
    const entry = {
      ...context.getStore(),
      ...fields,
      ...('error' in fields && { error: describeError(fields['error']) }),
      severity,
      message,
    };
    return redact(JSON.stringify(entry));
  } catch {
    return JSON.stringify({ severity, message: redact(message), note: 'fields could not be serialised' });
  }
}

/** Sets the lowest severity that is written. */
export function setLogLevel(level: keyof typeof threshold): void {
  minimum = threshold[level];
}

// Errors do not serialise with JSON.stringify; keep their name, code and message, never a request or response.
function describeError(error: unknown): unknown {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
  };
}

function write(severity: Severity, message: string, fields: Fields = {}): void {
  if (order[severity] < order[minimum]) return;
  const line = formatLine(severity, message, fields);
  (severity === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** The product's logger. */
export const log = {
  debug: (message: string, fields?: Fields) => write('DEBUG', message, fields),
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARNING', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
};
