import { afterAll, describe, expect, it } from 'vitest';
import {
  citationCredit,
  escapeHtml,
  MAX_EXPORT_EVENTS,
  sentenceCase,
  type TimelineJsDocument,
  type TimelineJsSlide,
  timelineJsDate,
} from '../src/server/timelinejs.js';
import { parsePartialDate } from '../src/domain/partial-date.js';
import { loadSeed } from '../src/seed/load.js';
import { openTestTimeline, syntheticTimeline } from './helpers.js';

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

interface ApiCitation {
  quote: string;
  article: { title: string; source: { name: string } };
  creditedSource: { name: string } | null;
}

interface ApiEvent {
  slug: string;
  title: string;
  summary: string;
  kind: string;
  status: string;
  startDate: { iso: string; precision: 'YEAR' | 'MONTH' | 'DAY' };
  endDate: { iso: string } | null;
  citations: { edges: { node: ApiCitation }[] };
}

async function apiEvents(filter: Record<string, unknown> = {}): Promise<ApiEvent[]> {
  const response = await timeline.query<{ events: { edges: { node: ApiEvent }[] } }>(
    `query ($filter: EventFilter) {
      events(filter: $filter, first: 100) {
        edges { node {
          slug title summary kind status
          startDate { iso precision }
          endDate { iso }
          citations(first: 100) { edges { node { quote article { title source { name } } creditedSource { name } } } }
        } }
      }
    }`,
    { filter },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.events.edges.map((edge) => edge.node);
}

async function exportOf(query = ''): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await timeline.fetch(`/timelinejs.json${query}`);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function exported(query = ''): Promise<TimelineJsDocument> {
  const { status, body } = await exportOf(query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body as TimelineJsDocument;
}

const DATE_PARTS = { YEAR: ['year'], MONTH: ['year', 'month'], DAY: ['year', 'month', 'day'] } as const;

describe('GET /timelinejs.json', () => {
  it('is JSON that any page may fetch', async () => {
    const { status, headers } = await exportOf();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('access-control-allow-origin')).toBe('*');
  });

  it('has one slide per event, in date order, with the slug as unique_id', async () => {
    const [document, events] = await Promise.all([exported(), apiEvents()]);
    expect(events).toHaveLength(19);
    expect(document.events.map((slide) => slide.unique_id)).toEqual(events.map((event) => event.slug));
    expect(Object.keys(document).sort()).toEqual(['events', 'title']);
    expect(document.title.text.headline).toBe('Timeline');
    expect(document.title.text.text).toContain('19 events');
  });

  it('gives each slide exactly the known parts of its date, as strings without leading zeros', async () => {
    const [document, events] = await Promise.all([exported(), apiEvents()]);
    const precisions = new Set<string>();
    for (const [index, event] of events.entries()) {
      const slide = document.events[index]!;
      precisions.add(event.startDate.precision);
      expect(Object.keys(slide.start_date), event.slug).toEqual(DATE_PARTS[event.startDate.precision]);
      const isoParts = event.startDate.iso.split('-');
      for (const [position, part] of DATE_PARTS[event.startDate.precision].entries()) {
        const value = slide.start_date[part]!;
        expect(typeof value).toBe('string');
        expect(value).toMatch(/^[1-9]\d*$/);
        expect(value).toBe(String(Number(isoParts[position])));
      }
      expect('end_date' in slide, event.slug).toBe(event.endDate !== null);
    }
    // The seed has all three precisions, so each shape above was checked.
    expect([...precisions].sort()).toEqual(['DAY', 'MONTH', 'YEAR']);
    const bySlug = new Map(document.events.map((slide) => [slide.unique_id, slide]));
    expect(bySlug.get('china-south-korea-diplomatic-ties')!.start_date).toEqual({ year: '1992' });
    expect(bySlug.get('xi-state-visit-to-seoul-2014')!.start_date).toEqual({ year: '2014', month: '7' });
    expect(bySlug.get('xi-han-duck-soo-hangzhou-meeting')!.start_date).toEqual({ year: '2023', month: '9', day: '23' });
  });

  it('turns partial dates into TimelineJS dates, and would carry an end date the same way', () => {
    const date = (edtf: string) => timelineJsDate(parsePartialDate(edtf));
    expect(date('1992')).toEqual({ year: '1992' });
    expect(date('2014-07')).toEqual({ year: '2014', month: '7' });
    expect(date('2023-09-03')).toEqual({ year: '2023', month: '9', day: '3' });
    expect(date('2023-12-31')).toEqual({ year: '2023', month: '12', day: '31' });
  });

  it('shows an uncertain or approximate date as such, and unspecified digits as the span they leave', () => {
    const date = (edtf: string) => timelineJsDate(parsePartialDate(edtf));
    expect(date('2014?')).toEqual({ year: '2014', display_date: '2014?' });
    expect(date('2023-09~')).toEqual({ year: '2023', month: '9', display_date: 'c. September 2023' });
    expect(date('2023-09%')).toEqual({ year: '2023', month: '9', display_date: 'c. September 2023?' });
    expect(date('2023-09-23?')).toEqual({ year: '2023', month: '9', day: '23', display_date: '23 September 2023?' });
    expect(date('201X')).toEqual({ year: '2010', display_date: '2010s' });
    expect(date('19XX')).toEqual({ year: '1900', display_date: '1900s' });
    // Known to its year: shown as the year, with nothing to add.
    expect(date('2023-XX')).toEqual({ year: '2023' });
    expect(date('2023-09-XX')).toEqual({ year: '2023', month: '9' });
  });

  it('gives each slide its headline, summary, kind as group, and status when not yet happened', async () => {
    const [document, events] = await Promise.all([exported(), apiEvents()]);
    for (const [index, event] of events.entries()) {
      const slide = document.events[index]!;
      expect(Object.keys(slide.text).sort()).toEqual(['headline', 'text']);
      expect(slide.text.headline).toBe(escapeHtml(event.title));
      expect(slide.text.text).toContain(escapeHtml(event.summary));
      expect(slide.group).toBe(sentenceCase(event.kind));
      expect(slide.group.toUpperCase().replaceAll(' ', '_')).toBe(event.kind);
      if (event.status === 'OCCURRED') expect(slide.text.text).not.toContain('<strong>');
      else expect(slide.text.text).toContain(`<strong>${sentenceCase(event.status)}.</strong>`);
    }
    const bySlug = new Map(document.events.map((slide) => [slide.unique_id, slide]));
    expect(bySlug.get('xi-state-visit-to-seoul-2014')!.group).toBe('State visit');
    expect(bySlug.get('xi-visit-to-south-korea')!.text.text).toContain('<strong>Proposed.</strong>');
  });

  it('quotes a citation as the media, credited to the outlet and whom it cites', async () => {
    const [document, events] = await Promise.all([exported(), apiEvents()]);
    for (const [index, event] of events.entries()) {
      const slide: TimelineJsSlide = document.events[index]!;
      const citations = event.citations.edges.map((edge) => edge.node);
      expect(citations.length, event.slug).toBeGreaterThan(0);
      const media = slide.media!;
      expect(Object.keys(media).sort()).toEqual(['caption', 'credit', 'url']);
      // TimelineJS shows a url holding a <blockquote> as a quote.
      const quoted = /^<blockquote>(.*)<\/blockquote>$/s.exec(media.url)?.[1];
      const featured = citations.find((citation) => escapeHtml(citation.quote) === quoted);
      expect(featured, `${event.slug}: the quote is one of its citations`).toBeDefined();
      // A quote that credits an outlet is preferred: it says the most about where the news came from.
      if (citations.some((citation) => citation.creditedSource)) expect(featured!.creditedSource).not.toBeNull();
      expect(media.credit).toContain(featured!.article.source.name);
      if (featured!.creditedSource) expect(media.credit).toContain(featured!.creditedSource.name);
      expect(media.credit).toBe(escapeHtml(citationCredit(featured!)));
      expect(media.caption).toBe(`<em>${escapeHtml(featured!.article.title)}</em>`);
    }
    const meeting = document.events.find((slide) => slide.unique_id === 'xi-han-duck-soo-hangzhou-meeting')!;
    expect(meeting.media!.credit).toBe('Bloomberg, citing Yonhap');
    expect(meeting.media!.url).toBe('<blockquote>said he will “seriously consider” visiting South Korea, Yonhap News agency reported</blockquote>');
    // Its other citations are named in the text, up to three, and counted beyond that.
    expect(meeting.text.text.match(/<p>Also: /g)).toHaveLength(3);
    expect(meeting.text.text).toMatch(/…and \d+ more citations\./);
  });

  it.each([
    ['?actors=china,south-korea', { actors: ['china', 'south-korea'] }],
    ['?actors=china&actors=south-korea', { actors: ['china', 'south-korea'] }],
    ['?actors=xi-jinping', { actors: ['xi-jinping'] }],
    ['?from=2014&to=2019', { from: '2014', to: '2019' }],
    ['?from=2023-09-24', { from: '2023-09-24' }],
    ['?to=2023-08', { to: '2023-08' }],
    ['?kinds=SUMMIT,meeting', { kinds: ['SUMMIT', 'MEETING'] }],
    ['?statuses=proposed,scheduled', { statuses: ['PROPOSED', 'SCHEDULED'] }],
    ['?place=seoul', { place: 'seoul' }],
    ['?search=summit', { search: 'summit' }],
    ['?actors=china,south-korea&from=2023&statuses=OCCURRED', { actors: ['china', 'south-korea'], from: '2023', statuses: ['OCCURRED'] }],
    ['?actors=&from=', {}],
  ])('filters %s exactly as the API does', async (query, filter) => {
    const [document, all, events] = await Promise.all([exported(query), apiEvents(), apiEvents(filter)]);
    expect(document.events.map((slide) => slide.unique_id)).toEqual(events.map((event) => event.slug));
    if (Object.keys(filter).length > 0) {
      expect(events.length, 'the filter narrows').toBeLessThan(all.length);
      expect(events.length, 'the filter keeps something').toBeGreaterThan(0);
    }
  });

  it('names the filtered actors in the title slide', async () => {
    const document = await exported('?actors=china,south-korea');
    expect(document.title.text.text).toBe('9 events involving China and South Korea, as the cited articles report them.');
  });

  it.each([
    ['?from=2023-13', 'from', /month 13/],
    ['?to=2023-02-30', 'to', /2023-02 has 28 days/],
    ['?from=yesterday', 'from', /write YYYY, YYYY-MM or YYYY-MM-DD/],
    ['?from=2023&to=2014', 'to', /before/],
    ['?kinds=PARTY', 'kinds', /"PARTY" is not one of .*SUMMIT/],
    ['?statuses=DONE', 'statuses', /"DONE" is not one of .*OCCURRED/],
    [`?search=${'a'.repeat(201)}`, 'search', /longer than 200 characters/],
    ['?from=2014&from=2015', 'from', /given 2 times/],
    ['?actor=china', 'actor', /Unknown query parameter "actor"/],
  ])('answers %s with a 400 naming the parameter', async (query, parameter, problem) => {
    const { status, headers, body } = await exportOf(query);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].parameter).toBe(parameter);
    expect(body.errors[0].message).toContain(`"${parameter}"`);
    expect(body.errors[0].message).toMatch(problem);
  });
});

describe('the size of an export', () => {
  it(`refuses more than ${MAX_EXPORT_EVENTS} events with a 400 asking for a narrower filter`, async () => {
    const large = await openTestTimeline({ seed: false });
    await loadSeed(large.database, syntheticTimeline(MAX_EXPORT_EVENTS + 1));
    const everything = await large.fetch('/timelinejs.json');
    expect(everything.status).toBe(400);
    expect(((await everything.json()) as any).errors[0].message).toBe(
      `${MAX_EXPORT_EVENTS + 1} events match; an export holds at most ${MAX_EXPORT_EVENTS}. Narrow it with from, to, actors, kinds, statuses, place or search.`,
    );
    const narrowed = await large.fetch('/timelinejs.json?from=1990&to=1990');
    expect(narrowed.status).toBe(200);
    expect(((await narrowed.json()) as any).events.length).toBeGreaterThan(0);
    await large.close();
    // Loading a thousand events writes about 11,000 statements, each a round trip on PostgreSQL.
  }, 120_000);
});
