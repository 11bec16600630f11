// npm run bench:push [-- --changes N --latency-ms L --pace-ms P]: measures how long a change in Google Workspace
// takes to reach the PBX by push notification: from the change in the Google stand-in to its extension written in
// Firestore, p50 and p95 over N changes (at least 200), with L ms injected Directory latency (50 by default),
// against the target of a p95 under 5 s; and the Directory calls per notification, against the target of 1. It runs
// its own stack beside npm start, npm test and the other benchmarks, and exits non-zero only when something fails.
import { parseArgs } from 'node:util';
import { toolPortOffsets } from '../stack/stack-config.ts';
import { positiveInteger, progressLog, runBenchmark } from './cli.ts';

process.env['STACK_PORT_OFFSET'] ??= String(toolPortOffsets['bench:push']);

const TARGET_P95_MS = 5000;
const TARGET_CALLS = 1;

await runBenchmark('push', async (onStack) => {
  const { values } = parseArgs({
    options: {
      changes: { type: 'string', default: '200' },
      'latency-ms': { type: 'string', default: '50' },
      'pace-ms': { type: 'string', default: '100' },
    },
    strict: true,
  });
  const changes = positiveInteger('changes', values.changes, 200);
  const latencyMs = positiveInteger('latency-ms', values['latency-ms'], 0);
  const paceMs = positiveInteger('pace-ms', values['pace-ms'], 1);
  const { runPushBench } = await import('./push-bench.ts');
  const { percentile } = await import('./measure.ts');
  const log = progressLog();
  const result = await runPushBench({ changes, latencyMs, paceMs, log, onStack });
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const p95 = percentile(result.latencyMs, 95);
  const perNotification = result.usersGetCalls / Math.max(1, result.notifications);
  const callsPerNotification = result.directoryCalls / Math.max(1, result.notifications);
  console.log(
    [
      `Push: a change in Google Workspace to its extension written (N = ${result.latencyMs.length} changes, ${latencyMs} ms Directory latency, one change every ${paceMs} ms):`,
      `  p50 ${s(percentile(result.latencyMs, 50))}   p95 ${s(p95)}   max ${s(Math.max(...result.latencyMs))}`,
      `  target p95 < ${s(TARGET_P95_MS)}: ${p95 < TARGET_P95_MS && result.missed === 0 ? 'met' : 'NOT MET'}${result.missed > 0 ? ` (${result.missed} changes never arrived)` : ''}`,
      `Directory calls: ${result.directoryCalls} for ${result.notifications} notifications = ${callsPerNotification.toFixed(2)} per notification (users.get ${perNotification.toFixed(2)})`,
      `  target ${TARGET_CALLS}: ${callsPerNotification <= TARGET_CALLS ? 'met' : 'NOT MET'}`,
    ].join('\n'),
  );
  return result.missed === 0;
});
