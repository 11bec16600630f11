// The words of each alert mail: what happened, and what the admin can do about it, with a link to the page.
import type { AlertMail } from './alerts.ts';

/** A mail's subject and text. */
export interface AlertText {
  readonly subject: string;
  readonly text: string;
}

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

/** The subject and text of an alert mail; `pageUrl` is the Google SSO Integration page. */
export function alertText(
  mail: Pick<AlertMail, 'condition' | 'event' | 'detail' | 'count'>,
  pageUrl: string,
): AlertText {
  const open = `Open the Google SSO Integration page: ${pageUrl}`;
  const lines = (subject: string, ...body: string[]): AlertText => ({
    subject: `Teliqon Cloud PBX: ${subject}`,
    text: [...body, '', 'Teliqon Cloud PBX'].join('\n'),
  });
  if (mail.event === 'cleared') {
    const subjects = {
      run_failed: 'user synchronization works again',
      deletions_held: 'held deletions settled',
      reauthorization_required: 'Google Workspace is authorized again',
      push_stopped: 'updates from Google arrive again',
    } as const;
    return lines(subjects[mail.condition], mail.detail, '', open);
  }
  switch (mail.condition) {
    case 'run_failed':
      return lines(
        'user synchronization failed',
        `The synchronization of Google Workspace users to PBX extensions failed: ${mail.detail}`,
        'Nothing was deleted. The next nightly run tries again; to try now, click "Sync now".',
        '',
        open,
      );
    case 'deletions_held':
      return lines(
        `${plural(mail.count ?? 0, 'deletion')} waiting for your approval`,
        `A synchronization would remove ${plural(mail.count ?? 0, 'extension')}, more than the deletion limit allows at once: ${mail.detail}`,
        'Nothing is removed until you approve. Review the list and click "Approve deletions" or "Discard":',
        pageUrl,
      );
    case 'reauthorization_required':
      return lines(
        'Google Workspace needs to be authorized again',
        `Google no longer accepts the stored authorization: ${mail.detail}`,
        'Synchronization has stopped and nothing is deleted; Sign in with Google keeps working.',
        'Click "Reauthorize" (or "Integrate", if the client or its secret changed) on the page.',
        '',
        open,
      );
    case 'push_stopped':
      return lines(
        'updates from Google have stopped',
        `The push channels that bring changes from Google within a minute could not be renewed for more than an hour: ${mail.detail}`,
        'The nightly synchronization still runs. Check that the Admin SDK API is enabled in your Google Cloud project.',
        '',
        open,
      );
  }
}
