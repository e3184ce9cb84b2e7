import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeedFiles } from '../src/seed/files.js';
import { validateSeed } from '../src/seed/validate.js';
import { openTestTimeline, TEST_TOKENS, type TestTimeline } from './helpers.js';

interface Outlet {
  slug: string;
  name: string;
}

interface Reporting {
  articleCount: number;
  outletCount: number;
  outlets: Outlet[];
  independentOutlets: Outlet[];
}

const REPORTED_BY = 'reportedBy { articleCount outletCount outlets { slug name } independentOutlets { slug name } }';

async function reportingOf(timeline: TestTimeline, slug: string): Promise<Reporting> {
  const response = await timeline.query<{ event: { reportedBy: Reporting } }>(`query ($slug: String!) { event(slug: $slug) { ${REPORTED_BY} } }`, { slug });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.event.reportedBy;
}

const byName = (a: Outlet, b: Outlet) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe('Event.reportedBy on the seed data', () => {
  let timeline: TestTimeline;
  beforeAll(async () => {
    timeline = await openTestTimeline();
  });
  afterAll(() => timeline.close());

  it('counts what the seed files cite, for every event', async () => {
    const seed = validateSeed(readSeedFiles());
    const outletOf = new Map(seed.sources.map((source) => [source.slug, { slug: source.slug, name: source.name }]));
    const publisherOf = new Map(seed.articles.map((article) => [article.slug, outletOf.get(article.source)!]));
    // Outlets are ordered by name, then id; seed names are distinct, so name alone fixes the order here.
    expect(new Set(seed.sources.map((source) => source.name)).size).toBe(seed.sources.length);
    const distinct = (outlets: Outlet[]) => [...new Map(outlets.map((outlet) => [outlet.slug, outlet])).values()].sort(byName);

    const expected = Object.fromEntries(
      seed.events.map((event) => {
        const outlets = distinct(event.citations.flatMap((citation) => [publisherOf.get(citation.article)!, ...(citation.credits ? [outletOf.get(citation.credits)!] : [])]));
        return [
          event.slug,
          {
            articleCount: new Set(event.citations.map((citation) => citation.article)).size,
            outletCount: outlets.length,
            outlets,
            independentOutlets: distinct(event.citations.map((citation) => (citation.credits ? outletOf.get(citation.credits)! : publisherOf.get(citation.article)!))),
          },
        ];
      }),
    );

    const response = await timeline.query<{ events: { totalCount: number; edges: { node: { slug: string; reportedBy: Reporting } }[] } }>(
      `{ events(first: 100) { totalCount edges { node { slug ${REPORTED_BY} } } } }`,
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.events.totalCount).toBe(seed.events.length);
    const actual = Object.fromEntries(response.data!.events.edges.map(({ node }) => [node.slug, node.reportedBy]));
    expect(actual).toEqual(expected);
  });

  it('an article that only relays the South China Morning Post adds no origin of its own', async () => {
    // One citation, from the article of the unnamed outlet, credited to the South China Morning Post.
    expect(await reportingOf(timeline, 'yoon-taiwan-global-issue-remark')).toEqual({
      articleCount: 1,
      outletCount: 2,
      outlets: [
        { slug: 'south-china-morning-post', name: 'South China Morning Post' },
        { slug: 'unnamed-outlet', name: 'Unnamed outlet' },
      ],
      independentOutlets: [{ slug: 'south-china-morning-post', name: 'South China Morning Post' }],
    });
  });

  it('the Hangzhou meeting: Bloomberg publishes one article and is credited by the other, and counts once', async () => {
    // Bloomberg's article: its own reporting, Yonhap's and Xinhua's. The other article: Bloomberg's,
    // CCTV's, Reuters' and some of its own.
    const reporting = await reportingOf(timeline, 'xi-han-duck-soo-hangzhou-meeting');
    const names = ['Bloomberg', 'China Central Television', 'Reuters', 'Unnamed outlet', 'Xinhua', 'Yonhap'];
    expect(reporting.articleCount).toBe(2);
    expect(reporting.outletCount).toBe(6);
    expect(reporting.outlets.map((outlet) => outlet.name)).toEqual(names);
    expect(reporting.independentOutlets.map((outlet) => outlet.name)).toEqual(names);
  });
});

