// The deploy plan's shape: an ordered list of steps, each a command or an API call an operator can read beforehand.
import type { FirebaseJson } from './firebase-json.ts';

/** What the operator asked for, and the repository's firebase.json. */
export interface PlanOptions {
  readonly projectId: string;
  readonly region: string;
  /** Origin of Firebase Hosting; defaults to the project's web.app domain. */
  readonly publicBaseUrl: string;
  readonly firebaseJson: FirebaseJson;
}

/** A command run as-is (gcloud, firebase, npm). `unless` is a read-only probe: when it succeeds, the step is already
 * done. */
export interface CommandStep {
  readonly kind: 'command';
  readonly description: string;
  readonly argv: readonly string[];
  readonly unless?: readonly string[];
}

/** A value read from the project at apply time and substituted for `${name}` in later steps. */
export interface LookupStep {
  readonly kind: 'lookup';
  readonly description: string;
  readonly name: string;
  readonly argv: readonly string[];
}

/** A call through a Google client library, for what gcloud cannot do idempotently. */
export interface ApiStep {
  readonly kind: 'api';
  readonly description: string;
  readonly call:
    | 'scheduler.upsertJob'
    | 'secretManager.ensureSecret'
    | 'pubsub.ensureTopic'
    | 'pubsub.ensureSubscription'
    | 'pubsub.setDeadLetterPolicy';
  readonly request: Readonly<Record<string, unknown>>;
}

/** A file the deploy writes, relative to the repository root, for a later command to read. */
export interface FileStep {
  readonly kind: 'file';
  readonly description: string;
  readonly path: string;
  readonly content: string;
}

/** One step of the plan. */
export type PlanStep = CommandStep | LookupStep | ApiStep | FileStep;

/** A section of the plan (APIs, identities, topics, ...), kept for the printed headings. */
export interface PlanSection {
  readonly title: string;
  readonly steps: readonly PlanStep[];
}
