// The two pages in real Chromium, on one origin with the functions.
import assert from 'node:assert/strict';
import { newBrowserContext } from '../support/browser.ts';
import { useStack } from '../support/stack.ts';

describe('pages in Chromium', function () {
  this.timeout(60_000);

  it('loads the config page with its sign-in form and the Firebase web config from the same origin', async () => {
    const stack = await useStack();
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      const config = page.waitForResponse((response) => response.url().endsWith('/__/firebase/init.json'));
      await page.goto(`${stack.addresses.publicBaseUrl}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal((await config).status(), 200);
      assert.equal(await page.title(), 'Teliqon Cloud PBX — Management Console');
    } finally {
      await context.close();
    }
  });

  it("loads a tenant's PBX login page at /t/{tenantId}/login", async () => {
    const stack = await useStack();
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(`${stack.addresses.publicBaseUrl}/t/acme/login`);
      await page.getByRole('heading', { name: 'Sign in to Teliqon Cloud PBX' }).waitFor();
      assert.equal(await page.locator('#tenant').textContent(), 'Account: acme');
    } finally {
      await context.close();
    }
  });
});
