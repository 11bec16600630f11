// What the sync's tasks need, wired once in app.ts.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../../config.ts';
import type { DirectoryProvider } from '../../google/directory.ts';
import type { InstanceCaches } from '../../instance-caches.ts';
import type { TaskQueue } from '../../platform/pubsub.ts';
import type { RunTrigger } from './run.ts';

/** The dependencies of page and finalize tasks. */
export interface PageDependencies {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly queue: TaskQueue;
  /** The tenants' Google Workspace directories, with their sessions, retries and errors (the Directory port). */
  readonly directory: DirectoryProvider;
  /** What this instance keeps between tasks. */
  readonly caches: InstanceCaches;
  /** The least time between two Directory calls of a tenant, from its query budget; a chain of a run with k
   * chains listing at once spaces its pages k times this. */
  readonly callSpacingMs: number;
  /** More pages than this in one chain means the listing loops. */
  readonly maxPagesPerChain: number;
  /** How long one delivery applies removals before handing on to the next (removal-chunks.ts). */
  readonly removalDeliveryMs: number;
  /** Starts a run (for rerunRequested). */
  readonly startRun: (tenantId: string, trigger: RunTrigger) => Promise<unknown>;
}
