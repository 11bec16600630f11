// Runs the functions of one trigger kind (HTTP, or Pub/Sub topics) in one local process, each under the Functions
// Framework's own server (the same request handling, CloudEvent decoding and ack/nack as on Cloud Run). Requests
// are routed by the first path segment, the function's name, which is stripped: /scheduleTick/projects/P/topics/T
// reaches the scheduleTick server as /projects/P/topics/T, the push path the framework reads the topic from. Started by
// the stack as a child process, so its environment, which config.ts reads, is the stack's choice.
import { createServer, type Server } from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { FUNCTIONS } from '../../functions/src/catalog.ts';
import '../../functions/src/index.ts';

const port = Number(process.argv[2]);
const trigger = process.argv[3];
const served = FUNCTIONS.filter((fn) => fn.trigger.kind === trigger);
if (served.length === 0) throw new Error(`No function has the trigger "${trigger}"; expected http or topic`);
const servers = new Map<string, Server>(served.map((fn) => [fn.name, getTestServer(fn.name)]));

const host = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/__ready') {
    res.writeHead(200).end('ready');
    return;
  }
  const match = /^\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(url.split('?')[0] ?? '');
  const target = match?.[1] ? servers.get(match[1]) : undefined;
  if (!match || !target) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`No function at ${url}`);
    return;
  }
  req.url = url.slice(match[1]!.length + 1) || '/';
  if (!req.url.startsWith('/')) req.url = `/${req.url}`;
  target.emit('request', req, res);
});

host.listen(port, '127.0.0.1');
process.on('SIGTERM', () => host.close(() => process.exit(0)));
