// One cold start, in a fresh process the cold-start benchmark spawns with a function's environment: the Functions
// Framework is loaded first (Cloud Run loads it before the function's module, and it is not the product's to
// shrink), then the built entry point is imported and timed, and the framework's own server for that function
// listens on a free port for the benchmark's first request. What it measures goes to the benchmark over IPC, since
// stdout carries the product's own log lines.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';

/** What the probe tells the benchmark once its function listens. */
export interface ProbeReady {
  readonly kind: 'ready';
  readonly port: number;
  readonly importMs: number;
  /** CPU time (user and system) the import took: unlike wall time, other processes on the machine do not add to it. */
  readonly importCpuMs: number;
  /** The process's resident set with the framework loaded and the function's module not yet imported. */
  readonly frameworkRssBytes: number;
}

/** The probe's resident set and CPU time, asked for once the first answer is in. */
export interface ProbeUsage {
  readonly kind: 'usage';
  readonly rssBytes: number;
  /** CPU time since the import began: the import and the first answer. */
  readonly cpuMs: number;
}

const [target, entry] = process.argv.slice(2);
if (!target || !entry || !process.send) throw new Error('usage: cold-probe.ts <function> <entry.js>, with IPC');
const send = process.send.bind(process);

const frameworkRssBytes = process.memoryUsage.rss();
const cpuMs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};
const started = performance.now();
const cpuAtStart = process.cpuUsage();
await import(pathToFileURL(entry).href);
const importMs = performance.now() - started;
const importCpuMs = cpuMs(cpuAtStart);

const server = getTestServer(target);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The probe has no TCP port');
  const ready: ProbeReady = { kind: 'ready', port: address.port, importMs, importCpuMs, frameworkRssBytes };
  send(ready);
});
process.on('message', () => {
  const usage: ProbeUsage = { kind: 'usage', rssBytes: process.memoryUsage.rss(), cpuMs: cpuMs(cpuAtStart) };
  send(usage);
});
// The benchmark ends the probe by closing the channel; nothing else keeps a cold start alive.
process.on('disconnect', () => process.exit(0));
