// The sign-in and consent pages, shaped like Google's: an "Email" field with a "Next" button, then a consent
// page on which each Directory scope can be unticked before "Allow". Unticked scopes are rejected in the grant,
// so the token response's `scope` omits them, exactly as Google's granular consent does.
import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import { signInRefusal, subjectForEmail, type WorkspaceUsers } from './accounts.ts';
import { escapeHtml, INTERACTION_PREFIX } from './provider.ts';
import { SCOPE_DESCRIPTIONS, SIGN_IN_SCOPES } from './scopes.ts';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}label{display:block;margin:.5rem 0}
.error{color:#b3261e}button{margin-top:1rem;margin-right:.5rem}</style></head>
<body><p>Google (local stand-in)</p>${body}</body></html>`;

function emailForm(uid: string, loginHint: string, error?: string): string {
  return page(
    'Sign in - Google Accounts',
    `<h1>Sign in</h1>
<form method="post" action="${INTERACTION_PREFIX}/${uid}/login">
<label for="identifier">Email</label>
<input id="identifier" name="email" type="email" autocomplete="username" required value="${escapeHtml(loginHint)}">
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">Next</button></form>`,
  );
}

function consentForm(uid: string, clientId: string, email: string, apiScopes: string[]): string {
  const items = apiScopes
    .map(
      (scope, i) => `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" id="scope-${i}" checked>
${escapeHtml(SCOPE_DESCRIPTIONS[scope] ?? scope)}</label>`,
    )
    .join('\n');
  return page(
    'Sign in - Google Accounts',
    `<h1>Teliqon wants access to your Google Account</h1><p>${escapeHtml(email)}</p>
<p>Client: ${escapeHtml(clientId)}</p>
<form method="post" action="${INTERACTION_PREFIX}/${uid}/consent">
<fieldset><legend>Select what this app can access</legend>${items}</fieldset>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="cancel">Cancel</button></form>`,
  );
}

/** The interaction routes, mounted at INTERACTION_PREFIX. */
export function interactionRoutes(provider: Provider, users: WorkspaceUsers, consumers: Map<string, string>): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  router.get('/:uid', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const params = details.params as { client_id: string; scope?: string; login_hint?: string };
      if (details.prompt.name === 'login') {
        res.type('html').send(emailForm(details.uid, params.login_hint ?? ''));
        return;
      }
      const accountId = details.session?.accountId ?? '';
      const email = users.userById(accountId)?.primaryEmail ?? consumers.get(accountId) ?? '';
      const requested = (params.scope ?? '').split(' ');
      const apiScopes = requested.filter((s) => s.startsWith('https://'));
      res.type('html').send(consentForm(details.uid, params.client_id, email, apiScopes));
    } catch (error) {
      next(error);
    }
  });

  router.post('/:uid/login', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const email = ((req.body as { email?: string } | undefined)?.email ?? '').trim().toLowerCase();
      const refusal = email.includes('@') ? signInRefusal(users.userByEmail(email)) : 'Enter a valid email';
      if (refusal) {
        res
          .status(400)
          .type('html')
          .send(emailForm(details.uid, email, refusal));
        return;
      }
      const accountId = subjectForEmail(users, email);
      if (!users.userById(accountId)) consumers.set(accountId, email);
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    } catch (error) {
      next(error);
    }
  });

  router.post('/:uid/consent', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if ((req.body as { decision?: unknown } | undefined)?.decision !== 'allow') {
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The user denied access' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const params = details.params as { client_id: string; scope?: string };
      const ticked = new Set([(req.body as { scope?: unknown } | undefined)?.scope ?? []].flat().map(String));
      const requested = (params.scope ?? '').split(' ').filter(Boolean);
      const alwaysGranted = new Set<string>([...SIGN_IN_SCOPES, 'offline_access']);
      const granted = requested.filter((s) => alwaysGranted.has(s) || ticked.has(s));
      const rejected = requested.filter((s) => !granted.includes(s));

      const grant = new provider.Grant({ accountId: details.session?.accountId ?? '', clientId: params.client_id });
      grant.addOIDCScope(granted.join(' '));
      if (rejected.length > 0) grant.rejectOIDCScope(rejected.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
