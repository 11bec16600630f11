// The sentence of the preview before "Save", apart from the page so it is tested without a browser.
import type { RunView } from '../../../../functions/src/sync/run/run-view.ts';

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

/** The sentence the dialog shows for a finished preview. */
export function previewSentence(run: RunView): string {
  if (run.status !== 'succeeded')
    return `The preview could not finish: ${run.failure ?? 'unknown error'}. You can still save.`;
  const { created, associated, deleted, released, skipped } = run.counts;
  const parts = [`create ${plural(created, 'extension')}`, `delete ${deleted}`, `release ${released}`];
  const extra = [
    associated > 0 ? `${associated} existing extensions will be associated by e-mail` : '',
    skipped > 0 ? `${plural(skipped, 'user')} will be skipped` : '',
  ].filter(Boolean);
  return `This change will ${parts.join(', ').replace(/, ([^,]*)$/, ' and $1')}.${extra.length > 0 ? ` ${extra.join('; ')}.` : ''}`;
}
