// The SSO benchmark: its own stack, a tenant connected to the demo Workspace and synced, then N sign-ins with
// Google through the gateway, each timed by the callback itself. The callback's Server-Timing header gives its own
// time apart from the time it waited for Google (the token endpoint, and the keys when not cached), which SPEC §8
// leaves out. A few sign-ins first warm the instance up: discovery, the tenant's client secret and Google's keys.
import { startStack, type RunningStack } from '../stack/stack.ts';
import { consentAtGoogle } from './admin-client.ts';
import { activeUsers, syncedTenant } from './bench-tenant.ts';

/** What to benchmark. */
export interface SsoBenchOptions {
  readonly signIns: number;
  readonly warmUp: number;
  readonly log: (line: string) => void;
  readonly onStack: (stack: RunningStack) => void;
}

/** The callback's times of the measured sign-ins, in milliseconds. */
export interface SsoMeasurement {
  readonly signIns: number;
  /** The callback's own time: everything but waiting for Google. */
  readonly appMs: readonly number[];
  readonly googleMs: readonly number[];
  readonly wallMs: number;
}

/** Runs the benchmark; the stack is stopped however it ends. */
export async function runSsoBench(options: SsoBenchOptions): Promise<SsoMeasurement> {
  const { log } = options;
  log('Starting the stack…');
  const stack = await startStack('test', { tickIntervalMs: 3_600_000 });
  options.onStack(stack);
  try {
    log(`Stack ready (${stack.addresses.instance}); logs in ${stack.dirs.logs}`);
    const tenantId = await syncedTenant(stack, 'bench-sso', log);
    const users = await activeUsers(tenantId);
    log(`Warming up with ${options.warmUp} sign-ins…`);
    for (let i = 0; i < options.warmUp; i++) await signIn(stack, tenantId, users[i % users.length]!);
    log(`Measuring ${options.signIns} sign-ins of ${users.length} users…`);
    const appMs: number[] = [];
    const googleMs: number[] = [];
    const started = Date.now();
    for (let i = 0; i < options.signIns; i++) {
      const timing = await signIn(stack, tenantId, users[i % users.length]!);
      appMs.push(timing.app);
      googleMs.push(timing.google);
    }
    return { signIns: options.signIns, appMs, googleMs, wallMs: Date.now() - started };
  } finally {
    log('Stopping the stack…');
    await stack.stop();
  }
}

/** One sign-in in a fresh browser: the "G" button, Google's pages, the callback; returns the callback's timing. */
async function signIn(stack: RunningStack, tenantId: string, email: string): Promise<{ app: number; google: number }> {
  const base = stack.addresses.publicBaseUrl;
  const start = await fetch(`${base}/t/${tenantId}/sso/google`, { redirect: 'manual' });
  const cookie = start.headers.getSetCookie()[0]?.split(';')[0];
  const authorizationUrl = start.headers.get('location');
  if (start.status !== 303 || !cookie || !authorizationUrl) throw new Error(`The "G" button answered ${start.status}`);
  const callbackUrl = await consentAtGoogle(authorizationUrl, `${base}/sso/google/callback`, email);
  const callback = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });
  const page = await callback.text();
  if (callback.status !== 303)
    throw new Error(
      `The sign-in of ${email} was refused (HTTP ${callback.status}): ${/role="alert">([^<]*)/.exec(page)?.[1] ?? ''}`,
    );
  return parseServerTiming(callback.headers.get('server-timing') ?? '');
}

/** The app and google durations of the callback's Server-Timing header. */
export function parseServerTiming(header: string): { app: number; google: number } {
  const duration = (name: string) => {
    const match = new RegExp(`(?:^|,\\s*)${name};[^,]*dur=([\\d.]+)`).exec(header);
    if (!match?.[1]) throw new Error(`The callback's Server-Timing has no ${name} duration: "${header}"`);
    return Number(match[1]);
  };
  return { app: duration('app'), google: duration('google') };
}
