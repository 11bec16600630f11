// npm run lint: ESLint, then Prettier's check, over the whole repository, with the tools of this folder's own
// package (installed by the root's postinstall). `--fix` lets both rewrite what they can.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const bin = (name: string) => path.join(here, 'node_modules/.bin', name);
const fix = process.argv.includes('--fix');

if (!existsSync(bin('eslint'))) {
  console.error(
    'The lint tools are not installed: run `npm ci` at the repository root (its postinstall installs tools/lint).',
  );
  process.exit(1);
}
const steps: Array<[string, string[]]> = [
  ['eslint', ['--config', path.join(here, 'eslint.config.js'), ...(fix ? ['--fix'] : []), '.']],
  ['prettier', [fix ? '--write' : '--check', '--log-level', 'warn', '.']],
];
for (const [tool, args] of steps) {
  const { status } = spawnSync(bin(tool), args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${tool} found problems${fix ? '' : '; `npm run lint -- --fix` rewrites what it can'}.`);
    process.exit(status ?? 1);
  }
}
