import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RunningBrowser, type RunningTimeline, startTimelineServer } from './browser-harness.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { EXAMPLE_QUERIES } from '../src/server/example-queries.js';

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

async function api<TData>(
  query: string,
  variables: Record<string, unknown> = {},
  { on = server, token }: { on?: RunningTimeline; token?: string } = {},
): Promise<TData> {
  const response = await fetch(`${on.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
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

interface ApiCitation {
  id: string;
  quote: string;
  verified: boolean;
  context: { prefix: string; exact: string; suffix: string } | null;
  article: { title: string; source: { name: string } };
  creditedSource: { name: string } | null;
}

interface ApiEventDetails {
  dateNote: string;
  dateSupport: { basis: string };
  placeSupport: { basis: string; note: string } | null;
  reportedBy: { articleCount: number; outletCount: number; independentOutlets: { name: string }[] };
  participants: { edges: { role: string; basis: string; note: string; supportedBy: { id: string }[]; node: { slug: string; name: string } }[] };
  citations: { edges: { node: ApiCitation }[] };
}

const EVENT_DETAILS = /* GraphQL */ `
  dateNote
  dateSupport { basis }
  placeSupport { basis note }
  reportedBy { articleCount outletCount independentOutlets { name } }
  participants(first: 100) { edges { role basis note supportedBy { id } node { slug name } } }
  citations(first: 100) {
    edges { node { id quote verified context { prefix exact suffix } article { title source { name } } creditedSource { name } } }
  }`;

/**
 * A new tab on `path` that records anything going wrong: console output (the page logs nothing on
 * success), uncaught errors, failed requests and error responses.
 */
async function openPage(path: string, on: RunningTimeline = server): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => problems.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${on.baseUrl}${path}`);
  return { page, problems };
}

const rows = (page: Page) => page.locator('.event-row');
const rowTitles = (page: Page) => page.locator('.event-row .event-title').allInnerTexts();
const shownCount = (page: Page) => page.locator('#event-count [data-count]');

function rowFor(page: Page, title: string): Locator {
  return page.locator('.event-row', { has: page.locator('.event-title', { hasText: title }) });
}

/** Types into the actor box, waits for `name` to be offered, and takes the highlighted suggestion with Enter. */
async function chooseActor(page: Page, typed: string, name: string) {
  const input = page.getByRole('combobox', { name: 'Add an actor' });
  await input.fill(typed);
  await expect.poll(() => page.getByRole('option', { selected: true }).innerText(), SETTLE).toContain(name);
  await input.press('Enter');
  await page.getByRole('button', { name: `Remove ${name}` }).waitFor();
}

