import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../src/domain/records.js';
import { readSeedFiles, type RawSeed } from '../src/seed/files.js';
import { SeedError } from '../src/seed/errors.js';
import { validateSeed } from '../src/seed/validate.js';
import { dumpTables, openTestTimeline, TEST_TOKENS, type TestTimeline } from './helpers.js';

let timeline: TestTimeline;
beforeEach(async () => {
  timeline = await openTestTimeline();
});
afterEach(() => timeline.close());

const RESULT = `__typename ... on Error { message } ... on ValidationError { path issues { path message } }`;
const MUTATIONS = {
  actors: `mutation ($input: ActorInput!) { createActor(input: $input) { ${RESULT} } }`,
  events: `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} } }`,
  sources: `mutation ($input: SourceInput!) { createSource(input: $input) { ${RESULT} } }`,
  articles: `mutation ($input: ArticleInput!) { createArticle(input: $input) { ${RESULT} } }`,
} as const;

const ARTICLE = 'bloomberg-south-korea-seeks-xi-visit';
const actor = { slug: 'new-minister', name: 'A New Minister', kind: 'PERSON', description: '', affiliations: [] };
const source = { slug: 'new-outlet', name: 'New Outlet', description: '' };
const article = { slug: 'new-article', title: 'A new article', source: 'bloomberg', publishedOn: '2023-10' };
const event = {
  slug: 'new-meeting',
  title: 'A new meeting',
  kind: 'MEETING',
  status: 'OCCURRED',
  start: '2023-09',
  dateBasis: 'STATED',
  citations: [{ article: ARTICLE, quote: 'senior officials from the three nations are set to meet in Seoul on Tuesday' }],
};

const ZERO_WIDTH = '\u200b\u200c\u200d\u2060\ufeff';
const many = <T>(count: number, item: (i: number) => T) => Array.from({ length: count }, (_, i) => item(i));

type List = keyof typeof MUTATIONS;
const cases: [string, List, Record<string, unknown>, string, string][] = [
  ['a 10,000-character slug', 'events', { ...event, slug: 'a'.repeat(10_000) }, 'slug', `must be at most ${INPUT_LIMITS.slug} characters (it has 10000)`],
  ['a 95 kB name', 'actors', { ...actor, name: 'n'.repeat(95_000) }, 'name', `must be at most ${INPUT_LIMITS.name} characters (it has 95000)`],
  ['a long title', 'events', { ...event, title: 't'.repeat(INPUT_LIMITS.name + 1) }, 'title', `must be at most ${INPUT_LIMITS.name} characters (it has ${INPUT_LIMITS.name + 1})`],
  ['a long summary', 'events', { ...event, summary: 's'.repeat(INPUT_LIMITS.text + 1) }, 'summary', `must be at most ${INPUT_LIMITS.text} characters (it has ${INPUT_LIMITS.text + 1})`],
  ['a long date note', 'events', { ...event, dateNote: 'd'.repeat(INPUT_LIMITS.text + 1) }, 'dateNote', `must be at most ${INPUT_LIMITS.text} characters (it has ${INPUT_LIMITS.text + 1})`],
  ['a long description', 'sources', { ...source, description: 'd'.repeat(INPUT_LIMITS.text + 1) }, 'description', `must be at most ${INPUT_LIMITS.text} characters (it has ${INPUT_LIMITS.text + 1})`],
  ['a long role', 'actors', { ...actor, affiliations: [{ actor: 'south-korea', role: 'r'.repeat(INPUT_LIMITS.role + 1) }] }, 'affiliations[0].role', `must be at most ${INPUT_LIMITS.role} characters (it has ${INPUT_LIMITS.role + 1})`],
  ['a name of zero-width spaces', 'actors', { ...actor, name: ZERO_WIDTH }, 'name', 'must contain visible characters, not only spaces or invisible ones'],
  ['a title of spaces, controls and a soft hyphen', 'events', { ...event, title: ' \u00a0\u2003\u0007\u00ad\u3000\u2800' }, 'title', 'must contain visible characters, not only spaces or invisible ones'],
  ['a quote of combining marks and direction marks', 'events', { ...event, citations: [{ article: ARTICLE, quote: '\u0301\u0301\u200e\u202e' }] }, 'citations[0].quote', 'must contain visible characters, not only spaces or invisible ones'],
  ['a description of invisible characters', 'sources', { ...source, description: ZERO_WIDTH }, 'description', 'must contain visible characters, not only spaces or invisible ones (or be left empty)'],
  ['a summary with an escape character', 'events', { ...event, summary: 'Talks \u001b[31mresumed' }, 'summary', 'must not contain control characters (found U+001B)'],
  ['too many participants', 'events', { ...event, participants: many(INPUT_LIMITS.participants + 1, (i) => ({ actor: `actor-${i}`, role: 'PARTICIPANT' })) }, 'participants', `must list at most ${INPUT_LIMITS.participants} participants (it has ${INPUT_LIMITS.participants + 1})`],
  ['too many citations', 'events', { ...event, citations: many(INPUT_LIMITS.citations + 1, (i) => ({ article: ARTICLE, quote: `Quote ${i}` })) }, 'citations', `must list at most ${INPUT_LIMITS.citations} citations (it has ${INPUT_LIMITS.citations + 1})`],
  ['a long article text', 'articles', { ...article, text: 'w'.repeat(INPUT_LIMITS.articleText + 1) }, 'text', `must be at most ${INPUT_LIMITS.articleText} characters (it has ${INPUT_LIMITS.articleText + 1})`],
  ['too many links', 'events', { ...event, related: many(INPUT_LIMITS.related + 1, (i) => ({ type: 'FOLLOW_UP_OF', event: `event-${i}` })) }, 'related', `must list at most ${INPUT_LIMITS.related} links (it has ${INPUT_LIMITS.related + 1})`],
  ['too many affiliations', 'actors', { ...actor, affiliations: many(INPUT_LIMITS.affiliations + 1, (i) => ({ actor: `actor-${i}`, role: 'member' })) }, 'affiliations', `must list at most ${INPUT_LIMITS.affiliations} affiliations (it has ${INPUT_LIMITS.affiliations + 1})`],
];

