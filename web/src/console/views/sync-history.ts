// "Synchronization history": the recent runs and days of updates from Google, and one's changes a page of 100 at a
// time, filtered by kind, searched by name or e-mail address, and downloaded as CSV.
import type { ChangePage, HistoryItem } from '../../../../functions/src/sync/history/history-query.ts';
import type { Api } from '../api.ts';
import { byId, messageOf } from '../dom.ts';

const TRIGGERS: Readonly<Record<string, string>> = {
  schedule: 'Nightly schedule',
  manual: 'Sync now',
  save: 'Save',
  connect: 'Connect',
  rerun: 'Save during a run',
  preview: 'Preview (nothing written)',
  push: 'Updates from Google',
  resume: 'Resume',
};

const STATUSES: Readonly<Record<string, string>> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  awaiting_approval: 'Waiting for approval',
  superseded: 'Superseded',
};

const COUNTED: ReadonlyArray<keyof HistoryItem['counts']> = [
  'created',
  'updated',
  'associated',
  'released',
  'deleted',
  'skipped',
  'failed',
];

function cell(text: string): HTMLTableCellElement {
  return Object.assign(document.createElement('td'), { textContent: text });
}

function countsText(item: HistoryItem): string {
  const parts = COUNTED.filter((key) => item.counts[key] > 0).map((key) => `${item.counts[key]} ${key}`);
  return parts.length > 0 ? parts.join(', ') : 'No changes';
}

/** What a change did, beyond its kind, in words. */
export function changeDetails(change: ChangePage['changes'][number]): string {
  const parts = [
    change.from ? `${change.from} → ${change.number ?? ''}` : '',
    ...(change.fields ?? []).map(
      (field) => `${field.field}: ${field.before || '(empty)'} → ${field.after || '(empty)'}`,
    ),
    change.reason ?? '',
  ];
  return parts.filter(Boolean).join('; ');
}

/** Table rows of changes. */
export function changeRows(changes: ChangePage['changes']): HTMLTableRowElement[] {
  return changes.map((change) => {
    const row = document.createElement('tr');
    row.append(
      cell(change.kind),
      cell(change.name),
      cell(change.email),
      cell(change.number ?? ''),
      cell(changeDetails(change)),
      cell(new Date(change.at).toLocaleString()),
    );
    return row;
  });
}

/** The history, wired once; `show` loads the list. */
export function setUpHistory(api: Api) {
  let opened: HistoryItem | undefined;
  let next: string | null = null;
  // Each load gets a number so a slow answer to an older filter never overwrites a newer one.
  let latestLoad = 0;

  const filterQuery = () => {
    const query = new URLSearchParams();
    const kind = byId<HTMLSelectElement>('history-kind').value;
    const search = byId<HTMLInputElement>('history-search').value.trim();
    if (kind) query.set('kind', kind);
    if (search) query.set('q', search);
    return query;
  };

  async function loadChanges(more: boolean): Promise<void> {
    if (!opened) return;
    const status = byId('history-status');
    const query = filterQuery();
    if (more && next) query.set('after', next);
    const load = ++latestLoad;
    status.textContent = 'Loading changes…';
    try {
      const page = await api.get<ChangePage>(`/api/sync/history/${opened.id}/changes?${query.toString()}`);
      if (load !== latestLoad) return;
      next = page.next;
      const rows = byId('history-rows');
      if (more) rows.append(...changeRows(page.changes));
      else rows.replaceChildren(...changeRows(page.changes));
      const shown = rows.childElementCount;
      status.textContent = shown === 0 ? 'No changes match.' : `Showing ${shown} change${shown === 1 ? '' : 's'}.`;
      byId('history-more').hidden = next === null;
    } catch (error) {
      if (load === latestLoad) status.textContent = messageOf(error);
    }
  }

  function open(item: HistoryItem): void {
    opened = item;
    next = null;
    byId('history-changes').hidden = false;
    byId('history-changes-title').textContent =
      `Changes of ${TRIGGERS[item.trigger] ?? item.trigger}, ${new Date(item.startedAt).toLocaleString()}`;
    void loadChanges(false);
  }

  byId<HTMLFormElement>('history-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadChanges(false);
  });
  byId('history-kind').addEventListener('change', () => void loadChanges(false));
  byId('history-more').addEventListener('click', () => void loadChanges(true));
  byId('history-download').addEventListener('click', () => {
    if (!opened) return;
    const path = `/api/sync/history/${opened.id}/changes.csv?${filterQuery().toString()}`;
    api
      .download(path, `sync-changes-${opened.id}.csv`)
      .catch((error: unknown) => (byId('history-status').textContent = messageOf(error)));
  });

  return {
    async show(): Promise<void> {
      const { runs, keptDays } = await api.get<{ runs: HistoryItem[]; keptDays: number }>('/api/sync/history');
      byId('history-kept').textContent = `What each run changed is kept for ${keptDays} days.`;
      byId('history-runs').replaceChildren(
        ...runs.map((item) => {
          const row = document.createElement('tr');
          const view = Object.assign(document.createElement('button'), { type: 'button', textContent: 'View changes' });
          view.setAttribute('aria-label', `View changes of ${new Date(item.startedAt).toLocaleString()}`);
          view.addEventListener('click', () => open(item));
          const actions = document.createElement('td');
          actions.append(view);
          row.append(
            cell(new Date(item.startedAt).toLocaleString()),
            cell(TRIGGERS[item.trigger] ?? item.trigger),
            cell(STATUSES[item.status] ?? item.status),
            cell(countsText(item)),
            actions,
          );
          return row;
        }),
      );
      if (runs.length === 0) {
        const empty = document.createElement('tr');
        empty.append(Object.assign(cell('No synchronization has run yet.'), { colSpan: 5 }));
        byId('history-runs').replaceChildren(empty);
      }
    },
  };
}
