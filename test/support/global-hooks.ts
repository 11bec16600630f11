// Mocha global fixtures: whatever the tests started is stopped at the end, pass or fail.
import { closeBrowser } from './browser.ts';
import { stopStack } from './stack.ts';

/** Stops the browser and the test stack. */
export async function mochaGlobalTeardown(): Promise<void> {
  await closeBrowser();
  await stopStack();
}
