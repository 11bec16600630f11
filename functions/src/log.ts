// Structured logs as one JSON object a line, the shape Cloud Logging reads from stdout on Cloud Run.

type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
type Fields = Record<string, unknown>;

const order: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const threshold: Record<'debug' | 'info' | 'warn' | 'error', Severity> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
};

let minimum: Severity = 'INFO';

/** Sets the lowest severity that is written. */
export function setLogLevel(level: keyof typeof threshold): void {
  minimum = threshold[level];
}

function write(severity: Severity, message: string, fields: Fields = {}): void {
  if (order[severity] < order[minimum]) return;
  const line = JSON.stringify({ severity, message, ...fields, ...errorFields(fields['error']) });
  (severity === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
}

// Errors do not serialise with JSON.stringify; keep their code and message, never a request body.
function errorFields(error: unknown): Fields {
  if (!(error instanceof Error)) return {};
  const code = (error as { code?: unknown }).code;
  return { error: { name: error.name, message: error.message, ...(code !== undefined && { code }) } };
}

/** The product's logger. */
export const log = {
  debug: (message: string, fields?: Fields) => write('DEBUG', message, fields),
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARNING', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
};
