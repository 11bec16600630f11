// The local stand-in for Firebase Hosting: one origin that serves web/ and applies firebase.json's rewrites,
// sending function rewrites to the functions host, so cookies and CORS behave as they will in production.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from './stack-config.ts';

interface Rewrite {
  readonly source: string;
  readonly destination?: string;
  readonly function?: { readonly functionId: string };
}

interface HeaderRule {
  readonly source: string;
  readonly headers: readonly { readonly key: string; readonly value: string }[];
}

interface HostingConfig {
  readonly public: string;
  readonly headers?: readonly HeaderRule[];
  readonly ignore?: readonly string[];
  readonly rewrites?: readonly Rewrite[];
  readonly cleanUrls?: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Hosting's glob: `**` spans folders, `*` stays within one. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

/** A running gateway. */
export interface Gateway {
  close(): Promise<void>;
}

/** The web configuration Hosting serves at /__/firebase/init.json, plus where the Auth emulator is. */
export interface LocalWebConfig {
  readonly apiKey: string;
  readonly authDomain: string;
  readonly projectId: string;
  readonly authEmulatorUrl: string;
}

/** Origins only the local stack needs in the Content-Security-Policy: where its Auth emulator and Google stand-in
 * run. */
export interface LocalCspOrigins {
  readonly connect: readonly string[];
  readonly formAction: readonly string[];
}

/** Adds local origins to a CSP's connect-src and form-action, leaving every other directive as firebase.json has it. */
export function withLocalOrigins(csp: string, local: LocalCspOrigins): string {
  return csp
    .split(';')
    .map((directive) => directive.trim())
    .map((directive) => {
      const [name] = directive.split(/\s+/);
      const extra = name === 'connect-src' ? local.connect : name === 'form-action' ? local.formAction : [];
      return [directive, ...extra].join(' ');
    })
    .join('; ');
}

/** Starts the gateway on `port` of both loopback addresses (the public URL says localhost), proxying function
 * rewrites to `functionsUrl`. Responses carry firebase.json's headers, with `localOrigins` added to the CSP. */
export async function startGateway(
  port: number,
  functionsUrl: string,
  webConfig: LocalWebConfig,
  localOrigins: LocalCspOrigins = { connect: [], formAction: [] },
): Promise<Gateway> {
  const hosting = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'firebase.json'), 'utf8')) as { hosting: HostingConfig }
  ).hosting;
  const publicDir = path.join(REPO_ROOT, hosting.public);
  const rewrites = (hosting.rewrites ?? []).map((rule) => ({ rule, pattern: globToRegExp(rule.source) }));
  const ignores = (hosting.ignore ?? []).map(globToRegExp);
  const headerRules = (hosting.headers ?? []).map((rule) => ({ rule, pattern: globToRegExp(rule.source) }));
  const headersFor = (pathname: string): Record<string, string> =>
    Object.fromEntries(
      headerRules
        .filter(({ pattern }) => pattern.test(pathname))
        .flatMap(({ rule }) => rule.headers)
        .map(({ key, value }) => [
          key,
          key.toLowerCase() === 'content-security-policy' ? withLocalOrigins(value, localOrigins) : value,
        ]),
    );

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://gateway').pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request');
      return;
    }
    if (pathname === '/__/firebase/init.json') {
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
        .end(JSON.stringify(webConfig));
      return;
    }
    // Hosting serves an existing static file before it considers rewrites; ignored files are not deployed.
    const ignored = ignores.some((pattern) => pattern.test(pathname.slice(1)));
    const headers = headersFor(pathname);
    if (!ignored && serveStatic(publicDir, pathname, res, hosting.cleanUrls === true, headers)) return;
    const rewrite = rewrites.find(({ pattern }) => pattern.test(pathname))?.rule;
    if (rewrite?.function) {
      proxy(req, res, `${functionsUrl}/${rewrite.function.functionId}`, headers);
      return;
    }
    if (rewrite?.destination && serveStatic(publicDir, rewrite.destination, res, false, headers)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Page not found');
  };
  const servers = [await listen(handle, port, '127.0.0.1'), await listen(handle, port, '::1').catch(() => undefined)];
  return {
    close: async () => {
      const listening = servers.filter((server): server is Server => server !== undefined);
      await Promise.all(listening.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handle);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function serveStatic(
  publicDir: string,
  pathname: string,
  res: ServerResponse,
  cleanUrls: boolean,
  headers: Record<string, string>,
): boolean {
  const candidates = pathname.endsWith('/')
    ? [`${pathname}index.html`]
    : [pathname, ...(cleanUrls ? [`${pathname}.html`] : [])];
  for (const candidate of candidates) {
    const file = path.join(publicDir, path.normalize(candidate));
    if (!file.startsWith(publicDir)) return false;
    try {
      if (!statSync(file).isFile()) continue;
    } catch {
      continue;
    }
    res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
    return true;
  }
  return false;
}

// Hosting forwards the original path and only the __session cookie to a function. Its header rules match paths,
// so they reach a function's responses too; a header the function sets itself is kept.
function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  targetBase: string,
  hostingHeaders: Record<string, string>,
): void {
  const target = new URL(targetBase);
  const headers = { ...req.headers, host: req.headers.host ?? target.host, 'x-forwarded-host': req.headers.host ?? '' };
  const cookie = sessionCookieOnly(req.headers.cookie);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: `${target.pathname}${req.url ?? ''}`,
      headers,
    },
    (response) => {
      const own = new Set(Object.keys(response.headers));
      const added = Object.entries(hostingHeaders).filter(([key]) => !own.has(key.toLowerCase()));
      res.writeHead(response.statusCode ?? 502, { ...Object.fromEntries(added), ...response.headers });
      response.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end('The function is not reachable');
  });
  req.pipe(upstream);
}

function sessionCookieOnly(cookieHeader: string | undefined): string | undefined {
  const session = cookieHeader
    ?.split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('__session='));
  return session;
}
