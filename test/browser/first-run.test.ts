// Regression test for the first run a newcomer meets: `npm start` on its own default ports, and the guide followed
// from the lines it prints, in stock Chromium with no flag that lifts a browser rule (no --explicitly-allowed-ports).
// The Google stand-in once sat on SIP's port 5060, which Chromium refuses (ERR_UNSAFE_PORT) and Node's fetch too,
// and the tests never saw it because their stacks ran on other ports. If the developer's own npm start holds these
// ports, the test fails and says so rather than moving them. Each step's screenshot is written to
// .dev-data/screenshots/ for a reviewer to look at.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { requireFreePort } from '../../dev/stack/processes.ts';
import { REPO_ROOT, stackFile } from '../../dev/stack/stack-config.ts';
import { newBrowserContext } from '../support/browser.ts';
import {
  consentInBrowser,
  navigateToSync,
  openGoogleCard,
  saveCredentials,
  signInToConsole,
} from '../support/console-page.ts';
import { launchNpmStart, requireDefaultPortsFree, type NpmStart } from '../support/npm-start.ts';
import { recordProgramOutput } from '../support/output.ts';

const SCREENSHOTS = path.join(REPO_ROOT, '.dev-data', 'screenshots');
const EMPLOYEE = { email: 'olivia.bennett@acme.example', name: 'Olivia Bennett' };

