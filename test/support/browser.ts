// Real Chromium, driven by playwright-core. The system's Chromium is used (CHROMIUM_PATH, else `chromium` on
// PATH): Playwright's own browser download is not available on these machines.
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

let browser: Promise<Browser> | undefined;

function chromiumPath(): string {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured) return configured;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error('Chromium is not installed: install the "chromium" package or set CHROMIUM_PATH');
  }
}

/** A new, isolated browser context (its own cookies) on the shared Chromium. */
export async function newBrowserContext(): Promise<BrowserContext> {
  browser ??= chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
    ],
  });
  return (await browser).newContext();
}

/** Closes Chromium if it was started. */
export async function closeBrowser(): Promise<void> {
  if (!browser) return;
  const running = await browser.catch(() => undefined);
  browser = undefined;
  await running?.close();
}
