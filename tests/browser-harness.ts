import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import type { StoredToken } from '../src/server/auth.js';
import { createTimelineYoga } from '../src/server/yoga.js';

/** Debian's Chromium; `scripts/ensure-browser.sh` installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless, and quiet: no sandbox (containers), and none of Chromium's own background traffic
// (updates, sync, field trials), which would otherwise try to reach the internet.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningTimeline {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real server, listening on a free port of 127.0.0.1, over a fresh seeded in-memory database;
 * with `tokens`, editors can write to it.
 */
export async function startTimelineServer({ tokens = [] }: { tokens?: StoredToken[] } = {}): Promise<RunningTimeline> {
  const database = await openDatabase(':memory:');
  await seedDatabase(database);
  const server = createServer(createTimelineYoga({ database, tokens }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

export interface RunningBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh, throwaway profile. */
export async function launchChromium({ width = 1280, height = 800 } = {}): Promise<RunningBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'timeline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // A page that never shows what a test waits for fails the test in seconds, with the locator named.
  context.setDefaultTimeout(5_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