/** The page's sentence for a date in the address that is not one: what is wrong with it, if the API says, then what is accepted. */
function dateSentence(field: 'from' | 'to', value: string, reason: string) {
  return `The “${field}” date “${value}” ${reason}. Write a year, a year and month, or a full date, like 2014, 2014-07 or 2014-07-03, with ? or ~ when it is uncertain or approximate (2014?, 2023-09~).`;
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

    await chooseActor(page, 'chin', 'China');
    await chooseActor(page, 'south k', 'South Korea');

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

    // A date that does not exist: a sentence says which field and what it takes, and nothing is drawn.
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2023-13');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('alert').innerText(), SETTLE).toBe(dateSentence('from', '2023-13', 'is not a date: there is no month 13 (months run from 01 to 12)'));
    expect(await rows(page).count()).toBe(0);
    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
    await page.close();
  });

  it('takes a window in EDTF, approximate or with unspecified digits, as the API does', async () => {
    // Named in words: approximate September 2023; the 2010s up to 2023, whose month is unspecified.
    for (const [from, to, named] of [['2023-09~', '2023-09~', 'in c. Sep 2023'], ['201X', '2023-XX', 'between 2010s and 2023']] as const) {
      const window = await apiEvents({ from, to });
      const months = await apiCounts(from === '201X' ? 'YEAR' : 'MONTH', { from, to });
      const { page, problems } = await openPage(`/?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      await expect.poll(() => shownCount(page).innerText(), { ...SETTLE, message: from }).toBe(`${window.totalCount} events`);
      expect(await rowTitles(page)).toEqual(window.events.map((event) => event.title));
      expect(await page.locator('#event-count').innerText()).toBe(`${window.totalCount} events ${named}`);
      await expect.poll(() => shownBars(page), SETTLE).toEqual(expectedBars(months));
      // Every mark and tick is placed somewhere on the axis.
      const positions = await page.locator('#chart .mark, #chart .tick-label').evaluateAll((elements) => elements.map((element) => (element as HTMLElement).style.left));
      expect(positions.length).toBeGreaterThan(window.totalCount);
      expect(positions.filter((left) => !/^-?\d+(\.\d+)?%$/.test(left))).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it("opens an event's citations and participants, and links each participant to their own timeline", async () => {
    const { event } = await api<{ event: ApiEventDetails }>(
      `{ event(slug: "xi-han-duck-soo-hangzhou-meeting") { ${EVENT_DETAILS} } }`,
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
      expect(await shown.locator('.quote').innerText()).toBe(node.quote);
      expect(await shown.locator('cite').innerText()).toBe(node.article.title);
      expect(await shown.locator('.outlet').innerText()).toBe(node.article.source.name);
      if (node.creditedSource) expect(await shown.locator('.credited-outlet').innerText()).toBe(node.creditedSource.name);
    }
    expect(await details.locator('.credited-outlet').allInnerTexts()).toContain('Yonhap');

    // Each participant names the citations that report them in their role, by number.
    const participants = details.locator('.participant');
    expect(await participants.count()).toBe(event.participants.edges.length);
    const citationNumber = new Map(event.citations.edges.map(({ node }, index) => [node.id, String(index + 1)]));
    for (const [index, { role, node, supportedBy }] of event.participants.edges.entries()) {
      const shown = participants.nth(index);
      expect(await shown.locator('.actor-link').innerText()).toBe(node.name);
      expect(await shown.locator('.actor-link').getAttribute('href')).toBe(`/?actors=${node.slug}`);
      expect((await shown.locator('.role').innerText()).toUpperCase()).toBe(role);
      expect(await shown.locator('.citation-ref').allInnerTexts()).toEqual(supportedBy.map((citation) => citationNumber.get(citation.id)));
    }
    expect(await participants.filter({ hasText: 'North Korea' }).locator('.role').innerText()).toBe('Subject');
    expect(new URL(page.url()).searchParams.get('event')).toBe('xi-han-duck-soo-hangzhou-meeting');
    await screenshot(page, 'browser-event-details.png');

    // A participant's name leads to that actor's timeline: the page with the actor chosen.
    const xi = await apiEvents({ actors: ['xi-jinping'] });
    await participants.filter({ hasText: 'Xi Jinping' }).locator('.actor-link').click();
    await page.waitForURL(`${server.baseUrl}/?actors=xi-jinping`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${xi.totalCount} events`);
    expect(await rowTitles(page)).toEqual(xi.events.map((event) => event.title));
    await expect.poll(() => page.getByRole('button', { name: 'Remove Xi Jinping' }).count(), SETTLE).toBe(1);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('says how many articles and outlets report an event, and which outlets it originates from', async () => {
    const { page, problems } = await openPage('/?event=xi-han-duck-soo-hangzhou-meeting');
    const details = page.locator('#details');
    const meeting = (await api<{ event: ApiEventDetails }>(`{ event(slug: "xi-han-duck-soo-hangzhou-meeting") { ${EVENT_DETAILS} } }`)).event;
    expect(meeting.reportedBy).toMatchObject({ articleCount: 2, outletCount: 6 });
    await expect.poll(() => details.locator('.reported-by').innerText(), SETTLE).toBe('Reported by 2 articles, 6 outlets');
    expect(await details.locator('.independent-origins').innerText()).toBe(
      `Independent origins: ${meeting.reportedBy.independentOutlets.map((outlet) => outlet.name).join(', ')}`,
    );
    expect(await details.locator('.independent-origins').innerText()).toContain('Bloomberg, China Central Television, Reuters');
    // Every outlet here originates something, so none is listed as only relaying.
    expect(await details.locator('.relaying-outlets').count()).toBe(0);

    // The MBN interview reaches the page through Bloomberg, which only relays MBN's report.
    await page.goto(`${server.baseUrl}/?event=cho-tae-yong-mbn-interview`);
    const interview = (await api<{ event: ApiEventDetails }>(`{ event(slug: "cho-tae-yong-mbn-interview") { ${EVENT_DETAILS} } }`)).event;
    expect(interview.reportedBy.independentOutlets.map((outlet) => outlet.name)).toEqual(['MBN']);
    await expect.poll(() => details.locator('.reported-by').innerText(), SETTLE).toBe('Reported by 1 article, 2 outlets');
    expect(await details.locator('.independent-origins').innerText()).toBe('Independent origins: MBN');
    expect(await details.locator('.relaying-outlets').innerText()).toBe('Only relaying others: Bloomberg');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows each verified quote inside the words around it in the article', async () => {
    const { event } = await api<{ event: ApiEventDetails }>(`{ event(slug: "xi-han-duck-soo-hangzhou-meeting") { ${EVENT_DETAILS} } }`);
    const { page, problems } = await openPage('/?event=xi-han-duck-soo-hangzhou-meeting');
    const citations = page.locator('#details .citation');
    await expect.poll(() => citations.count(), SETTLE).toBe(event.citations.edges.length);
    expect(await page.locator('#details .citation.unverified').count()).toBe(0);
    for (const [index, { node }] of event.citations.edges.entries()) {
      expect(node.verified, node.quote).toBe(true);
      const shown = citations.nth(index);
      expect(await shown.locator('mark.quote').innerText()).toBe(node.context!.exact);
      // What is shown around the quote is the article's own text just before and after it.
      const before = (await shown.locator('.context-before').textContent())!.replace(/^…/, '');
      const after = (await shown.locator('.context-after').textContent())!.replace(/…$/, '');
      expect(node.context!.prefix.endsWith(before), before).toBe(true);
      expect(node.context!.suffix.startsWith(after), after).toBe(true);
      expect(`${before}${after}`.trim()).not.toBe('');
    }
    // Cut to whole words, within the quote's paragraph, an ellipsis where the article goes on.
    expect(await citations.nth(0).locator('blockquote').innerText()).toBe(
      '…the weekend. The comments came after Xi met South Korean Prime Minister Han Duck-soo on the sidelines of the Asian Games on Saturday and said he will “seriously consider”…',
    );
    expect(await citations.nth(2).locator('blockquote').innerText()).toBe(
      'On Saturday, Xi said China and South Korea are close neighbors and inseparable partners, and the advancement of bilateral ties…',
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('marks a claim that rests on an outside fact, with its note', async () => {
    const { event } = await api<{ event: ApiEventDetails }>(`{ event(slug: "asian-games-opening-ceremony") { ${EVENT_DETAILS} } }`);
    const { page, problems } = await openPage('/?event=asian-games-opening-ceremony');
    const details = page.locator('#details');
    const china = details.locator('.participant', { hasText: 'China' });
    await expect.poll(() => china.locator('.role').innerText(), SETTLE).toBe('Host');
    const host = event.participants.edges.find((edge) => edge.node.slug === 'china')!;
    expect(host.basis).toBe('OUTSIDE');
    expect(await china.locator('.outside-fact').innerText()).toBe(`Outside fact ${host.note}`);
    expect(await china.locator('.citation-ref').count()).toBe(0);

    expect(event.placeSupport!.basis).toBe('OUTSIDE');
    expect(await details.locator('.place-note .outside-fact').innerText()).toBe(`Outside fact ${event.placeSupport!.note}`);
    expect(event.dateSupport.basis).toBe('OUTSIDE');
    expect(await details.locator('.date-note .outside-fact').innerText()).toBe(`Outside fact ${event.dateNote}`);
    // The date also names the citations it draws on; a number leads to its citation.
    expect(await details.locator('.date-note .citation-ref').allInnerTexts()).toEqual(['1', '2']);
    await details.locator('.date-note .citation-ref', { hasText: '2' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), SETTLE).toBe('citation-2');
    expect(new URL(page.url()).search).toBe('?event=asian-games-opening-ceremony');
    expect(new URL(page.url()).hash).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });
});

interface ApiEventCount {
  key: string;
  label: string;
  count: number;
}

async function apiCounts(by: string, filter: Record<string, unknown> = {}, on: RunningTimeline = server) {
  const { eventCounts } = await api<{ eventCounts: ApiEventCount[] }>(
    `query ($filter: EventFilter, $by: EventCountKey!) { eventCounts(filter: $filter, by: $by) { key label count } }`,
    { filter, by },
    { on },
  );
  return eventCounts;
}

/** The histogram's bars as drawn: key, count and accessible name. */
function shownBars(page: Page) {
  return page.locator('#histogram .bar').evaluateAll((bars) =>
    bars.map((bar) => ({ key: (bar as HTMLElement).dataset.key, count: Number((bar as HTMLElement).dataset.count), name: bar.getAttribute('aria-label') })),
  );
}

function expectedBars(counts: ApiEventCount[]) {
  return counts.map(({ key, label, count }) => ({ key, count, name: `${label}: ${count} ${count === 1 ? 'event' : 'events'}` }));
}

/** The page's requests to the API that ask for eventCounts. */
function countRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.postData()?.includes('eventCounts')) asked.push(request.postData()!);
  });
  return asked;
}

