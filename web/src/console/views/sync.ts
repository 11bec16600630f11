// "User Synchronization": the guide's settings on native controls, Save (which validates, stores and starts a
// run), Sync now, a live progress bar, and the outcome: the synced count, the counters, skipped users with their
// reasons, and held deletions to approve or discard.
import type { RunView } from '../../../../functions/src/sync/run/run-view.ts';
import type { SyncSettings } from '../../../../functions/src/sync/settings/settings.ts';
import type { Api } from '../api.ts';
import { byId, messageOf } from '../dom.ts';
import { confirmByPreview } from './sync-preview.ts';
import { changesWhoIsSynced, setUpRange } from './sync-range.ts';
import { setUpSpecific } from './sync-specific.ts';
import { setUpHistory } from './sync-history.ts';
import { setUpAlerts } from './alerts.ts';

const COUNT_LABELS: ReadonlyArray<[keyof RunView['counts'], string]> = [
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['unchanged', 'Unchanged'],
  ['associated', 'Associated'],
  ['released', 'Released'],
  ['deleted', 'Deleted'],
  ['skipped', 'Skipped'],
  ['failed', 'Failed'],
];

/** The sections a connected integration shows. */
const SECTIONS = ['sync-section', 'history', 'alerts'] as const;

const input = (id: string) => byId<HTMLInputElement>(id);
const select = (id: string) => byId<HTMLSelectElement>(id);

function fillForm(settings: SyncSettings): void {
  select('sync-numbering').value = settings.numbering.mode;
  input('sync-start').value = settings.numbering.mode === 'auto' ? settings.numbering.start : '';
  input('sync-property').value = settings.numbering.mode === 'property' ? settings.numbering.path : '';
  select('sync-delete-when').value = settings.deleteWhen;
  input('sync-auto-associate').checked = settings.autoAssociate;
  input('sync-welcome').checked = settings.welcomeEmail;
  select('sync-frequency').value = settings.schedule.frequency;
  input('sync-time').value = settings.schedule.time;
  input('sync-deletion-limit').value = settings.deletionLimit === null ? '' : String(settings.deletionLimit);
  showNumberingFields();
}

function showNumberingFields(): void {
  const property = select('sync-numbering').value === 'property';
  byId('sync-start-row').hidden = property;
  byId('sync-property-row').hidden = !property;
}

function readForm(): Omit<SyncSettings, 'range' | 'orgUnits' | 'groups' | 'specific' | 'autoDelete'> {
  const limit = input('sync-deletion-limit').value.trim();
  return {
    numbering:
      select('sync-numbering').value === 'property'
        ? { mode: 'property', path: input('sync-property').value }
        : { mode: 'auto', start: input('sync-start').value.trim() },
    deleteWhen: select('sync-delete-when').value as SyncSettings['deleteWhen'],
    autoAssociate: input('sync-auto-associate').checked,
    welcomeEmail: input('sync-welcome').checked,
    schedule: {
      frequency: select('sync-frequency').value as SyncSettings['schedule']['frequency'],
      time: input('sync-time').value,
    },
    deletionLimit: limit === '' ? null : Number(limit),
  };
}

