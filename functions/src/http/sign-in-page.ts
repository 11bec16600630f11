// The page that ends a refused sign-in. It says what happened in the employee's words and leads back to the
// tenant's login page when the tenant is known; it carries no detail of the failure beyond that message.
import type { Response } from '@google-cloud/functions-framework';
import { log } from '../log.ts';
import { SsoError } from '../sso/sso-error.ts';

// Every text on the page is escaped: messages carry e-mail addresses from the ID token.
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(reason: string, message: string, tenantId: string | undefined): string {
  const back = tenantId ? `<p><a href="/t/${encodeURIComponent(tenantId)}/login">Back to the sign-in page</a></p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Not signed in — Teliqon Cloud PBX</title>
  <link rel="stylesheet" href="/styles.css">
</head>
<body>
  <main data-reason="${escapeHtml(reason)}">
    <h1>You are not signed in</h1>
    <p role="alert">${escapeHtml(message)}</p>
    ${back}
  </main>
</body>
</html>
`;
}

// openid-client wraps the failed check (a bad signature, an unexpected alg) in a general error; operators need
// the inner messages to tell one forgery from another. They name checks, never token contents.
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let cause = error; cause instanceof Error && messages.length < 5; cause = cause.cause) {
    // Google's OAuth error code (invalid_grant, access_denied, ...) rides on openid-client's response errors.
    const code = (cause as { error?: unknown }).error;
    messages.push(typeof code === 'string' ? `${cause.message} (${code})` : cause.message);
  }
  return messages.join(' <- ');
}

/** Answers a refused or failed sign-in with its page; anything but an SsoError is logged and not described. */
export function sendSignInRefusal(res: Response, error: unknown, context: Record<string, unknown> = {}): void {
  // The URL holds a (spent) code and state; the page's link must not carry them off in a Referer.
  res.set('Referrer-Policy', 'no-referrer');
  // Its own security headers, not only Hosting's: the page must not be framed or sniffed whatever Hosting adds.
  res.set('Content-Security-Policy', "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set('X-Content-Type-Options', 'nosniff');
  if (error instanceof SsoError) {
    log.warn('Sign in with Google refused', {
      ...context,
      tenant: error.tenantId,
      reason: error.reason,
      detail: causes(error.cause ?? error),
    });
    res
      .status(error.httpStatus)
      .type('html')
      .send(page(error.reason, error.message, error.tenantId));
    return;
  }
  log.error('Sign in with Google failed unexpectedly', { ...context, error });
  res
    .status(500)
    .type('html')
    .send(
      page(
        'internal',
        'Something went wrong on our side, and you were not signed in. Try again in a moment.',
        undefined,
      ),
    );
}
