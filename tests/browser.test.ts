import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RunningBrowser, type RunningTimeline, startTimelineServer } from './browser-harness.js';

// The timeline page and GraphiQL in headless Chromium, against the real server on a real port.
// Each test compares what the page shows with what the API answers, and leaves a screenshot in
// test-results/ to look at.

const SCREENSHOTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const ASIAN_GAMES_MEETING = 'Xi Jinping meets Han Duck-soo at the Asian Games';
/** How long the page may take to show what the API says; a broken page fails after this, not the test's timeout. */
const SETTLE = { timeout: 5_000 };

let server: RunningTimeline;
let browser: RunningBrowser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startTimelineServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function api<TData>(query: string, variables: Record<string, unknown> = {}): Promise<TData> {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: TData; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

interface ApiEvent {
  slug: string;
  title: string;
  status: string;
  startDate: { precision: string };
}

const EVENTS = /* GraphQL */ `
  query ($filter: EventFilter) {
    events(filter: $filter, first: 100) {
      totalCount
      edges { node { slug title status startDate { precision } } }
    }
  }`;

async function apiEvents(filter: Record<string, unknown> = {}) {
  const { events } = await api<{ events: { totalCount: number; edges: { node: ApiEvent }[] } }>(EVENTS, { filter });
  return { totalCount: events.totalCount, events: events.edges.map((edge) => edge.node) };
}

/**
 * A new tab on `path` that records anything going wrong: console output (the page logs nothing on
 * success), uncaught errors, failed requests and error responses.
 */
async function openPage(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => problems.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${server.baseUrl}${path}`);
  return { page, problems };
}

const rows = (page: Page) => page.locator('.event-row');
const rowTitles = (page: Page) => page.locator('.event-row .event-title').allInnerTexts();
const shownCount = (page: Page) => page.locator('#event-count [data-count]');

function rowFor(page: Page, title: string): Locator {
  return page.locator('.event-row', { has: page.locator('.event-title', { hasText: title }) });
}

async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage });
}

describe('the timeline page', () => {
  it('shows every event the API has, in order, drawn by date precision and status', async () => {
    const { totalCount, events } = await apiEvents();
    const { page, problems } = await openPage('/');

    await expect.poll(() => rows(page).count(), SETTLE).toBe(totalCount);
    expect(totalCount).toBe(19);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${totalCount} events`);
    expect(await rowTitles(page)).toEqual(events.map((event) => event.title));
    expect(await rowTitles(page)).toContain(ASIAN_GAMES_MEETING);

    // Each mark's shape is the date's precision and its fill the status.
    for (const event of events) {
      const mark = rowFor(page, event.title).locator('.mark');
      await expect.poll(() => mark.getAttribute('class'), { ...SETTLE, message: event.slug }).toBe(
        `mark ${event.startDate.precision.toLowerCase()} ${event.status.toLowerCase()}`,
      );
    }
    // A year is drawn as a band far wider than a day's dot, and a proposed event hollow and dashed.
    const yearBand = await rowFor(page, 'China and South Korea establish diplomatic ties').locator('.mark').boundingBox();
    const dayDot = await rowFor(page, ASIAN_GAMES_MEETING).locator('.mark').boundingBox();
    expect(yearBand!.width).toBeGreaterThan(4 * dayDot!.width);
    const proposed = rowFor(page, 'Proposed Xi Jinping visit to South Korea').locator('.mark');
    expect(await proposed.evaluate((element) => getComputedStyle(element).borderTopStyle)).toBe('dashed');
    const occurredFill = await rowFor(page, ASIAN_GAMES_MEETING).locator('.mark').evaluate((element) => getComputedStyle(element).backgroundColor);
    const proposedFill = await proposed.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(proposedFill).not.toBe(occurredFill);
    // The legend explains both.
    expect(await page.locator('.legend').innerText()).toMatch(/to the day[\s\S]*to the month[\s\S]*to the year[\s\S]*proposed/);

    await screenshot(page, 'browser-timeline.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('narrows to the events China and South Korea share when both are chosen', async () => {
    const pair = await apiEvents({ actors: ['china', 'south-korea'] });
    const { totalCount: allCount } = await apiEvents();
    const { page, problems } = await openPage('/');
    await expect.poll(() => rows(page).count(), SETTLE).toBe(allCount);

    await page.getByRole('checkbox', { name: 'China', exact: true }).check();
    await page.getByRole('checkbox', { name: 'South Korea', exact: true }).check();

    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${pair.totalCount} events`);
    await expect.poll(() => rows(page).count(), SETTLE).toBe(pair.totalCount);
    expect(pair.totalCount).toBeLessThan(allCount);
    expect(await rowTitles(page)).toEqual(pair.events.map((event) => event.title));
    expect(await page.locator('#event-count').innerText()).toBe(`${pair.totalCount} events involving China and South Korea`);
    expect(new URL(page.url()).search).toBe('?actors=china,south-korea');
    expect(await page.locator('#export-link').getAttribute('href')).toBe('/timelinejs.json?actors=china,south-korea');

    await screenshot(page, 'browser-country-pair.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('narrows to a date window given as partial dates', async () => {
    const window = await apiEvents({ from: '2023-09', to: '2023-09' });
    const { page, problems } = await openPage('/');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2023-09');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2023-09');
    await page.getByRole('button', { name: 'Apply' }).click();

    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${window.totalCount} events`);
    expect(await rowTitles(page)).toEqual(window.events.map((event) => event.title));
    expect(new URL(page.url()).search).toBe('?from=2023-09&to=2023-09');
    expect(problems).toEqual([]);

    // A date that does not exist: the API's own message is shown, and nothing is drawn.
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2023-13');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('alert').innerText(), SETTLE).toContain('"2023-13" has month 13; months run from 01 to 12');
    expect(await rows(page).count()).toBe(0);
    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
    await page.close();
  });

  it("opens an event's citations and participants, and links each participant to their own timeline", async () => {
    const { event } = await api<{
      event: {
        participants: { edges: { role: string; node: { slug: string; name: string } }[] };
        citations: { edges: { node: { quote: string; article: { title: string; source: { name: string } }; creditedSource: { name: string } | null } }[] };
      };
    }>(
      `{ event(slug: "xi-han-duck-soo-hangzhou-meeting") {
          participants(first: 100) { edges { role node { slug name } } }
          citations(first: 100) { edges { node { quote article { title source { name } } creditedSource { name } } } }
        } }`,
    );
    const { page, problems } = await openPage('/?actors=china,south-korea');
    await rowFor(page, ASIAN_GAMES_MEETING).click();

    const details = page.locator('#details');
    await expect.poll(() => details.locator('h2').innerText(), SETTLE).toBe(ASIAN_GAMES_MEETING);
    expect(await details.locator('.meta').innerText()).toContain('23 September 2023 · known to the day');

    const citations = details.locator('.citation');
    await expect.poll(() => citations.count(), SETTLE).toBe(event.citations.edges.length);
    for (const [index, { node }] of event.citations.edges.entries()) {
      const shown = citations.nth(index);
      expect(await shown.locator('blockquote').innerText()).toBe(`“${node.quote}”`);
      expect(await shown.locator('cite').innerText()).toBe(node.article.title);
      expect(await shown.locator('.outlet').innerText()).toBe(node.article.source.name);
      if (node.creditedSource) expect(await shown.locator('.credited-outlet').innerText()).toBe(node.creditedSource.name);
    }
    expect(await details.locator('.credited-outlet').allInnerTexts()).toContain('Yonhap');

    const participants = details.locator('.participant');
    expect(await participants.count()).toBe(event.participants.edges.length);
    for (const [index, { role, node }] of event.participants.edges.entries()) {
      const shown = participants.nth(index);
      expect(await shown.locator('a').innerText()).toBe(node.name);
      expect(await shown.locator('a').getAttribute('href')).toBe(`/?actors=${node.slug}`);
      expect((await shown.locator('.role').innerText()).toUpperCase()).toBe(role);
    }
    expect(await participants.filter({ hasText: 'Xi Jinping' }).locator('.role').innerText()).toBe('Host');
    expect(new URL(page.url()).searchParams.get('event')).toBe('xi-han-duck-soo-hangzhou-meeting');
    await screenshot(page, 'browser-event-details.png');

    // A participant's name leads to that actor's timeline: the page with the actor chosen.
    const xi = await apiEvents({ actors: ['xi-jinping'] });
    await participants.filter({ hasText: 'Xi Jinping' }).locator('a').click();
    await page.waitForURL(`${server.baseUrl}/?actors=xi-jinping`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${xi.totalCount} events`);
    expect(await rowTitles(page)).toEqual(xi.events.map((event) => event.title));
    expect(await page.getByRole('checkbox', { name: 'Xi Jinping' }).isChecked()).toBe(true);

    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('GraphiQL', () => {
  it('loads without the network and runs the CountryPair example', async () => {
    const page = await browser.context.newPage();
    const outside: string[] = [];
    // Anything not addressed to this server is blocked, and recorded.
    await page.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    await page.goto(`${server.baseUrl}/graphql`);

    await page.getByRole('button', { name: /Execute query/ }).click();
    const result = page.waitForResponse((response) => response.request().postData()?.includes('CountryPair') === true);
    await page.getByRole('menuitem', { name: 'CountryPair' }).click();
    const body = (await (await result).json()) as { data: { events: { totalCount: number } } };
    expect(body.data.events.totalCount).toBe((await apiEvents({ actors: ['china', 'south-korea'] })).totalCount);

    // The result pane only draws the lines in view; find the meeting in it the way a reader would.
    const pane = page.locator('.graphiql-response');
    await pane.getByText('"data"').waitFor();
    await pane.locator('.monaco-editor').click();
    await page.keyboard.press('Control+f');
    await page.keyboard.type('Han Duck-soo at the Asian Games');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await pane.innerText()).replace(/\s+/g, ' '), SETTLE).toContain(`"title": "${ASIAN_GAMES_MEETING}"`);

    // GraphiQL fills the window; a full-page shot would only add blank space.
    await screenshot(page, 'browser-graphiql.png', { fullPage: false });
    expect(outside).toEqual([]);
    await page.close();
  });
});
