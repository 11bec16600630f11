// The SMTP sink: MailDev takes every message the product sends and shows it in a local inbox, its own web UI for a
// person in a browser and its REST API (/api/email) for the tests. It runs as a process of its own, like every
// other service of the stack, so what it prints goes to its log and not between npm start's lines.
import path from 'node:path';
import { startService, waitForHttp, type Service } from './processes.ts';
import { REPO_ROOT } from './stack-config.ts';

/** Starts MailDev with SMTP on `smtpPort` and the inbox on `inboxPort`, both on loopback; mail is kept in `mailDir`. */
export async function startMailSink(
  host: string,
  smtpPort: number,
  inboxPort: number,
  mailDir: string,
  logDir: string,
): Promise<Service> {
  const maildev = path.join(REPO_ROOT, 'node_modules/.bin/maildev');
  const service = startService(
    'inbox',
    maildev,
    [
      '--ip',
      host,
      '--smtp',
      String(smtpPort),
      '--web-ip',
      host,
      '--web',
      String(inboxPort),
      '--mail-directory',
      mailDir,
    ],
    { cwd: REPO_ROOT, logDir },
  );
  await waitForHttp('Inbox (MailDev)', `http://${host}:${inboxPort}/api/email`, (_body, status) => status === 200, {
    service,
  });
  return service;
}
