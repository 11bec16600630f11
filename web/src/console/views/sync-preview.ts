// The preview before "Save": when a change alters who is synced, the page runs a dry run of the new settings and
// says how many extensions it would create, delete or release, and lists the changes; the admin then confirms or
// cancels.
import type { RunView } from '../../../../functions/src/sync/run/run-view.ts';
import type { Api } from '../api.ts';
import { byId } from '../dom.ts';
import { previewSentence } from './preview-sentence.ts';
import { changeRows } from './sync-history.ts';
import type { ChangePage } from '../../../../functions/src/sync/history/history-query.ts';

/** Runs a preview of `settings` and asks the admin; resolves true when they confirm. */
export async function confirmByPreview(api: Api, settings: object): Promise<boolean> {
  // The preview validates the settings as Save does: a refused setting is shown on the form, and no dialog opens.
  const started = await api.post<{ run: RunView }>('/api/sync/preview', settings);
  const dialog = byId<HTMLDialogElement>('sync-preview');
  const text = byId('sync-preview-text');
  const confirm = byId<HTMLButtonElement>('sync-preview-confirm');
  text.textContent = 'Checking what this change will do…';
  byId('sync-preview-table').hidden = true;
  byId('sync-preview-more').hidden = true;
  confirm.disabled = true;
  dialog.returnValue = '';
  dialog.showModal();
  const closed = new Promise<boolean>((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true }),
  );
  void (async () => {
    try {
      let run = started.run;
      while (run.status === 'running' && dialog.open) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        ({ run } = await api.get<{ run: RunView }>(`/api/sync/runs/${run.id}`));
      }
      text.textContent = previewSentence(run);
      // The same list a run's history shows, of what the change would do.
      const page = await api.get<ChangePage>(`/api/sync/history/${run.id}/changes`);
      byId('sync-preview-rows').replaceChildren(...changeRows(page.changes));
      byId('sync-preview-table').hidden = page.changes.length === 0;
      byId('sync-preview-more').hidden = page.next === null;
    } catch (error) {
      text.textContent = `${(error as Error).message} You can still save.`;
    }
    confirm.disabled = false;
  })();
  return closed;
}
