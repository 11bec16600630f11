// One function's module graph, in a fresh process the module-graph test spawns with a local-mode environment: every
// module loaded is recorded by a resolve-and-load hook (node:module's registerHooks, which sees import and require
// alike), then the function is loaded as its Cloud Run service loads it and made to build what its first calls
// build: the Functions Framework, the entry point, the function's own handler module (the import its first call
// makes), and each adapter it is given, through the app as a handler would. Nothing is sent anywhere: building a
// client connects nothing, and the Directory's adapter, which loads on its first read, is read with a grant that
// holds no token, which fails before any request. The packages under node_modules that were loaded go back over IPC.
import { registerHooks } from 'node:module';

/** What the probe reports: every package loaded, by name. */
export interface ModuleGraphReport {
  readonly packages: readonly string[];
}

const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});

// The package a module belongs to is the one under its last node_modules folder (a dependency nested in another
// is its own package), with its scope.
function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const [first, second] = url.slice(at + '/node_modules/'.length).split('/');
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

const target = process.argv[2];
if (!process.send) throw new Error('The module-graph probe reports over IPC');

await import('@google-cloud/functions-framework');
const { handlerModules } = await import('../../functions/src/index.ts');
if (target) {
  const { FUNCTION_ADAPTERS } = await import('../../functions/src/function-adapters.ts');
  const { getApp } = await import('../../functions/src/app.ts');
  const name = target as keyof typeof FUNCTION_ADAPTERS;
  await handlerModules[name]();
  const app = getApp();
  for (const adapter of FUNCTION_ADAPTERS[name]) {
    if (adapter !== 'directory') {
      // Reading the member builds the adapter, as a handler's first use of it does.
      if (!app[adapter]) throw new Error(`The app built no ${adapter}`);
      continue;
    }
    const { OAuth2Client } = await import('google-auth-library');
    await app.directory
      .forGrant(new OAuth2Client())
      .listOrgUnits()
      .catch(() => undefined);
  }
}

const packages = new Set([...loaded].map(packageOf).filter((name) => name !== undefined));
const report: ModuleGraphReport = { packages: [...packages].sort() };
process.send(report, () => process.exit(0));
