// npm run bench:sso [-- --sign-ins N]: measures the SSO callback's server time over N sign-ins with Google (at least
// 200), with Google's keys cached and without the time spent at Google's token endpoint, against SPEC §8's target
// of a p50 under 50 ms and the goal of a p50 under 20 ms. It runs its own stack beside npm start, npm test and
// bench:sync, and exits non-zero only when something fails, not when the target is missed.
import { parseArgs } from 'node:util';
import { toolPortOffsets } from '../stack/stack-config.ts';
import { positiveInteger, progressLog, runBenchmark } from './cli.ts';

// Shifted ports, so the benchmark's stack runs beside npm start, npm test and bench:sync.
process.env['STACK_PORT_OFFSET'] ??= String(toolPortOffsets['bench:sso']);

const TARGET_P50_MS = 50;
/** The tighter goal the callback is held to beside SPEC §8's target: most of a sign-in's own time is this. */
const GOAL_P50_MS = 20;

await runBenchmark('SSO', async (onStack) => {
  const { values } = parseArgs({ options: { 'sign-ins': { type: 'string', default: '200' } }, strict: true });
  const signIns = positiveInteger('sign-ins', values['sign-ins'], 200);
  const { runSsoBench } = await import('./sso-bench.ts');
  const { percentile } = await import('./measure.ts');
  const log = progressLog();
  log(`SSO benchmark: ${signIns} sign-ins with Google.`);
  const result = await runSsoBench({ signIns, warmUp: 5, log, onStack });
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const p50 = percentile(result.appMs, 50);
  console.log(
    [
      `SSO callback server time, keys cached, Google's token endpoint excluded (N = ${result.signIns} sign-ins):`,
      `  p50 ${ms(p50)}   p95 ${ms(percentile(result.appMs, 95))}   max ${ms(Math.max(...result.appMs))}`,
      `  target p50 < ${TARGET_P50_MS} ms (SPEC §8): ${p50 < TARGET_P50_MS ? 'met' : 'NOT MET'}; goal p50 < ${GOAL_P50_MS} ms: ${p50 < GOAL_P50_MS ? 'met' : `NOT MET, by ${ms(p50 - GOAL_P50_MS)}`}`,
      `Waiting for Google (excluded): p50 ${ms(percentile(result.googleMs, 50))}   p95 ${ms(percentile(result.googleMs, 95))}`,
      `Whole sign-ins, Google's pages included: ${(result.wallMs / result.signIns).toFixed(0)} ms each on average`,
    ].join('\n'),
  );
  return true;
});
