// Applies a plan in order: commands run unless their probe says they are done, lookups fill `${NAME}` for later
// steps, API steps go through the client libraries. Stops at the first failure, naming the step.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { CloudSchedulerClient } from '@google-cloud/scheduler';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { PlanSection, PlanStep } from '../plan/types.ts';
import { ensureSecret, upsertSchedulerJob } from './api-steps.ts';
import type { ApiOutcome } from './api-steps.ts';
import { ensureSubscription, ensureTopic, setDeadLetterPolicy } from './pubsub-steps.ts';
import type { DeadLetterRequest } from './pubsub-steps.ts';

/** The clients API steps use; tests pass clients pointed at local stand-ins. */
export interface ApplyClients {
  readonly scheduler: CloudSchedulerClient;
  readonly secretManager: SecretManagerServiceClient;
  readonly pubsub: PubSub;
}

/** Runs one API step. */
export async function applyApiStep(
  step: Extract<PlanStep, { kind: 'api' }>,
  clients: ApplyClients,
): Promise<ApiOutcome> {
  switch (step.call) {
    case 'scheduler.upsertJob':
      return upsertSchedulerJob(clients.scheduler, step.request as Parameters<typeof upsertSchedulerJob>[1]);
    case 'secretManager.ensureSecret':
      return ensureSecret(clients.secretManager, step.request);
    case 'pubsub.ensureTopic':
      return ensureTopic(clients.pubsub, step.request as { name: string });
    case 'pubsub.ensureSubscription':
      return ensureSubscription(
        clients.pubsub,
        step.request as { name: string; topic: string; retentionSeconds: number },
      );
    case 'pubsub.setDeadLetterPolicy':
      return setDeadLetterPolicy(clients.pubsub, step.request as unknown as DeadLetterRequest);
  }
}

const substitute = (argv: readonly string[], found: ReadonlyMap<string, string>): string[] =>
  argv.map((arg) => arg.replace(/\$\{(\w+)\}/g, (whole, name: string) => found.get(name) ?? whole));

/** Runs a command; `quiet` captures its output (probes and lookups), otherwise the operator sees it and may type. */
export type CommandRunner = (argv: readonly string[], quiet: boolean) => { ok: boolean; stdout: string };

const runCommand: CommandRunner = (argv, quiet) => {
  const [command, ...args] = argv;
  if (!command) throw new Error('empty command');
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['inherit', 'pipe', 'inherit'],
  });
  return { ok: result.status === 0, stdout: result.stdout };
};

/** How to apply: the project, and for tests the clients, the command runner and where progress goes. */
export interface ApplyOptions {
  readonly projectId: string;
  readonly clients?: ApplyClients;
  readonly run?: CommandRunner;
  readonly write?: (line: string) => void;
  /** The folder file steps write in: the repository root, where npm runs the deploy. */
  readonly root?: string;
}

/** Applies the plan (by default against the live project with Application Default Credentials); returns what each
 * step did: `done`, `already done`, or an API step's outcome. */
export async function applyPlan(sections: readonly PlanSection[], options: ApplyOptions): Promise<string[]> {
  const api = options.clients ?? {
    scheduler: new CloudSchedulerClient(),
    secretManager: new SecretManagerServiceClient({ projectId: options.projectId }),
    pubsub: new PubSub({ projectId: options.projectId }),
  };
  const run = options.run ?? runCommand;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const found = new Map<string, string>();
  const outcomes: string[] = [];
  let index = 0;
  for (const step of sections.flatMap((section) => section.steps)) {
    index += 1;
    const label = `${index}. ${step.description}`;
    let outcome: string;
    if (step.kind === 'file') {
      writeFileSync(path.resolve(options.root ?? process.cwd(), step.path), step.content);
      outcome = 'written';
    } else if (step.kind === 'api') {
      const request = JSON.parse(substitute([JSON.stringify(step.request)], found)[0] ?? '{}') as Record<
        string,
        unknown
      >;
      outcome = await applyApiStep({ ...step, request }, api);
    } else if (step.kind === 'command' && step.unless && run(substitute(step.unless, found), true).ok) {
      outcome = 'already done';
    } else {
      const result = run(substitute(step.argv, found), step.kind === 'lookup');
      if (!result.ok)
        throw new Error(`Step ${label} failed; fix the cause and run the deploy again (done steps are skipped)`);
      if (step.kind === 'lookup') found.set(step.name, result.stdout.trim());
      outcome = 'done';
    }
    outcomes.push(outcome);
    write(`${label}: ${outcome}`);
  }
  return outcomes;
}
