// Mocha global fixtures: the run's output is kept for the secret scan from the first line, and whatever the
// tests started is stopped at the end, pass or fail.
import { closeBrowser } from './browser.ts';
import { recordRunOutput } from './output.ts';
import { stopStack } from './stack.ts';

recordRunOutput();

// Ended by a signal, the run still stops its stack: process.exit lets the stack's exit hook kill its services.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(130));

/** Stops the browser and the test stack. */
export async function mochaGlobalTeardown(): Promise<void> {
  await closeBrowser();
  await stopStack();
}
