// The builds of functions/ the cold-start benchmark measures: the working tree's, and optionally a git revision's
// beside it (say main's), so both are measured in the same run on the same machine. Each is built as Cloud Build
// builds it, with the functions package's own tsc configuration, and loaded as Cloud Run loads it (lib/index.js).
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../stack/stack-config.ts';

const run = promisify(execFile);

/** One built entry point and what to call it in the table. */
export interface FunctionsBuild {
  readonly label: string;
  readonly entry: string;
}

async function compile(functionsDir: string): Promise<void> {
  rmSync(path.join(functionsDir, 'lib'), { recursive: true, force: true });
  await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: functionsDir,
  });
}

/** The working tree's functions/, built into functions/lib as `npm run build` does. */
export async function buildWorkingTree(): Promise<FunctionsBuild> {
  const functionsDir = path.join(REPO_ROOT, 'functions');
  await compile(functionsDir);
  return { label: 'this tree', entry: path.join(functionsDir, 'lib/index.js') };
}

/** `revision`'s functions/, taken from git into .dev-data and built there. Its packages resolve from the
 * repository's node_modules, above it, so it runs on the same dependencies as the working tree. */
export async function buildRevision(revision: string): Promise<FunctionsBuild> {
  const { stdout } = await run('git', ['rev-parse', '--short', `${revision}^{commit}`], { cwd: REPO_ROOT });
  const commit = stdout.trim();
  const root = path.join(REPO_ROOT, '.dev-data', 'bench-cold', commit);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const archive = path.join(root, 'functions.tar');
  await run('git', ['archive', '--output', archive, commit, 'tsconfig.base.json', 'functions'], { cwd: REPO_ROOT });
  await run('tar', ['-xf', archive], { cwd: root });
  await compile(path.join(root, 'functions'));
  return { label: `${revision} (${commit})`, entry: path.join(root, 'functions/lib/index.js') };
}
