import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { WEB_ROOT } from '../../src/server/web-app.js';

/** What the browser tests share: Debian's Chromium, pages that log their script errors, axe-core. */
export const CHROMIUM = '/usr/bin/chromium';

export interface BrowserRun {
  browser: Browser;
  /** Script errors and failed console lines of every page opened, for a last check that there were none. */
  problems: string[];
  /** A page in a new context (its own storage), at a viewport size and browser language. */
  open(viewport: { width: number; height: number }, locale?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowser(base: string, args: string[] = []): Promise<BrowserRun> {
  if (!existsSync(`${WEB_ROOT}index.html`)) throw new Error('dist/web is missing: npm run build builds the web app');
  if (!existsSync(CHROMIUM)) execFileSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', ...args],
  });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  return {
    browser,
    problems,
    async open(viewport, locale = 'en-GB') {
      // The policy stays on for the app; only axe's injected script needs it lifted.
      const context = await browser.newContext({ viewport, locale, bypassCSP: true, deviceScaleFactor: 1 });
      if (base.startsWith('http://127.0.0.1')) {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      }
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/401|404|Failed to load resource/.test(m.text())) problems.push(m.text());
      });
      return page;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await browser.close();
    },
  };
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function accessible(page: Page, name: string) {
  await page.addScriptTag({ content: axe.source });
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as axe.AxeResults;
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

/** Nothing wider than the screen: no sideways scrolling on a phone. */
export async function fitsWidth(page: Page) {
  const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [
    number,
    number,
  ];
  expect(scroll).toBeLessThanOrEqual(width);
}

/** A port no one listens on now, for a server whose public address must be known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