describe('Event.reportedBy on data written through the API', () => {
  let timeline: TestTimeline;

  async function mutate(field: string, document: string, variables: Record<string, unknown>) {
    const response = await timeline.query(document, variables, { token: TEST_TOKENS.editor });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data![field].__typename, JSON.stringify(response.data![field])).toMatch(/Success$/);
  }
  const createSource = (slug: string, name: string) =>
    mutate('createSource', 'mutation ($input: SourceInput!) { createSource(input: $input) { __typename ... on Error { message } } }', { input: { slug, name } });
  const createArticle = (slug: string, source: string) =>
    mutate('createArticle', 'mutation ($input: ArticleInput!) { createArticle(input: $input) { __typename ... on Error { message } } }', {
      input: { slug, title: `Article ${slug}`, source, publishedOn: '2024-01-15' },
    });
  // No participants and no place, and a date from outside the articles: only the citations matter here.
  const createEvent = (slug: string, citations: { article: string; quote: string; credits?: string }[]) =>
    mutate('createEvent', 'mutation ($input: EventInput!) { createEvent(input: $input) { __typename ... on Error { message } } }', {
      input: { slug, title: `Event ${slug}`, kind: 'MEETING', status: 'OCCURRED', start: '2024-01', dateBasis: 'OUTSIDE', dateNote: 'Test record.', citations },
    });

  beforeAll(async () => {
    timeline = await openTestTimeline({ seed: false });
    await createSource('wire', 'Wire Agency');
    await createSource('daily', 'Daily Paper');
    await createSource('broadcaster', 'Broadcaster');
    // Two outlets of one name, the later-created first by slug: ties go by id, not slug.
    await createSource('same-name-b', 'Same Name');
    await createSource('same-name-a', 'Same Name');
    await createArticle('daily-report', 'daily');
    await createArticle('broadcaster-report', 'broadcaster');
    await createArticle('wire-report', 'wire');
    await createArticle('same-name-a-report', 'same-name-a');
  });
  afterAll(() => timeline.close());

  it('two articles of different outlets crediting the same third outlet: one origin, credited once', async () => {
    await createEvent('relayed-twice', [
      { article: 'daily-report', quote: 'the wire reported the talks', credits: 'wire' },
      { article: 'daily-report', quote: 'the wire added a detail', credits: 'wire' },
      { article: 'broadcaster-report', quote: 'according to the wire agency', credits: 'wire' },
    ]);
    expect(await reportingOf(timeline, 'relayed-twice')).toEqual({
      articleCount: 2,
      outletCount: 3,
      outlets: [
        { slug: 'broadcaster', name: 'Broadcaster' },
        { slug: 'daily', name: 'Daily Paper' },
        { slug: 'wire', name: 'Wire Agency' },
      ],
      // Both articles only relay the wire: neither publisher is an origin.
      independentOutlets: [{ slug: 'wire', name: 'Wire Agency' }],
    });
  });

  it('an outlet that publishes and is credited elsewhere counts once; an article of its own reporting is an origin', async () => {
    await createEvent('reported-and-relayed', [
      { article: 'wire-report', quote: 'the wire saw it itself' },
      { article: 'daily-report', quote: 'the daily saw it too' },
      { article: 'daily-report', quote: 'and the wire confirmed it', credits: 'wire' },
      // An article crediting its own publisher is that publisher's reporting.
      { article: 'broadcaster-report', quote: 'as this broadcaster reported earlier', credits: 'broadcaster' },
    ]);
    const outlets = [
      { slug: 'broadcaster', name: 'Broadcaster' },
      { slug: 'daily', name: 'Daily Paper' },
      { slug: 'wire', name: 'Wire Agency' },
    ];
    expect(await reportingOf(timeline, 'reported-and-relayed')).toEqual({ articleCount: 3, outletCount: 3, outlets, independentOutlets: outlets });
  });

  it('counts only the citations of the event asked about', async () => {
    // daily-report also cites the two events above; here it is the only article.
    await createEvent('one-article', [{ article: 'daily-report', quote: 'a third story', credits: 'broadcaster' }]);
    expect(await reportingOf(timeline, 'one-article')).toEqual({
      articleCount: 1,
      outletCount: 2,
      outlets: [
        { slug: 'broadcaster', name: 'Broadcaster' },
        { slug: 'daily', name: 'Daily Paper' },
      ],
      independentOutlets: [{ slug: 'broadcaster', name: 'Broadcaster' }],
    });
  });

  it('orders outlets of the same name by id, and returns them as whole Sources', async () => {
    await createEvent('same-names', [
      { article: 'same-name-a-report', quote: 'the first outlet of that name relays', credits: 'same-name-b' },
      { article: 'same-name-a-report', quote: 'and the wire was there', credits: 'wire' },
    ]);
    const response = await timeline.query(
      '{ event(slug: "same-names") { reportedBy { outletCount outlets { slug description articles { totalCount } } independentOutlets { slug creditedIn { totalCount } } } } }',
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.event.reportedBy).toEqual({
      outletCount: 3,
      outlets: [
        { slug: 'same-name-b', description: '', articles: { totalCount: 0 } },
        { slug: 'same-name-a', description: '', articles: { totalCount: 1 } },
        { slug: 'wire', description: '', articles: { totalCount: 1 } },
      ],
      independentOutlets: [
        // Credited once here; the wire also by the four citations of the events above.
        { slug: 'same-name-b', creditedIn: { totalCount: 1 } },
        { slug: 'wire', creditedIn: { totalCount: 5 } },
      ],
    });
  });
});
