// The test stack: started once, on first use, on the "test" ports so it runs beside npm start, and stopped by
// the global teardown. Tests use a tenant each instead of resetting the emulators while tasks are in flight.
import { randomBytes } from 'node:crypto';
import { startStack, type RunningStack } from '../../dev/stack/stack.ts';

let starting: Promise<RunningStack> | undefined;

/** The running test stack, started on first call. */
export function useStack(): Promise<RunningStack> {
  // Ticks are published by the tests themselves: a tick of its own could start scheduled syncs mid-test. Every test
  // tenant watches the demo customer, so push notifications are off but in the tests about them: a fixture change
  // would otherwise reach every tenant connected so far.
  starting ??= startStack('test', { tickIntervalMs: null, pushDelivery: false });
  return starting;
}

/** Stops the test stack if a test started it. */
export async function stopStack(): Promise<void> {
  if (!starting) return;
  const stack = await starting.catch(() => undefined);
  starting = undefined;
  await stack?.stop();
}

/** A fresh tenant id, unique in this run. */
export function uniqueTenantId(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