describe('first run: npm start on its default ports, and the guide in Chromium from what it prints', function () {
  this.timeout(120_000);
  let npmStart: NpmStart | undefined;
  let admin: BrowserContext | undefined;
  let shots = 0;
  // Filled in by the steps, in order, as a person goes from one to the next.
  let synced = 0;
  let extension = '';

  async function screenshot(page: Page, step: string): Promise<void> {
    await page.screenshot({
      path: path.join(SCREENSHOTS, `${String(++shots).padStart(2, '0')}-${step}.png`),
      fullPage: true,
    });
  }

  function started(): NpmStart {
    assert.ok(npmStart, 'npm start is running');
    return npmStart;
  }

  async function adminPage(): Promise<Page> {
    admin ??= await newBrowserContext();
    return admin.pages()[0] ?? admin.newPage();
  }

  before(async function () {
    this.timeout(180_000);
    await requireDefaultPortsFree();
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    npmStart = await launchNpmStart();
  });

  // A failed step leaves no stack behind.
  after(async () => {
    await admin?.close();
    npmStart?.kill();
  });

  it('prints where everything is, on its default ports, with "Config page:" last', () => {
    const lines = started().output().split('\n');
    const last = lines.findIndex((line) => line.startsWith('Config page: '));
    const labels = lines.slice(last - 5, last + 1).map((line) => line.split(': ')[0]);
    assert.deepEqual(labels, [
      'PBX login',
      'Admin sign-in',
      'Google admin',
      'Google OAuth client',
      'Inbox',
      'Config page',
    ]);
    const { gateway, inbox } = stackFile.stacks.start;
    assert.equal(started().printed('Config page'), `http://localhost:${gateway}/`);
    assert.equal(started().printed('PBX login'), `http://localhost:${gateway}/t/acme/login`);
    assert.equal(started().printed('Inbox'), `http://127.0.0.1:${inbox}`);
  });

  it('guide Steps 1-3: signs in to the printed Config page and connects Google Workspace with the printed client', async () => {
    const page = await adminPage();
    const configPage = started().printed('Config page');
    const [email, password] = started().printed('Admin sign-in').split(' / ');
    await signInToConsole(page, configPage.replace(/\/$/, ''), { adminEmail: email!, adminPassword: password! });
    await screenshot(page, 'console-signed-in');

    const card = await openGoogleCard(page);
    await card.getByRole('button', { name: 'Integrate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Google SSO Integration' });
    assert.equal(
      await dialog.getByRole('textbox', { name: 'Redirect URI', exact: true }).inputValue(),
      new URL('/oauth/google/callback', configPage).href,
    );
    assert.equal(
      await dialog.getByRole('textbox', { name: 'Client SSO Redirect URI' }).inputValue(),
      new URL('/sso/google/callback', configPage).href,
    );
    await screenshot(page, 'integrate-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    const [clientId, clientSecret] = started().printed('Google OAuth client').split(' / ');
    await saveCredentials(page, clientId!, clientSecret!);
    await page.waitForURL(/\/signin\/v2\//);
    await screenshot(page, 'google-sign-in');
    await consentInBrowser(page, started().printed('Google admin'));
    await page.getByText('Google Workspace is connected.').waitFor();
    await screenshot(page, 'connected');
  });

  it('guide "Synchronizing All Users": All Users with "Send Welcome Email" on, then "X users have been synced"', async () => {
    const page = await adminPage();
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Collaboration' }).click();
    const section = await navigateToSync(page);
    await section.getByLabel('User Range For Extension Auto Creation').selectOption({ label: 'All Users' });
    await section.getByLabel("User's Extension Number").selectOption({ label: 'Assign Automatically' });
    await section.getByLabel('Start Extension Number from').fill('2000');
    await section.getByLabel('Send Welcome Email automatically after an extension is created').check();
    await screenshot(page, 'sync-settings');
    await section.getByRole('button', { name: 'Save' }).click();
    const message = section.getByText(/^\d+ users have been synced to the PBX Extension directory\.$/);
    await message.waitFor({ timeout: 60_000 });
    synced = Number((await message.textContent())!.split(' ')[0]);
    assert.ok(synced >= 25, `synced ${synced}`);
    await screenshot(page, 'synced');
  });

  it('guide: the "Extension and Trunk" → "Extension" tab lists them with the "G" icon', async () => {
    assert.ok(synced > 0, 'the sync step ran');
    const page = await adminPage();
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Extension', exact: true }).click();
    const table = page.getByRole('table', { name: 'Extension' });
    const row = table.getByRole('row').filter({ hasText: EMPLOYEE.email });
    await row.waitFor();
    assert.equal(await table.getByRole('img', { name: 'Managed by Google' }).count(), synced);
    extension = (await row.getByRole('cell').first().textContent())!.trim();
    assert.match(extension, /^2\d{3}$/);
    await screenshot(page, 'extensions');
  });

  it('guide "How to Enable Google SSO": the employee signs in with Google on the printed PBX login page and sees their extension', async () => {
    assert.ok(extension, 'the Extension tab step ran');
    const employee = await newBrowserContext();
    try {
      const page = await employee.newPage();
      await page.goto(started().printed('PBX login'));
      const button = page.getByRole('button', { name: 'Sign in with Google', exact: true });
      await button.waitFor();
      await screenshot(page, 'pbx-login');
      await button.click();
      await page.getByLabel('Email').fill(EMPLOYEE.email);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      const landing = page.getByRole('region', { name: `Welcome, ${EMPLOYEE.name}` });
      await landing.waitFor();
      assert.equal(new URL(page.url()).pathname, '/t/acme/home');
      assert.equal(await landing.getByRole('definition').first().textContent(), extension);
      await screenshot(page, 'landing-page');
    } finally {
      await employee.close();
    }
  });

  it('the printed Inbox lists the welcome e-mails, and hers shows the extension, the PBX login address and how to sign in', async () => {
    assert.ok(extension, 'the Extension tab step ran');
    const reader = await newBrowserContext();
    try {
      const page = await reader.newPage();
      await page.goto(started().printed('Inbox'));
      const subject = `Your Teliqon Cloud PBX extension ${extension}`;
      const message = page.getByText(subject, { exact: true });
      await message.waitFor({ timeout: 30_000 });
      await screenshot(page, 'inbox');
      await message.click();
      // MailDev's message pane (its own test id): the list beside it shows the start of every message too.
      const viewer = page.getByTestId('email-viewer');
      await viewer.getByText(`Your Teliqon Cloud PBX extension is ${extension}.`).waitFor();
      const text = (await viewer.innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes(`to ${EMPLOYEE.email}`), 'addressed to her');
      assert.ok(
        text.includes(`Sign in at ${started().printed('PBX login')} with the "Sign in with Google" button`),
        text,
      );
      await screenshot(page, 'welcome-email');
    } finally {
      await reader.close();
    }
  });

  it('stops everything it started on Ctrl-C, with nothing failed while it ran', async () => {
    const running = started();
    const logs = path.join(REPO_ROOT, '.dev-data', 'start', 'logs');
    for (const name of readdirSync(logs))
      recordProgramOutput(`npm start log ${name}`, readFileSync(path.join(logs, name), 'utf8'));
    const ended = await running.interrupt();
    npmStart = undefined;
    recordProgramOutput('npm start', running.output());
    // npm itself ends by the signal it was sent, as it does in a terminal; the stack under it ends normally.
    assert.ok(['SIGINT', 'code 0'].includes(ended), `npm start ended by ${ended}:\n${running.output()}`);
    assert.match(running.output(), /^Stopping…$/m);
    assert.doesNotMatch(running.output(), /Error|failed/i, 'nothing failed while it ran or stopped');
    for (const [owner, port] of Object.entries(stackFile.stacks.start)) await requireFreePort(port, '127.0.0.1', owner);
  });
});
