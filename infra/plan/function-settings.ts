// Per-function runtime settings, each with the reason it was chosen, so the plan can print why.
import { FUNCTIONS } from '../../functions/src/catalog.ts';

/** Cloud Run settings of one function. */
export interface FunctionSettings {
  readonly memory: string;
  readonly cpu: string;
  readonly timeoutSeconds: number;
  readonly concurrency: number;
  readonly maxInstances: number;
  readonly why: string;
}

// HTTP handlers wait on Firestore and Google, so one instance serves many requests; concurrency above 1 needs a whole
// CPU.
const interactive = (maxInstances: number, why: string): FunctionSettings => ({
  memory: '512Mi',
  cpu: '1',
  timeoutSeconds: 60,
  concurrency: 80,
  maxInstances,
  why,
});

/** Settings by function name; every function of the catalog must have an entry (checked by the plan builder). */
export const FUNCTION_SETTINGS: Readonly<Record<string, FunctionSettings>> = {
  adminApi: interactive(10, 'a few admins per tenant, I/O-bound: 80 requests per instance, 10 instances is ample'),
  oauthCallback: interactive(5, 'once per connect, a token exchange and one write'),
  ssoStart: interactive(20, 'every employee sign-in passes here; a redirect only, so many per instance'),
  ssoCallback: interactive(20, 'every employee sign-in: ID token check and a session write, I/O-bound'),
  userApi: interactive(20, 'login and landing pages of all employees, small reads'),
  directoryPush: interactive(
    20,
    "Google posts every change of every tenant's users here: one record read and one publish each, so many per instance",
  ),
  scheduleTick: {
    memory: '256Mi',
    cpu: '0.167',
    timeoutSeconds: 120,
    concurrency: 1,
    maxInstances: 1,
    why: 'one tick a minute; a single instance means two ticks never overlap their sweeps',
  },
  syncPage: {
    memory: '256Mi',
    cpu: '0.5',
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 20,
    why: 'one page of 500 users per task, measured under 200 MiB with TASK_NODE_OPTIONS; the Directory budget, not instances, paces a tenant',
  },
  syncFinalize: {
    memory: '512Mi',
    cpu: '1',
    timeoutSeconds: 540,
    concurrency: 1,
    maxInstances: 5,
    why: "reads a whole run's pages to find deletions, so more memory and the longest timeout",
  },
  pushUser: {
    memory: '256Mi',
    cpu: '0.167',
    timeoutSeconds: 60,
    concurrency: 1,
    maxInstances: 20,
    why: 'one user per task: a users.get and a few writes, waiting 1.5 s first so a burst about one user costs one read',
  },
  welcomeMail: {
    memory: '256Mi',
    cpu: '0.167',
    timeoutSeconds: 60,
    concurrency: 1,
    maxInstances: 5,
    why: "one SMTP send per task; few instances keep within the mail relay's connection limits",
  },
};

/** The settings of a catalog function, or an error naming the function that has none. */
export function settingsOf(name: string): FunctionSettings {
  const settings = FUNCTION_SETTINGS[name];
  if (!settings) throw new Error(`infra/plan/function-settings.ts has no settings for function ${name}`);
  return settings;
}

const MEBIBYTES: Record<string, number> = { Mi: 1, Gi: 1024 };

/** What Cloud Run would refuse in a function's settings, as messages naming the function; empty when it accepts
 * them. Its limits: a fractional CPU from 0.08 serves one request at a time, more memory needs more CPU (over
 * 512 MiB at least 0.5, over 1 GiB at least 1), whole CPUs above 1, and event-driven functions stop at 540 s. */
export function cloudRunProblems(name: string, settings: FunctionSettings, eventDriven: boolean): string[] {
  const problems: string[] = [];
  const cpu = Number(settings.cpu);
  const memory = /^(\d+)(Mi|Gi)$/.exec(settings.memory);
  const mebibytes = memory ? Number(memory[1]) * MEBIBYTES[memory[2]!]! : NaN;
  if (!memory) problems.push(`${name}: memory ${settings.memory} is not like 256Mi or 1Gi`);
  if (!(cpu >= 0.08)) problems.push(`${name}: cpu ${settings.cpu} is below Cloud Run's 0.08`);
  if (cpu > 1 && !Number.isInteger(cpu)) problems.push(`${name}: cpu above 1 must be whole, not ${settings.cpu}`);
  if (cpu < 1 && settings.concurrency > 1)
    problems.push(`${name}: concurrency ${settings.concurrency} needs at least 1 cpu`);
  if (mebibytes > 512 && cpu < 0.5) problems.push(`${name}: ${settings.memory} needs at least 0.5 cpu`);
  if (mebibytes > 1024 && cpu < 1) problems.push(`${name}: ${settings.memory} needs at least 1 cpu`);
  const maxTimeout = eventDriven ? 540 : 3600;
  if (settings.timeoutSeconds > maxTimeout)
    problems.push(`${name}: timeout ${settings.timeoutSeconds}s exceeds ${maxTimeout}s`);
  return problems;
}

/** Names of catalog functions without settings (empty when the catalog and the settings agree). */
export function functionsWithoutSettings(): string[] {
  return FUNCTIONS.map((spec) => spec.name).filter((name) => FUNCTION_SETTINGS[name] === undefined);
}
