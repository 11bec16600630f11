// A scheduler tick handled in this process at the real time, without the runs it would start for every other
// tenant the suite connected: `startRun` calls are recorded, and made only for the tenants `startFor` names. The
// heartbeat is put back as it was, so tests of the heartbeat are not fooled by it.
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getApp } from '../../functions/src/app.ts';
import { TOPICS } from '../../functions/src/catalog.ts';
import { HEARTBEAT_PATH } from '../../functions/src/schedule/heartbeat.ts';
import { handleTick, type TickDependencies } from '../../functions/src/schedule/tick.ts';
import type { RunTrigger } from '../../functions/src/sync/run/run.ts';

/** A run the tick asked to start. */
export interface StartCall {
  readonly tenantId: string;
  readonly trigger: RunTrigger;
  result?: unknown;
}

/** Handles one tick; returns the runs it asked to start, of which it started those `startFor` accepts. */
export async function tickInProcess(startFor: (tenantId: string) => boolean = () => false): Promise<StartCall[]> {
  const app = getApp();
  const calls: StartCall[] = [];
  const deps: TickDependencies = {
    ...app,
    startRun: async (tenantId, trigger, slot) => {
      const call: StartCall = { tenantId, trigger };
      calls.push(call);
      if (startFor(tenantId)) call.result = await app.startRun(tenantId, trigger, slot);
      return call.result;
    },
  };
  const event: CloudEvent<unknown> = {
    specversion: '1.0',
    id: `test-tick-${randomUUID()}`,
    source: `//pubsub.googleapis.com/projects/demo-teliqon/topics/${TOPICS.scheduleTick}`,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    time: new Date().toISOString(),
    data: { message: { data: Buffer.from('{"source":"test"}').toString('base64') } },
  };
  const heartbeat = app.db.doc(HEARTBEAT_PATH);
  const before = await heartbeat.get();
  await handleTick(deps, event);
  if (before.exists) await heartbeat.set(before.data()!);
  else await heartbeat.delete();
  return calls;
}
