// The plan's API steps, through Google's client libraries: create-or-update, comparing before writing, so a second
// apply changes nothing. The clients are passed in, so tests point them at the emulator and local stand-ins.
import type { CloudSchedulerClient, protos as schedulerProtos } from '@google-cloud/scheduler';
import type { SecretManagerServiceClient, protos as secretProtos } from '@google-cloud/secret-manager';

type Job = schedulerProtos.google.cloud.scheduler.v1.IJob;
type CreateSecretRequest = secretProtos.google.cloud.secretmanager.v1.ICreateSecretRequest;

/** What an API step did. */
export type ApiOutcome = 'created' | 'updated' | 'unchanged';

const NOT_FOUND = [5, 404];
const isNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && NOT_FOUND.includes(Number((error as { code?: unknown }).code));

/** Creates the Scheduler job, or updates it when its schedule, time zone, description or target differ. */
export async function upsertSchedulerJob(
  client: CloudSchedulerClient,
  request: { parent: string; job: Job },
): Promise<ApiOutcome> {
  const wanted = request.job;
  let current: Job;
  try {
    [current] = await client.getJob({ name: wanted.name });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await client.createJob({ parent: request.parent, job: wanted });
    return 'created';
  }
  // The plan states the data as base64 (proto JSON); the client returns bytes.
  const data = (job: Job): string => {
    const bytes = job.pubsubTarget?.data ?? '';
    return typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('base64');
  };
  const same =
    current.schedule === wanted.schedule &&
    current.timeZone === wanted.timeZone &&
    (current.description ?? '') === (wanted.description ?? '') &&
    current.pubsubTarget?.topicName === wanted.pubsubTarget?.topicName &&
    data(current) === data(wanted);
  if (same) return 'unchanged';
  await client.updateJob({ job: wanted });
  return 'updated';
}

/** Creates the secret (no version: its value never passes through the plan) unless it exists. */
export async function ensureSecret(
  client: SecretManagerServiceClient,
  request: CreateSecretRequest,
): Promise<ApiOutcome> {
  try {
    await client.getSecret({ name: `${request.parent}/secrets/${request.secretId}` });
    return 'unchanged';
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await client.createSecret(request);
  return 'created';
}
