import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium, startTimelineServer } from '../tests/browser-harness.js';

// npx tsx scripts/screenshot.ts: rewrites docs/timeline-page.png, the README's picture of the page:
// China and South Korea's shared events with the Asian Games meeting open, 1280 pixels wide.
const target = fileURLToPath(new URL('../docs/timeline-page.png', import.meta.url));
mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });

const server = await startTimelineServer();
const browser = await launchChromium({ width: 1280, height: 800 });
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.baseUrl}/?actors=china,south-korea&event=xi-han-duck-soo-hangzhou-meeting`);
  await page.locator('#details h2').waitFor();
  await page.locator('.event-row').first().waitFor();
  await page.screenshot({ path: target, fullPage: true });
  console.log(`Wrote ${target}`);
} finally {
  await browser.close();
  await server.close();
}