describe('the histogram above the axis', () => {
  it("draws the API's counts per year, and a bar sets the window to its year, then its month", async () => {
    const years = await apiCounts('YEAR');
    const { totalCount } = await apiEvents();
    const { page, problems } = await openPage('/');
    const asked = countRequests(page);
    await expect.poll(() => shownBars(page), SETTLE).toEqual(expectedBars(years));
    const askedOnLoad = asked.length;
    expect(years.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(totalCount);
    expect(await page.locator('#histogram').innerText()).toContain('EVENTS BY YEAR');

    // A year's bar: the window becomes that year, in a new history entry, counted by month.
    const year2023 = years.find((bucket) => bucket.key === '2023')!;
    const inYear = await apiEvents({ from: '2023', to: '2023' });
    const months = await apiCounts('MONTH', { from: '2023', to: '2023' });
    await page.getByRole('button', { name: `2023: ${year2023.count} events`, exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/?from=2023&to=2023`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${inYear.totalCount} events`);
    expect(await rowTitles(page)).toEqual(inYear.events.map((event) => event.title));
    await expect.poll(() => shownBars(page), SETTLE).toEqual(expectedBars(months));
    expect(months.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(inYear.totalCount);
    expect(asked).toHaveLength(askedOnLoad + 1);

    // Events known only to their year are a bar of their own, hatched and explained, never January's.
    const unknown = months.find((bucket) => bucket.key === '2023-??')!;
    expect(unknown.count).toBeGreaterThan(0);
    expect(months.some((bucket) => bucket.key === '2023-01')).toBe(false);
    const unknownBar = page.getByRole('button', { name: `2023, month unknown: ${unknown.count} events`, exact: true });
    expect(await unknownBar.getAttribute('class')).toBe('bar month-unknown');
    expect(await unknownBar.locator('.bar-caption').innerText()).toBe('2023 ?');
    expect(await page.locator('#histogram .histogram-caption').innerText()).toContain('month unknown');
    await screenshot(page, 'browser-histogram-months.png');

    const september = months.find((bucket) => bucket.key === '2023-09')!;
    const inSeptember = await apiEvents({ from: '2023-09', to: '2023-09' });
    await page.getByRole('button', { name: `September 2023: ${september.count} events`, exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/?from=2023-09&to=2023-09`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${inSeptember.totalCount} events`);
    expect(await rowTitles(page)).toEqual(inSeptember.events.map((event) => event.title));
    // Each filter change asks for the counts once.
    expect(asked).toHaveLength(askedOnLoad + 2);

    await page.goBack();
    await page.waitForURL(`${server.baseUrl}/?from=2023&to=2023`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${inYear.totalCount} events`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('honours the actors chosen', async () => {
    const years = await apiCounts('YEAR', { actors: ['china', 'south-korea'] });
    const { totalCount } = await apiEvents({ actors: ['china', 'south-korea'] });
    const { page, problems } = await openPage('/?actors=china,south-korea');
    await expect.poll(() => shownBars(page), SETTLE).toEqual(expectedBars(years));
    expect(years.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(totalCount);
    expect(problems).toEqual([]);
    await page.close();
  });
});

const suggestionNames = (page: Page) => page.locator('#actor-suggestions .suggestion-name').allInnerTexts();

describe('the actor box', () => {
  it('suggests actors as one types, and the keyboard chooses one', async () => {
    const { page, problems } = await openPage('/');
    const input = page.getByRole('combobox', { name: 'Add an actor' });
    await expect.poll(() => rows(page).count(), SETTLE).toBe((await apiEvents()).totalCount);

    await input.fill('Xi Jin');
    await expect.poll(() => suggestionNames(page), SETTLE).toEqual(['Xi Jinping']);

    // Arrows move through the suggestions, Escape closes them.
    await input.fill('kor');
    const korean = (await apiCounts('ACTOR')).filter((actor) => /\bkor/i.test(actor.label));
    await expect.poll(() => suggestionNames(page), SETTLE).toEqual(expect.arrayContaining(korean.map((actor) => actor.label)));
    const options = page.getByRole('option');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await input.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.nth(1).getAttribute('id'));
    await input.press('ArrowUp');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await input.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('listbox').count()).toBe(0);

    await input.fill('kish');
    await expect.poll(() => suggestionNames(page), SETTLE).toEqual(['Fumio Kishida']);
    const kishida = await apiEvents({ actors: ['fumio-kishida'] });
    expect(await options.nth(0).innerText()).toContain(`${kishida.totalCount} event`);
    await input.press('Enter');
    await page.waitForURL(`${server.baseUrl}/?actors=fumio-kishida`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${kishida.totalCount} ${kishida.totalCount === 1 ? 'event' : 'events'}`);
    expect(await rowTitles(page)).toEqual(kishida.events.map((event) => event.title));
    expect(await input.inputValue()).toBe('');
    expect(await page.locator('#selected-actors .chip').allInnerTexts()).toEqual(['Fumio Kishida\n×']);

    // Every one selected must take part: only those who share an event with Kishida are offered.
    const withKishida = (await apiCounts('ACTOR', { actors: ['fumio-kishida'] })).map((actor) => actor.key);
    expect(withKishida).not.toContain('xi-jinping');
    await input.fill('Xi Jin');
    await expect.poll(() => page.locator('#actor-suggestions').innerText(), SETTLE).toBe('No actor matching “Xi Jin” takes part in events with Fumio Kishida.');
    await input.fill('yoon');
    await expect.poll(() => suggestionNames(page), SETTLE).toEqual(withKishida.includes('yoon-suk-yeol') ? ['Yoon Suk Yeol'] : []);
    await screenshot(page, 'browser-autocomplete.png');
    await input.press('Escape');
    await input.press('Escape');
    expect(await input.inputValue()).toBe('');

    await page.getByRole('button', { name: 'Remove Fumio Kishida' }).click();
    await page.waitForURL(`${server.baseUrl}/`);
    await expect.poll(() => rows(page).count(), SETTLE).toBe((await apiEvents()).totalCount);
    expect(await page.locator('#selected-actors .chip').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the page with writes to show', () => {
  let editable: RunningTimeline;
  beforeAll(async () => {
    editable = await startTimelineServer({ tokens: TEST_TOKEN_STORE });
  });
  afterAll(() => editable?.close());

  it('does not offer an actor who takes part in no event', async () => {
    const { createActor } = await api<{ createActor: { __typename: string } }>(
      'mutation { createActor(input: { slug: "kenji-kishimoto", name: "Kenji Kishimoto", kind: PERSON }) { __typename } }',
      {},
      { on: editable, token: TEST_TOKENS.editor },
    );
    expect(createActor.__typename).toBe('MutationCreateActorSuccess');
    // The API knows the actor and completes the name; it has no events.
    const { search } = await api<{ search: { edges: { node: { slug?: string; events?: { totalCount: number } } }[] } }>(
      '{ search(query: "kishi") { edges { node { ... on Actor { slug events { totalCount } } } } } }',
      {},
      { on: editable },
    );
    expect(search.edges.map((edge) => edge.node)).toContainEqual({ slug: 'kenji-kishimoto', events: { totalCount: 0 } });

    const { page, problems } = await openPage('/', editable);
    const input = page.getByRole('combobox', { name: 'Add an actor' });
    await expect.poll(() => rows(page).count(), SETTLE).toBeGreaterThan(0);
    await input.fill('kishi');
    await expect.poll(() => suggestionNames(page), SETTLE).toEqual(['Fumio Kishida']);
    await input.fill('kishimoto');
    await expect.poll(() => page.locator('#actor-suggestions').innerText(), SETTLE).toBe('No actor matching “kishimoto” takes part in any event.');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the latest writes, newest first, and opens an event that still exists', async () => {
    const updated = 'xi-state-visit-to-seoul-2014';
    const deleted = 'cho-tae-yong-mbn-interview';
    const { updateEvent } = await api<{ updateEvent: { __typename: string; event: { title: string } } }>(
      `mutation { updateEvent(slug: "${updated}", patch: { summary: "Xi Jinping's state visit to Seoul, as rewritten by a test." }) { __typename ... on MutationUpdateEventSuccess { event { title } } } }`,
      {},
      { on: editable, token: TEST_TOKENS.editor },
    );
    expect(updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    const { deleteEvent } = await api<{ deleteEvent: { __typename: string } }>(
      `mutation { deleteEvent(slug: "${deleted}") { __typename } }`,
      {},
      { on: editable, token: TEST_TOKENS.admin },
    );
    expect(deleteEvent.__typename).toBe('MutationDeleteEventSuccess');
    const { changes } = await api<{ changes: { edges: { node: { action: string; type: string; slug: string; at: string; record: { title?: string; name?: string } } }[] } }>(
      '{ changes(last: 20) { edges { node { action type slug at record } } } }',
      {},
      { on: editable },
    );
    const newestFirst = changes.edges.map((edge) => edge.node).reverse();
    expect(newestFirst.slice(0, 2).map(({ action, slug }) => [action, slug])).toEqual([['DELETED', deleted], ['UPDATED', updated]]);

    const { page, problems } = await openPage('/', editable);
    await page.getByText('Changed recently').click();
    const shown = page.locator('#change-list .change');
    await expect.poll(() => shown.count(), SETTLE).toBe(newestFirst.length);
    const words = { CREATED: 'Created', UPDATED: 'Updated', DELETED: 'Deleted', RESTORED: 'Restored' } as Record<string, string>;
    for (const [index, change] of newestFirst.entries()) {
      const item = shown.nth(index);
      expect(await item.locator('.change-action').innerText()).toBe(words[change.action]);
      expect(await item.locator('.change-type').innerText()).toBe(change.type.toLowerCase());
      expect(await item.locator('.change-record').innerText()).toBe(change.record.title ?? change.record.name);
      expect(await item.locator('time').getAttribute('datetime')).toBe(change.at);
    }
    expect(await shown.nth(0).locator('time').innerText()).toBe('just now');
    // The deleted event is named, not linked; the updated one opens its details.
    expect(await shown.nth(0).locator('a').count()).toBe(0);
    const link = shown.nth(1).locator('a.change-record');
    expect(await link.getAttribute('href')).toBe(`?event=${updated}`);
    await screenshot(page, 'browser-changes.png');
    await link.click();
    await expect.poll(() => page.locator('#details h2').innerText(), SETTLE).toBe(updateEvent.event.title);
    expect(new URL(page.url()).searchParams.get('event')).toBe(updated);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("links an event's change to the event and an actor's change to nothing, when they share a slug", async () => {
    const asEditor = { on: editable, token: TEST_TOKENS.editor };
    const renamed = await api<{ updateEvent: { __typename: string } }>('mutation { updateEvent(slug: "camp-david-summit", patch: { slug: "china" }) { __typename } }', {}, asEditor);
    expect(renamed.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    // A title that tries to reverse the words after it.
    const actor = await api<{ updateActor: { __typename: string } }>('mutation { updateActor(slug: "china", patch: { description: "Changed by a test \u202eevil" }) { __typename } }', {}, asEditor);
    expect(actor.updateActor.__typename).toBe('MutationUpdateActorSuccess');

    const { page, problems } = await openPage('/', editable);
    await page.getByText('Changed recently').click();
    const shown = page.locator('#change-list .change');
    await expect.poll(() => shown.count(), SETTLE).toBeGreaterThan(1);
    expect(await shown.nth(0).locator('.change-type').innerText()).toBe('actor');
    expect(await shown.nth(0).locator('a').count()).toBe(0);
    expect(await shown.nth(1).locator('.change-type').innerText()).toBe('event');
    expect(await shown.nth(1).locator('a.change-record').getAttribute('href')).toBe('?event=china');
    // Editors' text is isolated from what surrounds it, so a direction override stays inside it.
    for (const selector of ['.change-record', '.event-title']) {
      expect(await page.locator(selector).first().evaluate((element) => getComputedStyle(element).unicodeBidi), selector).toBe('isolate');
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the timeline as of a day', () => {
  it('shows what the articles published by then reported, keeps the day in the address and the export, and says when a day is not one', async () => {
    const day = '2023-09-26';
    const { events } = await api<{ events: { totalCount: number; edges: { node: { slug: string; title: string } }[] } }>(
      'query ($asOf: Date) { events(asOf: $asOf, first: 100) { totalCount edges { node { slug title } } } }',
      { asOf: day },
    );
    const now = await apiEvents();
    // Between the two articles: some events, not all.
    expect(events.totalCount).toBeGreaterThan(0);
    expect(events.totalCount).toBeLessThan(now.totalCount);

    const { page, problems } = await openPage(`/?asOf=${day}`);
    await expect.poll(() => page.locator('#event-count').innerText(), SETTLE).toBe(`${events.totalCount} events as reported by 26 Sep 2023`);
    expect(await rowTitles(page)).toEqual(events.edges.map((edge) => edge.node.title));
    expect(await page.getByRole('textbox', { name: 'As of' }).inputValue()).toBe(day);
    expect(await page.locator('#histogram .bar').evaluateAll((bars) => bars.reduce((sum, bar) => sum + Number(bar.getAttribute('data-count')), 0))).toBe(events.totalCount);
    expect(new URL(await page.locator('#export-link').getAttribute('href') ?? '', server.baseUrl).searchParams.get('asOf')).toBe(day);

    // An event's details as of the day: only the citations known then.
    const slug = events.edges[0]!.node.slug;
    const { event } = await api<{ event: { citations: { totalCount: number } } }>('query ($slug: String!, $asOf: Date) { event(slug: $slug, asOf: $asOf) { citations { totalCount } } }', { slug, asOf: day });
    await page.locator(`.event-row[data-slug="${slug}"]`).click();
    await expect.poll(() => page.locator('#details .citations .citation').count(), SETTLE).toBe(event.citations.totalCount);

    await page.getByRole('textbox', { name: 'As of' }).fill('2023-09');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('alert').innerText(), SETTLE).toBe('The “as of” day “2023-09” is not a day: write a full date, like 2023-09-27.');
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2023-09');
    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
    await page.close();
  });
});

describe('a bad address', () => {
  it('says in a sentence which date is not a date and what is accepted', async () => {
    for (const [search, field, value, reason] of [
      ['?from=2014-13', 'from', '2014-13', 'is not a date: there is no month 13 (months run from 01 to 12)'],
      ['?from=soon', 'from', 'soon', 'is not a date'],
      ['?from=2014&to=2023-02-30', 'to', '2023-02-30', 'does not exist: 2023-02 has 28 days'],
      ['?from=2023-09-23/2023-09-25', 'from', '2023-09-23/2023-09-25', 'is an interval of two dates; a window is given by its first date as from and its last as to'],
    ] as const) {
      const { page, problems } = await openPage(`/${search}`);
      await expect.poll(() => page.getByRole('alert').innerText(), { ...SETTLE, message: search }).toBe(dateSentence(field, value, reason));
      expect(await rows(page).count()).toBe(0);
      expect(await page.locator('#histogram .bar').count()).toBe(0);
      expect(await page.locator('#event-count').innerText()).toBe('No events shown.');
      expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
      await page.close();
    }
  });

  it('says when the window runs backwards, and when the address names too many actors', async () => {
    const backwards = await openPage('/?from=2023&to=2014');
    await expect.poll(() => backwards.page.getByRole('alert').innerText(), SETTLE).toBe('The window runs backwards: “to” (2014) is before “from” (2023). Swap them, or clear one.');
    await backwards.page.close();
    const slugs = Array.from({ length: 101 }, (_, index) => `actor-${index}`);
    const many = await openPage(`/?actors=${slugs.join(',')}`);
    await expect.poll(() => many.page.getByRole('alert').innerText(), SETTLE).toBe('The address names 101 actors; the timeline combines at most 100.');
    await many.page.close();
  });

  it('names every unknown actor once, and offers to remove each', async () => {
    const { page } = await openPage('/?actors=nobody,china,nobody,no-one');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText(), SETTLE).toBe('There are no actors “nobody” and “no-one”, so no events can involve them. Remove “nobody” Remove “no-one”');
    await alert.getByRole('button', { name: 'Remove “no-one”' }).click();
    await page.waitForURL(`${server.baseUrl}/?actors=nobody,china`);
    await page.close();
  });

  it('names an unknown actor, and offers to remove it', async () => {
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query ($filter: EventFilter) { events(filter: $filter) { totalCount } }', variables: { filter: { actors: ['china', 'nobody'] } } }),
    });
    const { errors } = (await response.json()) as { errors: { message: string; extensions: { code: string; argument: string } }[] };
    expect(errors.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'filter.actors' }]);

    const { page, problems } = await openPage('/?actors=china,nobody');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText(), SETTLE).toBe('There is no actor “nobody”, so no events can involve it. Remove “nobody”');
    expect(await alert.innerText()).not.toContain(errors[0]!.message);
    expect(await rows(page).count()).toBe(0);

    const china = await apiEvents({ actors: ['china'] });
    await alert.getByRole('button', { name: 'Remove “nobody”' }).click();
    await page.waitForURL(`${server.baseUrl}/?actors=china`);
    await expect.poll(() => shownCount(page).innerText(), SETTLE).toBe(`${china.totalCount} events`);
    expect(await rowTitles(page)).toEqual(china.events.map((event) => event.title));
    expect(await alert.isHidden()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** Boxes of the axis's labels (ticks and breaks) that overlap another, as "label / label". */
async function overlappingAxisLabels(page: Page) {
  return page.locator('.axis .tick-label, .axis .break-label').evaluateAll((labels) => {
    const boxes = labels.map((label) => ({ text: label.textContent, box: label.getBoundingClientRect() }));
    const overlaps: string[] = [];
    boxes.forEach((a, index) => {
      for (const b of boxes.slice(index + 1)) {
        if (a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom) overlaps.push(`${a.text} / ${b.text}`);
      }
    });
    return overlaps;
  });
}

const pageFitsWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);

describe('on a phone (390×844)', () => {
  let phone: RunningBrowser;
  beforeAll(async () => {
    phone = await launchChromium({ width: 390, height: 844 });
  });
  afterAll(() => phone?.close());

  async function openOnPhone(path: string) {
    const page = await phone.context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => problems.push(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    await page.goto(`${server.baseUrl}${path}`);
    return { page, problems };
  }

  it('fits the width when the address holds a value thousands of characters long', async () => {
    for (const path of [`/?from=${'x'.repeat(3000)}`, `/?actors=${'a'.repeat(300)}`]) {
      const { page } = await openOnPhone(path);
      await page.getByRole('alert').waitFor(SETTLE);
      expect(await pageFitsWidth(page), path.slice(0, 20)).toBe(true);
      await page.close();
    }
  });

  it('fits the width, with an axis whose labels do not overlap, however long the window', async () => {
    for (const [path, filter] of [['/', {}], ['/?from=2023&to=2023', { from: '2023', to: '2023' }], ['/?from=2023-09&to=2023-09', { from: '2023-09', to: '2023-09' }], ['/?actors=china,south-korea', { actors: ['china', 'south-korea'] }]] as const) {
      const { totalCount } = await apiEvents(filter);
      const { page, problems } = await openOnPhone(path);
      await expect.poll(() => rows(page).count(), { ...SETTLE, message: path }).toBe(totalCount);
      expect(await pageFitsWidth(page), path).toBe(true);
      expect(await page.locator('.axis .tick-label').count(), path).toBeGreaterThanOrEqual(3);
      expect(await overlappingAxisLabels(page), path).toEqual([]);
      // Every label is on screen, and the marks have the page's width rather than a sliver of it.
      const track = await page.locator('.axis .track').boundingBox();
      expect(track!.x, path).toBeGreaterThanOrEqual(0);
      expect(track!.x + track!.width, path).toBeLessThanOrEqual(390);
      expect(track!.width, path).toBeGreaterThan(300);
      if (path === '/') await screenshot(page, 'browser-phone.png');
      expect(problems, path).toEqual([]);
      await page.close();
    }
  });

  it('brings the details of an event opened into view', async () => {
    const { events } = await apiEvents();
    const last = events.at(-1)!;
    const { page, problems } = await openOnPhone('/');
    await expect.poll(() => rows(page).count(), SETTLE).toBe(events.length);
    await rowFor(page, last.title).click();
    const details = page.locator('#details');
    await expect.poll(() => details.locator('h2').innerText(), SETTLE).toBe(last.title);
    // The heading is on screen without the reader scrolling to find it.
    await expect.poll(async () => {
      const heading = await details.locator('h2').boundingBox();
      return heading!.y >= 0 && heading!.y + heading!.height <= 844;
    }, SETTLE).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(await pageFitsWidth(page)).toBe(true);
    await screenshot(page, 'browser-phone-details.png', { fullPage: false });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('dates as sure as the articles are', () => {
  let editable: RunningTimeline;
  beforeAll(async () => {
    editable = await startTimelineServer({ tokens: TEST_TOKEN_STORE });
  });
  afterAll(() => editable?.close());

  it('shows an approximate, an uncertain and a decade-only date as such, in the rows and the details', async () => {
    const dates = { 'xi-state-visit-to-seoul-2014': '2014-07~', 'camp-david-summit': '2023-08-18?', 'cho-tae-yong-mbn-interview': '201X' };
    for (const [slug, start] of Object.entries(dates)) {
      const { updateEvent } = await api<{ updateEvent: { __typename: string } }>(
        'mutation ($slug: String!, $start: String!) { updateEvent(slug: $slug, patch: { start: $start }) { __typename } }',
        { slug, start },
        { on: editable, token: TEST_TOKENS.editor },
      );
      expect(updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    }
    const { page, problems } = await openPage('/', editable);
    const rowDate = (slug: string) => page.locator(`.event-row[data-slug="${slug}"] .row-date`);
    await expect.poll(() => rowDate('xi-state-visit-to-seoul-2014').innerText(), SETTLE).toBe('c. Jul 2014');
    expect(await rowDate('xi-state-visit-to-seoul-2014').getAttribute('title')).toBe('known to the month; approximate');
    expect(await rowDate('camp-david-summit').innerText()).toBe('18 Aug 2023?');
    expect(await rowDate('camp-david-summit').getAttribute('title')).toBe('known to the day; uncertain');
    expect(await rowDate('cho-tae-yong-mbn-interview').innerText()).toBe('2010s');

    await page.locator('.event-row[data-slug="xi-state-visit-to-seoul-2014"]').click();
    await expect.poll(() => page.locator('#details .meta').innerText(), SETTLE).toMatch(/^c\. July 2014 · known to the month; approximate/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps an event known only as 20XX from stretching the axis, and its bar from widening a window', async () => {
    const { updateEvent } = await api<{ updateEvent: { __typename: string } }>(
      'mutation { updateEvent(slug: "kim-jong-un-visit-to-russia", patch: { start: "20XX" }) { __typename } }',
      {},
      { on: editable, token: TEST_TOKENS.editor },
    );
    expect(updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    const { page, problems } = await openPage('/', editable);
    const century = page.locator('.event-row[data-slug="kim-jong-un-visit-to-russia"]');
    await expect.poll(() => century.locator('.row-date').innerText(), SETTLE).toBe('2000–2099');
    // The axis ends with the other events, in 2024; the century's mark is drawn cut at that edge.
    const ticks = (await page.locator('.axis .tick-label').allInnerTexts()).map(Number).filter(Number.isFinite);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(2025);
    expect(await century.locator('.mark').getAttribute('class')).toContain('cut-end');

    // In 2023, by month: the century's events have a bar, but not one to click.
    await page.goto(`${editable.baseUrl}/?from=2023&to=2023`);
    const wider = page.locator('#histogram .bar.wider');
    await expect.poll(() => wider.count(), SETTLE).toBe(1);
    expect(await wider.getAttribute('aria-label')).toBe('2000–2099, month unknown: 1 event');
    expect(await page.locator('#histogram button[data-key="20XX-??"]').count()).toBe(0);
    // A bar for the whole window ("2023 ?") changes nothing when clicked, and adds no history.
    const historyLength = await page.evaluate(() => window.history.length);
    await page.locator('#histogram button[data-key="2023-??"]').click();
    expect(await page.evaluate(() => window.history.length)).toBe(historyLength);
    expect(new URL(page.url()).search).toBe('?from=2023&to=2023');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('a citation of an article whose text is not on file', () => {
  let editable: RunningTimeline;
  beforeAll(async () => {
    editable = await startTimelineServer({ tokens: TEST_TOKEN_STORE });
  });
  afterAll(() => editable?.close());

  const WRITE_RESULT = '__typename ... on Error { message }';
  const QUOTE = 'Seoul and Beijing agreed to keep talking';

  it('is marked unverified on the page, in words as well as in style', async () => {
    const asEditor = { on: editable, token: TEST_TOKENS.editor };
    const { createArticle } = await api<{ createArticle: { __typename: string } }>(
      `mutation { createArticle(input: { slug: "mbn-report-without-text", title: "A report without its text", source: "mbn", publishedOn: "2023-09-27" }) { ${WRITE_RESULT} } }`,
      {},
      asEditor,
    );
    expect(createArticle.__typename).toBe('MutationCreateArticleSuccess');
    const { createEvent } = await api<{ createEvent: { __typename: string } }>(
      `mutation ($input: EventInput!) { createEvent(input: $input) { ${WRITE_RESULT} } }`,
      {
        input: {
          slug: 'talks-reported-without-text',
          title: 'Seoul and Beijing agree to keep talking',
          kind: 'STATEMENT',
          status: 'OCCURRED',
          start: '2023-09-27',
          dateBasis: 'OUTSIDE',
          dateNote: 'Test record: the date is given here, not by the article.',
          citations: [{ article: 'mbn-report-without-text', quote: QUOTE }],
        },
      },
      asEditor,
    );
    expect(createEvent.__typename).toBe('MutationCreateEventSuccess');
    const { event } = await api<{ event: ApiEventDetails }>(`{ event(slug: "talks-reported-without-text") { ${EVENT_DETAILS} } }`, {}, { on: editable });
    expect(event.citations.edges.map(({ node }) => [node.verified, node.context])).toEqual([[false, null]]);

    const { page, problems } = await openPage('/?event=talks-reported-without-text', editable);
    const citation = page.locator('#details .citation');
    await expect.poll(() => citation.count(), SETTLE).toBe(1);
    expect(await citation.getAttribute('class')).toBe('citation unverified');
    expect(await citation.locator('blockquote').innerText()).toBe(`“${QUOTE}”`);
    expect(await citation.locator('mark').count()).toBe(0);
    expect(await citation.locator('.unverified-note').innerText()).toBe(
      'Unverified The article’s text is not on file, so this quote could not be checked against it.',
    );
    // Not by colour alone: the quote's rule is dashed where a verified one's is solid.
    expect(await citation.locator('blockquote').evaluate((element) => getComputedStyle(element).borderLeftStyle)).toBe('dashed');
    expect(await page.locator('#details .no-participants').innerText()).toBe('The record names no one.');
    // One article, one outlet: the singular forms.
    expect(await page.locator('#details .reported-by').innerText()).toBe('Reported by 1 article, 1 outlet');
    expect(await page.locator('#details .independent-origins').innerText()).toBe('Independent origins: MBN');

    const seeded = await openPage('/?event=xi-han-duck-soo-hangzhou-meeting', editable);
    await expect.poll(() => seeded.page.locator('#details .citation').count(), SETTLE).toBeGreaterThan(0);
    expect(await seeded.page.locator('#details .citation blockquote').first().evaluate((element) => getComputedStyle(element).borderLeftStyle)).toBe('solid');

    await screenshot(page, 'browser-unverified-citation.png');
    expect([...problems, ...seeded.problems]).toEqual([]);
    await page.close();
    await seeded.page.close();
  });
});

describe('an event the sources disagree on', () => {
  let editable: RunningTimeline;
  beforeAll(async () => {
    editable = await startTimelineServer({ tokens: TEST_TOKEN_STORE });
  });
  afterAll(() => editable?.close());

  const SLUG = 'xi-han-duck-soo-hangzhou-meeting';

  it('is marked disputed, and lists each rival value with its rank, its citations and its note', async () => {
    const asEditor = { on: editable, token: TEST_TOKENS.editor };
    const { event } = await api<{ event: { citations: { edges: { node: { id: string } }[] } } }>(
      `{ event(slug: "${SLUG}") { citations(first: 10) { edges { node { id } } } } }`,
      {},
      { on: editable },
    );
    const citationIds = event.citations.edges.map(({ node }) => node.id);
    const record = (args: string, variables: Record<string, unknown>) =>
      api<{ recordClaim: { __typename: string } }>(`mutation ($c: [ID!]!) { recordClaim(event: "${SLUG}", ${args}, supportedBy: $c) { __typename } }`, variables, asEditor);
    expect((await record('field: DATE, value: "2023-09-24", note: "Test record: a rival date."', { c: [citationIds[1]] })).recordClaim.__typename).toBe('MutationRecordClaimSuccess');
    expect((await record('field: ROLE, actor: "xi-jinping", value: "HOST", rank: DEPRECATED', { c: [citationIds[2]] })).recordClaim.__typename).toBe('MutationRecordClaimSuccess');

    const { page, problems } = await openPage(`/?event=${SLUG}`, editable);
    const disputes = page.locator('#details .dispute');
    await expect.poll(() => disputes.count(), SETTLE).toBe(2);
    expect(await page.locator('#details .meta .badge.disputed').innerText()).toBe('Disputed');
    expect(await disputes.locator('.disputed-field').allInnerTexts()).toEqual(['The date', 'Xi Jinping’s role']);
    const date = disputes.nth(0).locator('.rival-claim');
    expect(await date.locator('.claim-value').allInnerTexts()).toEqual(['23 September 2023', '24 September 2023']);
    expect(await date.locator('.badge.rank').allInnerTexts()).toEqual(['shown', 'also reported']);
    // The current date keeps its own support (citation 1); the rival rests on citation 2.
    expect(await date.nth(0).locator('.citation-ref').allInnerTexts()).toEqual(['1']);
    expect(await date.nth(1).locator('.citation-ref').allInnerTexts()).toEqual(['2']);
    expect(await date.nth(1).locator('.claim-note').innerText()).toBe('Test record: a rival date.');
    const role = disputes.nth(1).locator('.rival-claim');
    expect(await role.locator('.claim-value').allInnerTexts()).toEqual(['Participant', 'Host']);
    expect(await role.locator('.badge.rank').allInnerTexts()).toEqual(['shown', 'judged wrong']);
    // A value judged wrong is struck through, and said so in words too.
    expect(await role.nth(1).locator('.claim-value').evaluate((element) => getComputedStyle(element).textDecorationLine)).toBe('line-through');
    // The event itself still shows the preferred values.
    expect(await page.locator('#details .meta .date').innerText()).toBe('23 September 2023');

    await screenshot(page, 'browser-disputes.png');
    expect(problems).toEqual([]);
    await page.close();
  });
});

/** GraphiQL's page carries its whole bundle (some 9 MB of script): on a busy machine it takes more than the page's 5 s to load. */
const GRAPHIQL_LOAD = { timeout: 20_000 };

describe('GraphiQL', () => {
  it('loads without the network, one tab per example, and Run runs the CountryPair example in view', async () => {
    const page = await browser.context.newPage();
    const outside: string[] = [];
    // Anything not addressed to this server is blocked, and recorded.
    await page.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    await page.goto(`${server.baseUrl}/graphql`, GRAPHIQL_LOAD);

    await expect.poll(() => page.locator('.graphiql-tab-button').count(), SETTLE).toBe(Object.keys(EXAMPLE_QUERIES).length);
    const result = page.waitForResponse((response) => response.request().postData()?.includes('CountryPair') === true);
    // The first tab holds one operation: no menu asks which to run.
    await page.getByRole('button', { name: /Execute query/ }).click();
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

  it('shows a returning visitor the same example tabs, the one open before in view, and no new empty tab', async () => {
    const { context, close } = await launchChromium();
    try {
      for (const visit of ['first', 'second', 'third']) {
        const page = await context.newPage();
        await page.goto(`${server.baseUrl}/graphql`, GRAPHIQL_LOAD);
        await page.locator('.graphiql-tab-button').first().waitFor(GRAPHIQL_LOAD);
        // GraphiQL settles its tabs from storage once it has loaded.
        // Monaco draws spaces as no-break spaces.
        await expect.poll(async () => (await page.locator('.graphiql-query-editor').innerText()).replace(/\s+/g, ' '), { ...SETTLE, message: visit }).toContain('query CountryPair');
        expect(await page.locator('.graphiql-tab-button').allInnerTexts(), visit).toEqual(Object.keys(EXAMPLE_QUERIES));
        expect(await page.locator('.graphiql-tab-active').innerText(), visit).toBe('CountryPair');
        await page.close();
      }
    } finally {
      await close();
    }
  });

  it('shows the examples, not stored junk, when the stored tabs are not GraphiQL\'s', async () => {
    const { context, close } = await launchChromium();
    try {
      const junk = [
        { tabs: [{ id: 'a', title: 'A', query: { x: 1 }, variables: [1, 2] }], activeTabIndex: 0 },
        { tabs: Array.from({ length: 3 }, () => ({ query: '{ __typename }' })), activeTabIndex: 2 },
      ];
      for (const tabState of junk) {
        const page = await context.newPage();
        await page.goto(`${server.baseUrl}/graphql`, GRAPHIQL_LOAD);
        await page.evaluate((stored) => {
          localStorage.clear();
          localStorage.setItem('graphiql:tabState', JSON.stringify(stored));
        }, tabState);
        await page.reload(GRAPHIQL_LOAD);
        await page.locator('.graphiql-tab-button').first().waitFor(GRAPHIQL_LOAD);
        await expect.poll(async () => (await page.locator('.graphiql-query-editor').innerText()).replace(/\s+/g, ' '), SETTLE).toContain('query CountryPair');
        expect(await page.locator('.graphiql-tab-button').allInnerTexts()).toEqual(Object.keys(EXAMPLE_QUERIES));
        await page.close();
      }
    } finally {
      await close();
    }
  });

  it('fits the window, with its editor and result panes in view', async () => {
    const page = await browser.context.newPage();
    for (const { width, height } of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize({ width, height });
      await page.goto(`${server.baseUrl}/graphql`, GRAPHIQL_LOAD);
      await page.locator('.graphiql-tab-button').first().waitFor(GRAPHIQL_LOAD);
      const size = `${width}×${height}`;
      // No scrollbar on the page itself: the panes scroll inside it.
      const scroll = await page.evaluate(() => ({ width: document.scrollingElement!.scrollWidth, height: document.scrollingElement!.scrollHeight }));
      expect(scroll.width, size).toBeLessThanOrEqual(width);
      expect(scroll.height, size).toBeLessThanOrEqual(height);
      const editor = (await page.locator('.graphiql-query-editor').boundingBox())!;
      const response = (await page.locator('.graphiql-response').boundingBox())!;
      for (const [pane, box] of [['editor', editor], ['result', response]] as const) {
        expect(box.x, `${size} ${pane}`).toBeGreaterThanOrEqual(0);
        expect(box.y, `${size} ${pane}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${size} ${pane}`).toBeLessThanOrEqual(width);
        expect(box.y + box.height, `${size} ${pane}`).toBeLessThanOrEqual(height);
      }
      // Each pane big enough to read and write in: on a narrow screen they are stacked, not side by side.
      for (const [pane, box] of [['editor', editor], ['result', response]] as const) {
        expect(box.width, `${size} ${pane}`).toBeGreaterThanOrEqual(200);
        expect(box.height, `${size} ${pane}`).toBeGreaterThanOrEqual(200);
      }
      // A phone lays the page out at its own width only when told to.
      expect(await page.locator('meta[name="viewport"]').getAttribute('content')).toBe('width=device-width, initial-scale=1');
      await screenshot(page, `browser-graphiql-${width}.png`, { fullPage: false });
    }
    await page.close();
  });
});
