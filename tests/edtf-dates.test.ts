import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { exportSeed } from '../src/seed/export.js';
import { seedDatabase } from '../src/seed/index.js';
import { SeedError } from '../src/seed/errors.js';
import { eventSlugs, openTestTimeline, queryData, TEST_TOKENS, type TestTimeline } from './helpers.js';

// Dates in EDTF levels 0 and 1, through the API and the seed files, on either backend.

const DATE = 'edtf iso precision earliest latest uncertain approximate';
const RESULT = `__typename ... on Error { message } ... on ValidationError { path issues { path message } }`;
const editor = { token: TEST_TOKENS.editor };

/** A grammar error of the edtf library, which must never reach anyone. */
const GRAMMAR_DUMP = /Syntax error|Unexpected|expecting|line 1 col/;

const date = (edtf: string, iso: string, precision: string, earliest: string, latest: string, uncertain = false, approximate = false) => ({
  edtf,
  iso,
  precision,
  earliest,
  latest,
  uncertain,
  approximate,
});

/** The seed folder's events, in the shape `npm run export` writes them, with every EDTF form. */
const SEED_EVENTS: { slug: string; start: string; end?: string }[] = [
  { slug: 'year-uncertain', start: '2014?' },
  { slug: 'month-approximate', start: '2023-09~' },
  { slug: 'month-uncertain-and-approximate', start: '2023-09%' },
  { slug: 'decade-unspecified', start: '201X' },
  { slug: 'month-unspecified', start: '2023-XX' },
  { slug: 'interval-of-days', start: '2023-09-23/2023-09-25' },
  { slug: 'month-to-approximate-month', start: '2014-07', end: '2014-08~' },
  { slug: 'plain-year', start: '2014' },
  { slug: 'day-uncertain', start: '2023-09-24?' },
  { slug: 'interval-of-qualified-years', start: '1984?/2004~' },
];

function seedFiles(events: { slug: string; start: string; end?: string }[]): Record<string, string> {
  const yaml = (document: object) => YAML.stringify(document, { lineWidth: 0 });
  return {
    'actors.yaml': yaml({ actors: [{ slug: 'someone', name: 'Someone', kind: 'PERSON' }] }),
    'places.yaml': yaml({ places: [] }),
    'sources.yaml': yaml({
      sources: [{ slug: 'outlet', name: 'Outlet' }],
      articles: [{ slug: 'report', title: 'Report', source: 'outlet', publishedOn: '2023-09~', dateNote: 'About September 2023.' }],
    }),
    'events.yaml': yaml({
      events: events.map(({ slug, start, end }) => ({
        slug,
        title: `Event ${slug}`,
        kind: 'MEETING',
        status: 'OCCURRED',
        start,
        ...(end === undefined ? {} : { end }),
        dateBasis: 'STATED',
        dateSupport: [0],
        citations: [{ article: 'report', quote: `A quote about ${slug}` }],
      })),
    }),
  };
}

function seedDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-edtf-seed-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('EDTF dates in the seed files', () => {
  let timeline: TestTimeline;
  const files = seedFiles(SEED_EVENTS);
  beforeAll(async () => {
    timeline = await openTestTimeline({ seed: false });
    await seedDatabase(timeline.database, seedDir(files));
  });
  afterAll(() => timeline.close());

  async function datesOf(slug: string) {
    return (await queryData(timeline, `{ event(slug: "${slug}") { startDate { ${DATE} } endDate { ${DATE} } } }`)).event;
  }

  it('loads every form and reads it back with its edtf, iso, precision, bounds and flags', async () => {
    expect(await datesOf('year-uncertain')).toEqual({ startDate: date('2014?', '2014', 'YEAR', '2014-01-01', '2014-12-31', true), endDate: null });
    expect(await datesOf('month-approximate')).toEqual({ startDate: date('2023-09~', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', false, true), endDate: null });
    expect((await datesOf('month-uncertain-and-approximate')).startDate).toEqual(date('2023-09%', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', true, true));
    expect((await datesOf('decade-unspecified')).startDate).toEqual(date('201X', '201X', 'YEAR', '2010-01-01', '2019-12-31'));
    expect((await datesOf('month-unspecified')).startDate).toEqual(date('2023-XX', '2023', 'YEAR', '2023-01-01', '2023-12-31'));
    expect((await datesOf('day-uncertain')).startDate).toEqual(date('2023-09-24?', '2023-09-24', 'DAY', '2023-09-24', '2023-09-24', true));
    expect(await datesOf('month-to-approximate-month')).toEqual({
      startDate: date('2014-07', '2014-07', 'MONTH', '2014-07-01', '2014-07-31'),
      endDate: date('2014-08~', '2014-08', 'MONTH', '2014-08-01', '2014-08-31', false, true),
    });
  });

  it('reads an interval in start as the event\'s start and end', async () => {
    expect(await datesOf('interval-of-days')).toEqual({
      startDate: date('2023-09-23', '2023-09-23', 'DAY', '2023-09-23', '2023-09-23'),
      endDate: date('2023-09-25', '2023-09-25', 'DAY', '2023-09-25', '2023-09-25'),
    });
    expect(await datesOf('interval-of-qualified-years')).toEqual({
      startDate: date('1984?', '1984', 'YEAR', '1984-01-01', '1984-12-31', true),
      endDate: date('2004~', '2004', 'YEAR', '2004-01-01', '2004-12-31', false, true),
    });
  });

  it('reads an article\'s EDTF publication date', async () => {
    expect((await queryData(timeline, `{ article(slug: "report") { publishedOn { ${DATE} } } }`)).article.publishedOn).toEqual(
      date('2023-09~', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', false, true),
    );
  });

  it('exports the files exactly as they were written, intervals and qualifiers included, and loads them back unchanged', async () => {
    const exported = await exportSeed(timeline.database);
    expect(exported['events.yaml']).toBe(files['events.yaml']);
    expect(exported['sources.yaml']).toBe(files['sources.yaml']);
    expect(exported['events.yaml']).toContain('start: 2023-09-23/2023-09-25\n');
    expect((await seedDatabase(timeline.database, seedDir(exported))).changes).toBe(0);
  });

  it('orders events by the interval each date can mean, not by how it is written', async () => {
    expect(await eventSlugs(timeline, {})).toEqual([
      'interval-of-qualified-years', // 1984-01-01 to 2004-12-31
      'decade-unspecified', // 2010-01-01 to 2019-12-31
      'year-uncertain', // 2014, as the plain year (same bounds; created first)
      'plain-year',
      'month-to-approximate-month', // 2014-07-01 to 2014-08-31
      'month-unspecified', // 2023-01-01 to 2023-12-31
      'month-approximate', // 2023-09-01 to 2023-09-30
      'month-uncertain-and-approximate',
      'interval-of-days', // 2023-09-23 to 2023-09-25
      'day-uncertain', // 2023-09-24
    ]);
  });

  it('finds an event in a window that overlaps its interval, and qualifiers do not widen it', async () => {
    const window = async (from?: string, to?: string) => (await eventSlugs(timeline, { from, to })).sort();
    // Inside the interval 2023-09-23/2023-09-25, and on its last day.
    expect(await window('2023-09-24', '2023-09-24')).toEqual(['day-uncertain', 'interval-of-days', 'month-approximate', 'month-uncertain-and-approximate', 'month-unspecified']);
    expect(await window('2023-09-25')).toEqual(['interval-of-days', 'month-approximate', 'month-uncertain-and-approximate', 'month-unspecified']);
    // A window for 2014 finds "2014?" like "2014"; "2014?" reaches no further than 2014.
    const in2014 = ['decade-unspecified', 'month-to-approximate-month', 'plain-year', 'year-uncertain'];
    expect(await window('2014', '2014')).toEqual(in2014);
    expect(await window('2015', '2015')).toEqual(['decade-unspecified']);
    expect(await window('2013', '2013')).toEqual(['decade-unspecified']);
    // "1984?/2004~" ends on the last day of 2004, approximate as that is.
    expect(await window('2004', '2004')).toEqual(['interval-of-qualified-years']);
    expect(await window('2005', '2009')).toEqual([]);
    // "2014-08~" ends on 31 August 2014, not later.
    expect(await window('2014-09', '2014-12')).toEqual(['decade-unspecified', 'plain-year', 'year-uncertain']);
  });

  it('takes EDTF in from and to: the earliest day of from, the latest of to', async () => {
    const window = async (from?: string, to?: string) => (await eventSlugs(timeline, { from, to })).sort();
    expect(await window('2014?', '2014~')).toEqual(await window('2014', '2014'));
    // "201X" runs from 2010-01-01 to 2019-12-31.
    expect(await window('201X', '201X')).toEqual(['decade-unspecified', 'month-to-approximate-month', 'plain-year', 'year-uncertain']);
    expect(await window(undefined, '201X')).toEqual(['decade-unspecified', 'interval-of-qualified-years', 'month-to-approximate-month', 'plain-year', 'year-uncertain']);
    expect(await window('2023-XX')).toEqual(['day-uncertain', 'interval-of-days', 'month-approximate', 'month-uncertain-and-approximate', 'month-unspecified']);
    expect(await window('2023-09-25%')).toEqual(['interval-of-days', 'month-approximate', 'month-uncertain-and-approximate', 'month-unspecified']);
  });

  it('refuses a window date that is not one EDTF date of levels 0 and 1, in a sentence', async () => {
    const refusal = async (filter: Record<string, string>) => {
      const response = await timeline.query('query ($filter: EventFilter) { events(filter: $filter) { totalCount } }', { filter });
      expect(response.errors).toHaveLength(1);
      const message = response.errors![0]!.message;
      expect(message).not.toMatch(GRAMMAR_DUMP);
      return message;
    };
    expect(await refusal({ from: '2014-13?' })).toMatch(/"filter\.from".*"2014-13\?" is not a date: there is no month 13/);
    expect(await refusal({ to: '2014-?07' })).toMatch(/"filter\.to".*"2014-\?07" is EDTF level 2/);
    expect(await refusal({ from: '2023-09-23/2023-09-25' })).toMatch(/is an interval of two dates; a window is given by its first date as from and its last as to/);
  });

  it('rejects an impossible date in a seed file, naming the field, with no grammar dump', async () => {
    for (const [start, message] of [
      ['2014-13?', 'start: "2014-13?" is not a date: there is no month 13 (months run from 01 to 12)'],
      ['2014-02-30', 'start: "2014-02-30" does not exist: 2014-02 has 28 days'],
      ['2014-?07', 'start: "2014-?07" is EDTF level 2'],
      ['2023-09-23/..', 'start: "2023-09-23/.." is an interval with an open or unknown end'],
    ] as const) {
      const dir = seedDir(seedFiles([{ slug: 'bad-date', start }]));
      const error = await seedDatabase(timeline.database, dir).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error, start).toBeInstanceOf(SeedError);
      const problems = (error as SeedError).problems.map((problem) => problem.message);
      expect(problems).toEqual([expect.stringContaining(message)]);
      expect(problems[0]).not.toMatch(GRAMMAR_DUMP);
      expect(readFileSync(join(dir, 'events.yaml'), 'utf8')).toContain(start);
    }
  });

  it('rejects an interval in start together with an end, and an interval in end, in a seed file', async () => {
    const dir = seedDir(
      seedFiles([
        { slug: 'interval-and-end', start: '2023-09-23/2023-09-25', end: '2023-09-26' },
        { slug: 'interval-as-end', start: '2023-09-23', end: '2023-09-24/2023-09-25' },
      ]),
    );
    const error = (await seedDatabase(timeline.database, dir).catch((thrown: unknown) => thrown)) as SeedError;
    expect(error).toBeInstanceOf(SeedError);
    expect(error.problems.map((problem) => `${problem.record}: ${problem.message}`)).toEqual([
      'events[0] "interval-and-end": end: must be left out: start "2023-09-23/2023-09-25" is an interval, which already ends on 2023-09-25',
      'events[1] "interval-as-end": end: "2023-09-24/2023-09-25" is an interval of two dates; write the span as start, with no end, or give end one date',
    ]);
  });
});

describe('EDTF dates through the API', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline();
  });
  afterAll(() => timeline.close());

  const input = (slug: string, dates: { start: string; end?: string }) => ({
    slug,
    title: `Event ${slug}`,
    kind: 'MEETING',
    status: 'OCCURRED',
    ...dates,
    dateBasis: 'STATED',
    dateSupport: [0],
    citations: [{ article: 'bloomberg-south-korea-seeks-xi-visit', quote: 'senior officials from the three nations are set to meet in Seoul on Tuesday' }],
  });

  async function update(slug: string, patch: Record<string, unknown>) {
    const response = await timeline.query(
      `mutation ($slug: String!, $patch: EventPatch!) { updateEvent(slug: $slug, patch: $patch) { ${RESULT} ... on MutationUpdateEventSuccess { event { startDate { ${DATE} } endDate { ${DATE} } } } } }`,
      { slug, patch },
      editor,
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.updateEvent;
  }

  async function createAs(slug: string, dates: { start: string; end?: string }) {
    const response = await timeline.query(
      `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { startDate { ${DATE} } endDate { ${DATE} } revisions { edges { node { after } } } } } } }`,
      { input: input(slug, dates) },
      editor,
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.createEvent;
  }

  it('creates events with every form and reads them back', async () => {
    const cases: [string, { start: string; end?: string }, object, object | null][] = [
      ['api-year-uncertain', { start: '2014?' }, date('2014?', '2014', 'YEAR', '2014-01-01', '2014-12-31', true), null],
      ['api-month-approximate', { start: '2023-09~' }, date('2023-09~', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', false, true), null],
      ['api-month-both', { start: '2023-09%' }, date('2023-09%', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', true, true), null],
      ['api-decade', { start: '201X' }, date('201X', '201X', 'YEAR', '2010-01-01', '2019-12-31'), null],
      ['api-month-unspecified', { start: '2023-XX' }, date('2023-XX', '2023', 'YEAR', '2023-01-01', '2023-12-31'), null],
      ['api-plain-month', { start: '2014-07' }, date('2014-07', '2014-07', 'MONTH', '2014-07-01', '2014-07-31'), null],
      ['api-plain-day', { start: '2023-09-23' }, date('2023-09-23', '2023-09-23', 'DAY', '2023-09-23', '2023-09-23'), null],
      [
        'api-interval',
        { start: '2023-09-23/2023-09-25' },
        date('2023-09-23', '2023-09-23', 'DAY', '2023-09-23', '2023-09-23'),
        date('2023-09-25', '2023-09-25', 'DAY', '2023-09-25', '2023-09-25'),
      ],
      ['api-start-and-end', { start: '2014?', end: '2015-03~' }, date('2014?', '2014', 'YEAR', '2014-01-01', '2014-12-31', true), date('2015-03~', '2015-03', 'MONTH', '2015-03-01', '2015-03-31', false, true)],
    ];
    for (const [slug, dates, startDate, endDate] of cases) {
      const result = await createAs(slug, dates);
      expect(result.__typename, JSON.stringify(result)).toBe('MutationCreateEventSuccess');
      expect(result.event.startDate, slug).toEqual(startDate);
      expect(result.event.endDate, slug).toEqual(endDate);
      // The revision keeps the record as written: an interval stays one start.
      const after = result.event.revisions.edges[0].node.after;
      expect({ start: after.start, end: after.end }).toEqual({ start: dates.start, end: dates.end });
      const read = await queryData(timeline, `{ event(slug: "${slug}") { startDate { ${DATE} } endDate { ${DATE} } } }`);
      expect(read.event).toEqual({ startDate, endDate });
    }
  });

  it('finds the interval 2023-09-23/2023-09-25 in a window inside it', async () => {
    expect(await eventSlugs(timeline, { from: '2023-09-24', to: '2023-09-24', kinds: ['MEETING'] })).toContain('api-interval');
    expect(await eventSlugs(timeline, { from: '2023-09-26', kinds: ['MEETING'] })).not.toContain('api-interval');
  });

  it('updates a date to another form, and an interval back to a start and an end', async () => {
    const qualified = await update('api-plain-day', { start: '2023-09%' });
    expect(qualified.event.startDate).toEqual(date('2023-09%', '2023-09', 'MONTH', '2023-09-01', '2023-09-30', true, true));
    const spanned = await update('api-plain-day', { start: '2023-09-23/2023-09-25' });
    expect(spanned.event.endDate).toEqual(date('2023-09-25', '2023-09-25', 'DAY', '2023-09-25', '2023-09-25'));
    const split = await update('api-interval', { start: '2023-09-23', end: '2023-09-26~' });
    expect(split.event.startDate.edtf).toBe('2023-09-23');
    expect(split.event.endDate).toEqual(date('2023-09-26~', '2023-09-26', 'DAY', '2023-09-26', '2023-09-26', false, true));
  });

  it.each([
    ['an impossible month', { start: '2014-13?' }, 'start', '"2014-13?" is not a date: there is no month 13 (months run from 01 to 12)'],
    ['an impossible day', { start: '2014-02-30' }, 'start', '"2014-02-30" does not exist: 2014-02 has 28 days'],
    ['a 29 February of a common year', { start: '2023-02-29~' }, 'start', '"2023-02-29~" does not exist: 2023-02 has 28 days'],
    ['an impossible end', { start: '2014', end: '2014-13~' }, 'end', '"2014-13~" is not a date: there is no month 13 (months run from 01 to 12)'],
    ['level 2', { start: '2014-?07' }, 'start', '"2014-?07" is EDTF level 2'],
    ['an open end', { start: '2023-09-23/..' }, 'start', '"2023-09-23/.." is an interval with an open or unknown end'],
    ['an unknown start', { start: '/2023' }, 'start', '"/2023" is an interval with an open or unknown end'],
    ['an interval ending before it starts', { start: '2023-09-25/2023-09-23' }, 'start', 'its end 2023-09-23 does not come after its start 2023-09-25'],
    ['an interval with an end', { start: '2023-09-23/2023-09-25', end: '2023-09-26' }, 'end', 'must be left out: start "2023-09-23/2023-09-25" is an interval'],
    ['an interval in end', { start: '2023-09-23', end: '2023-09-24/2023-09-25' }, 'end', 'is an interval of two dates; write the span as start, with no end, or give end one date'],
    ['an end before a qualified start', { start: '2023-09~', end: '2023-08?' }, 'end', '2023-08? is before start 2023-09~'],
  ])('refuses %s as a ValidationError naming the field, with no grammar dump', async (_case, dates, path, message) => {
    const result = await createAs('api-refused', dates);
    expect(result.__typename).toBe('ValidationError');
    expect(result.path).toBe(path);
    expect(result.message).toContain(message);
    expect(JSON.stringify(result)).not.toMatch(GRAMMAR_DUMP);
  });

  it('refuses an end beside an interval already stored, on update', async () => {
    await createAs('api-stored-interval', { start: '2023-09-23/2023-09-25' });
    const result = await update('api-stored-interval', { end: '2023-09-30' });
    expect(result).toMatchObject({ __typename: 'ValidationError', path: 'end' });
    expect(result.message).toMatch(/must be left out: start "2023-09-23\/2023-09-25" is an interval/);
  });

  it('takes an article\'s publication date in EDTF, and refuses an interval there', async () => {
    const article = async (publishedOn: string) => {
      const response = await timeline.query(
        `mutation ($input: ArticleInput!) { createArticle(input: $input) { ${RESULT} ... on MutationCreateArticleSuccess { article { publishedOn { ${DATE} } } } } }`,
        { input: { slug: `article-${publishedOn.replace(/[^0-9]/g, '')}`, title: 'An article', source: 'bloomberg', publishedOn } },
        editor,
      );
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data!.createArticle;
    };
    expect((await article('2023-10?')).article.publishedOn).toEqual(date('2023-10?', '2023-10', 'MONTH', '2023-10-01', '2023-10-31', true));
    expect(await article('2023-10-01/2023-10-03')).toMatchObject({ __typename: 'ValidationError', path: 'publishedOn', message: expect.stringContaining('is an interval of two dates') });
  });
});
