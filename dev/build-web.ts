// Bundles the pages' TypeScript (web/src) into web/assets with esbuild, for Hosting and the local gateway.
import { build } from 'esbuild';
import path from 'node:path';
import { REPO_ROOT } from './stack/stack-config.ts';

/** Builds web/assets/{console,login,home}.js. */
export async function buildWeb(): Promise<void> {
  await build({
    entryPoints: {
      console: path.join(REPO_ROOT, 'web/src/console/main.ts'),
      login: path.join(REPO_ROOT, 'web/src/login/main.ts'),
      home: path.join(REPO_ROOT, 'web/src/home/main.ts'),
    },
    outdir: path.join(REPO_ROOT, 'web/assets'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWeb();
