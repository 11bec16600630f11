// Every function of the product and its trigger, in one list that index.ts, the local stack and infra/ all read.

/** Pub/Sub topics the product publishes to and is triggered by. */
export const TOPICS = {
  scheduleTick: 'schedule-tick',
  syncPage: 'sync-page',
  syncFinalize: 'sync-finalize',
  welcomeMail: 'welcome-mail',
  directoryPush: 'directory-push',
} as const;

/** A topic name of the product. */
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** How a function is invoked. */
export type Trigger = { readonly kind: 'http' } | { readonly kind: 'topic'; readonly topic: TopicName };

/** One deployable function. */
export interface FunctionSpec {
  readonly name: string;
  readonly trigger: Trigger;
  /** Why it exists, for the deploy plan and the reader. */
  readonly purpose: string;
  /** Whether it sends mail: only such functions get the SMTP credentials in their environment. */
  readonly sendsMail?: true;
}

/**
 * V8 settings of the Pub/Sub-triggered functions, set through NODE_OPTIONS wherever they run (the local tasks host,
 * and the deployed services). A page task's live data is small (one page of 500 users), but V8's defaults let a busy
 * process grow its young generation to 48 MiB and its old one far past what it keeps alive: measured with
 * `npm run bench:sync`, a page task process peaked at about 450 MiB with the defaults and under 200 MiB with these,
 * at the same speed.
 */
export const TASK_NODE_OPTIONS = '--max-old-space-size=128 --max-semi-space-size=2';

/** The product's functions. Hosting rewrites in firebase.json name the HTTP ones. */
export const FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'adminApi', trigger: { kind: 'http' }, purpose: 'Admin API behind the config page' },
  { name: 'oauthCallback', trigger: { kind: 'http' }, purpose: "Google's return after the admin's consent (connect)" },
  {
    name: 'ssoStart',
    trigger: { kind: 'http' },
    purpose: "The login page's G button: sends an employee to Google to sign in",
  },
  {
    name: 'ssoCallback',
    trigger: { kind: 'http' },
    purpose: "Google's return after an employee signs in (the Client SSO Redirect URI)",
  },
  {
    name: 'userApi',
    trigger: { kind: 'http' },
    purpose: 'The login and landing pages: sign-in options, the signed-in user, sign-out',
  },
  {
    name: 'scheduleTick',
    trigger: { kind: 'topic', topic: TOPICS.scheduleTick },
    purpose: 'Cloud Scheduler tick: records the heartbeat, starts due syncs and fails stalled ones',
  },
  { name: 'syncPage', trigger: { kind: 'topic', topic: TOPICS.syncPage }, purpose: 'One Directory page of a sync run' },
  {
    name: 'syncFinalize',
    trigger: { kind: 'topic', topic: TOPICS.syncFinalize },
    purpose: 'Deletions and the summary of a complete run',
  },
  {
    name: 'directoryPush',
    trigger: { kind: 'http' },
    purpose: "Google's Directory push notifications (users.watch): checked and queued, one task per user",
  },
  {
    name: 'pushUser',
    trigger: { kind: 'topic', topic: TOPICS.directoryPush },
    purpose: 'One pushed change of a user: read again from Google and applied with the sync planner',
  },
  {
    name: 'welcomeMail',
    trigger: { kind: 'topic', topic: TOPICS.welcomeMail },
    purpose: 'The welcome e-mail of a created extension',
    sendsMail: true,
  },
];