/** The seed loader's messages for `record` added to the real seed files' `list`. */
function seedProblems(list: List, record: Record<string, unknown>): string[] {
  const raw: RawSeed = readSeedFiles();
  raw[list] = { ...raw[list], records: [...raw[list].records, record] };
  try {
    validateSeed(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    return (error as SeedError).problems.map((problem) => problem.message);
  }
  return [];
}

describe('input bounds, the same through the API and the seed loader', () => {
  it.each(cases)('refuse %s, naming the field and the limit, and write nothing', async (_case, list, record, path, message) => {
    const before = await dumpTables(timeline.database);
    const response = await timeline.query(MUTATIONS[list], { input: record }, { token: TEST_TOKENS.editor });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = Object.values(response.data!)[0] as { __typename: string; issues: { path: string; message: string }[] };
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues).toContainEqual({ path, message });
    expect(await dumpTables(timeline.database)).toEqual(before);

    expect(seedProblems(list, record)).toContain(`${path}: ${message}`);
  });

  it('refuse a NUL beside visible text: the API the whole request, the seed loader naming the field; nothing is written', async () => {
    const record = { ...actor, name: '\u0000a' };
    const before = await dumpTables(timeline.database);
    const response = await timeline.query(MUTATIONS.actors, { input: record }, { token: TEST_TOKENS.editor });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('NUL character (U+0000)'), extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })]);
    expect(await dumpTables(timeline.database)).toEqual(before);

    expect(seedProblems('actors', record)).toContain('name: must not contain control characters (found U+0000)');
  });

  it('accept text at exactly the limits, with visible characters among invisible ones', async () => {
    const response = await timeline.query(
      MUTATIONS.actors,
      { input: { ...actor, slug: 'a'.repeat(INPUT_LIMITS.slug), name: `K${ZERO_WIDTH}é${'n'.repeat(INPUT_LIMITS.name - 7)}`, description: 'd'.repeat(INPUT_LIMITS.text) } },
      { token: TEST_TOKENS.editor },
    );
    expect(response.data?.createActor).toEqual({ __typename: 'MutationCreateActorSuccess' });
  });
});