function listItems(list: HTMLElement, items: string[]): void {
  list.replaceChildren(...items.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

function renderRun(run: RunView | null): void {
  const running = run?.status === 'running';
  byId('sync-progress').hidden = !running;
  byId<HTMLButtonElement>('sync-now').disabled = running;
  const result = byId('sync-result');
  if (!run) result.textContent = 'No synchronization has run yet.';
  else if (running) result.textContent = `Synchronizing… ${run.progress.usersListed} users read so far.`;
  else if (run.status === 'succeeded')
    result.textContent = `${run.syncedUsers ?? 0} users have been synced to the PBX Extension directory.`;
  else if (run.status === 'failed')
    result.textContent = `The last synchronization failed: ${run.failure ?? 'unknown error'}`;
  else if (approving(run)) {
    result.textContent = `Applying your approval: ${run.removalsChecked} of ${run.heldCount} checked with Google, ${run.counts.deleted + run.counts.released} removed so far.`;
  } else if (run.status === 'awaiting_approval') {
    result.textContent = run.approvalFailure
      ? `Your approval could not be applied: ${run.approvalFailure} Approve again or discard.`
      : 'The last synchronization is waiting for your approval of its deletions.';
  } else result.textContent = 'A newer synchronization replaced the last one.';

  const counts = byId('sync-counts');
  counts.hidden = !run;
  counts.replaceChildren(
    ...COUNT_LABELS.flatMap(([key, label]) => [
      Object.assign(document.createElement('dt'), { textContent: label }),
      Object.assign(document.createElement('dd'), { textContent: String(run?.counts[key] ?? 0) }),
    ]),
  );
  byId('sync-problems-box').hidden = !run || run.problems.length === 0;
  listItems(
    byId('sync-problems'),
    (run?.problems ?? []).map((problem) => `${problem.email}: ${problem.reason}`),
  );
  const held = run?.status === 'awaiting_approval';
  byId('sync-held-box').hidden = !held;
  byId('sync-held-reason').textContent = run?.heldReason ?? '';
  listItems(
    byId('sync-held'),
    (run?.held ?? []).map(
      (item) =>
        `Extension ${item.number}: ${item.action === 'release' ? 'release' : 'delete'} (${item.reason === 'out_of_range' ? 'user left the range' : `user ${item.status}`})`,
    ),
  );
  const more = (run?.heldCount ?? 0) - (run?.held.length ?? 0);
  byId('sync-held-more').hidden = more <= 0;
  byId('sync-held-more').textContent = `…and ${more} more.`;
  // Approved removals are being applied: there is nothing left to decide.
  for (const id of ['sync-approve', 'sync-discard'])
    byId<HTMLButtonElement>(id).hidden = run !== null && approving(run);
}

function approving(run: RunView): boolean {
  return run.status === 'awaiting_approval' && run.heldDecision === 'approving';
}

/** The section, wired once; `show` loads it for a connected integration. */
export function setUpSync(api: Api) {
  const specific = setUpSpecific(api, (message) => (byId('sync-error').textContent = message));
  const range = setUpRange(api, specific);
  const history = setUpHistory(api);
  const alerts = setUpAlerts(api);
  const showHistory = () =>
    history.show().catch((error: unknown) => (byId('sync-error').textContent = messageOf(error)));
  // The settings as stored, once the admin has saved any: a change of who is synced is previewed before "Save".
  let saved: SyncSettings | undefined;
  let current: RunView | null = null;
  let polling: ReturnType<typeof setTimeout> | undefined;

  const follow = (run: RunView | null) => {
    // The history lists a run as it ends, and the one a click just started.
    if (run && (run.id !== current?.id || run.status !== current.status)) void showHistory();
    current = run;
    renderRun(run);
    clearTimeout(polling);
    if (run?.status === 'running' || (run && approving(run))) {
      polling = setTimeout(async () => {
        const next = await api.get<{ run: RunView }>(`/api/sync/runs/${run.id}`).catch(() => ({ run }));
        follow(next.run);
      }, 1000);
    }
  };
  const act = async (work: () => Promise<{ run: RunView | null }>) => {
    byId('sync-error').textContent = '';
    try {
      follow((await work()).run);
    } catch (error) {
      byId('sync-error').textContent = (error as Error).message;
    }
  };

  select('sync-numbering').addEventListener('change', showNumberingFields);
  select('sync-range').addEventListener('change', () => {
    byId('sync-error').textContent = '';
    range.showRange().catch((error: unknown) => (byId('sync-error').textContent = messageOf(error)));
  });
  byId<HTMLFormElement>('sync-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const next: SyncSettings = { ...readForm(), ...range.read() };
    void act(async () => {
      if (saved && changesWhoIsSynced(saved, next) && !(await confirmByPreview(api, next))) return { run: current };
      // The synced list's assignments first, so that the run this Save starts syncs them.
      const refused = next.range === 'specific' ? await specific.saveAssignments() : [];
      const result = await api.put<{ settings: SyncSettings; run: RunView | null }>('/api/sync/settings', next);
      saved = result.settings;
      if (refused.length > 0) throw new Error(refused.join(' '));
      return result;
    });
  });
  byId('sync-now').addEventListener('click', () => void act(() => api.post('/api/sync/runs')));
  byId('sync-approve').addEventListener(
    'click',
    () => current && void act(() => api.post(`/api/sync/runs/${current!.id}/approve`)),
  );
  byId('sync-discard').addEventListener(
    'click',
    () => current && void act(() => api.post(`/api/sync/runs/${current!.id}/discard`)),
  );

  return {
    async show(visible: boolean): Promise<void> {
      // Shown only once filled: an admin (or a script) typing into it earlier would see the load overwrite the input.
      for (const id of SECTIONS) byId(id).hidden = true;
      if (!visible) {
        clearTimeout(polling);
        return;
      }
      const {
        settings,
        saved: stored,
        run,
      } = await api.get<{ settings: SyncSettings; saved: boolean; run: RunView | null }>('/api/sync');
      saved = stored ? settings : undefined;
      // A reload starts from the stored state, so an earlier action's error (a paused Sync now) no longer applies.
      byId('sync-error').textContent = '';
      fillForm(settings);
      await range.fill(settings).catch((error: unknown) => (byId('sync-error').textContent = messageOf(error)));
      follow(run);
      if (!run) void showHistory();
      await alerts.show().catch((error: unknown) => (byId('alerts-error').textContent = messageOf(error)));
      for (const id of SECTIONS) byId(id).hidden = false;
    },
  };
}
