// Which adapters each function is given. Every Cloud Run service loads the one entry point, and an adapter's
// client library is loaded only when the adapter is first used; so that a function never uses one it is not given,
// index.ts hands each handler the app typed down to its own adapters, and the compiler refuses a handler that
// reaches for another. test/unit/module-graph.test.ts checks which client libraries each function's adapters and
// module graph load.
import { getApp, type App, type AdapterName } from './app.ts';

/** The adapters of each function of the catalog. The Directory's adapter reads with the tenant's refresh token, so
 * a function given `directory` is given `db` and `secrets` too. */
export const FUNCTION_ADAPTERS = {
  adminApi: ['db', 'auth', 'secrets', 'queue', 'directory'],
  oauthCallback: ['db', 'secrets', 'queue', 'directory'],
  ssoStart: ['db', 'oidc'],
  ssoCallback: ['db', 'secrets', 'oidc'],
  userApi: ['db'],
  scheduleTick: ['db', 'secrets', 'queue', 'directory'],
  syncPage: ['db', 'secrets', 'queue', 'directory'],
  syncFinalize: ['db', 'secrets', 'queue', 'directory'],
  directoryPush: ['db', 'queue'],
  pushUser: ['db', 'secrets', 'queue', 'directory'],
  welcomeMail: ['db', 'mailer'],
} as const satisfies Record<string, readonly AdapterName[]>;

/** A function of the catalog, by name. */
export type FunctionName = keyof typeof FUNCTION_ADAPTERS;

type AdaptersOf<N extends FunctionName> = (typeof FUNCTION_ADAPTERS)[N][number];

/** The app as function N sees it: its own adapters, and startRun only with the queue that starting a run
 * publishes to. */
export type WiredApp<N extends FunctionName> = Omit<
  App,
  Exclude<AdapterName, AdaptersOf<N>> | ('queue' extends AdaptersOf<N> ? never : 'startRun')
>;

/** The app for function `name`: the process's one app, typed down to that function's adapters. */
export function appFor<N extends FunctionName>(_name: N): WiredApp<N> {
  return getApp();
}
