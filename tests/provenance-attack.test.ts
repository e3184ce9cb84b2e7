import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_ARTICLES_DIR } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { SeedError } from '../src/seed/errors.js';
import { exportSeed, exportSeedTo } from '../src/seed/export.js';
import { DEFAULT_SEED_DIR, readSeedFiles } from '../src/seed/files.js';
import { loadSeed } from '../src/seed/load.js';
import { validateSeed } from '../src/seed/validate.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { dumpTables, openTestDatabase, openTestTimeline, syntheticTimeline, TEST_BACKEND, TEST_TOKEN_STORE, TEST_TOKENS, type GraphQLResponse } from './helpers.js';

// Provenance under attack: a hostile client, pathological text, and two editors at once.

const BLOOMBERG = 'bloomberg-south-korea-seeks-xi-visit';
const SECOND = 'south-korea-china-relations-yoon-seeks-xi-visit';
const editor = { token: TEST_TOKENS.editor };
const admin = { token: TEST_TOKENS.admin };

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

const RESULT = `__typename ... on Error { message } ... on ValidationError { path issues { path message } }`;
const CITATION_FIELDS = 'id quote verified event { slug } article { slug } context { prefix exact suffix start end }';
const ADD_CITATION = `mutation ($event: String!, $citation: CitationInput!) { addCitation(event: $event, citation: $citation) { ${RESULT} ... on MutationAddCitationSuccess { citation { ${CITATION_FIELDS} } } } }`;
const UPDATE_CITATION = `mutation ($id: ID!, $patch: CitationPatch!) { updateCitation(id: $id, patch: $patch) { ${RESULT} ... on MutationUpdateCitationSuccess { citation { ${CITATION_FIELDS} } } } }`;
const CREATE_ARTICLE = `mutation ($input: ArticleInput!) { createArticle(input: $input) { ${RESULT} ... on MutationCreateArticleSuccess { article { slug hasText } } } }`;
const UPSERT_ARTICLE = `mutation ($input: ArticleInput!) { upsertArticle(input: $input) { ${RESULT} ... on MutationUpsertArticleSuccess { article { hasText } } } }`;
const UPDATE_ARTICLE = `mutation ($slug: String!, $patch: ArticlePatch!) { updateArticle(slug: $slug, patch: $patch) { ${RESULT} ... on MutationUpdateArticleSuccess { article { hasText } } } }`;
const CREATE_EVENT = `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { slug } } } }`;
const UPSERT_EVENT = `mutation ($input: EventInput!) { upsertEvent(input: $input) { ${RESULT} ... on MutationUpsertEventSuccess { event { revisions { totalCount } } } } }`;
const CLAIMS = `dateSupport { supportedBy { quote } } placeSupport { basis note supportedBy { quote } } participants(first: 20) { edges { role basis note node { slug } supportedBy { quote } } }`;
const UPDATE_EVENT = `mutation ($slug: String!, $patch: EventPatch!) { updateEvent(slug: $slug, patch: $patch) { ${RESULT} ... on MutationUpdateEventSuccess { event { ${CLAIMS} } } } }`;

/** What a test asks: the test timeline, or a server of its own on another database. */
interface Client {
  query(query: string, variables: Record<string, unknown>, options: { token: string }): Promise<GraphQLResponse>;
}

/** The mutation's payload; a GraphQL error (a refusal that is no typed write error) fails the test with its message. */
async function mutate(field: string, document: string, variables: Record<string, unknown>, options: { token: string } = editor, on: Client = timeline) {
  const response = await on.query(document, variables, options);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data![field];
}

async function createArticle(slug: string, text: string) {
  const result = await mutate('createArticle', CREATE_ARTICLE, { input: { slug, title: `Article ${slug}`, source: 'bloomberg', publishedOn: '2023-10', text } });
  expect(result.__typename, JSON.stringify(result)).toBe('MutationCreateArticleSuccess');
  return result.article;
}

/** An event citing `quote` in `article`, its date supported by that citation. */
const eventCiting = (slug: string, article: string, quote: string) => ({
  slug,
  title: `Event ${slug}`,
  kind: 'STATEMENT',
  status: 'OCCURRED',
  start: '2023-10',
  dateBasis: 'STATED',
  dateSupport: [0],
  citations: [{ article, quote }],
});

/** A server on `database`: a second one on the same database is what a second instance would be. */
function serverOn(database: DatabaseHandle): Client {
  const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
  return {
    async query(query: string, variables: Record<string, unknown>, options: { token: string }): Promise<GraphQLResponse> {
      const response = await yoga.fetch(new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify({ query, variables }),
      }));
      return { status: response.status, ...((await response.json()) as object) };
    },
  };
}

/** Half of a surrogate pair: no character at all, and no database stores it as written. */
const LONE_SURROGATE = /\p{Cs}/u;

const citationIdsOf = async (event: string): Promise<{ id: string; quote: string }[]> =>
  (await timeline.query(`{ event(slug: "${event}") { citations(first: 50) { edges { node { id quote } } } } }`)).data!.event.citations.edges.map((edge: any) => edge.node);

describe('quotes: Unicode, at the edges of the text, and as written', () => {
  const text = '😀 Xi said “yes”\u00a0to e\u0301lan.\r\nThen (a+b)*[c]? $1 ^x| he said “yes” again 👍🏽 end.';
  const codePoints = [...text];
  const anchored = async (quote: string, article = 'unicode') => {
    const result = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article, quote } });
    expect(result.__typename, JSON.stringify(result)).toBe('MutationAddCitationSuccess');
    return result.citation;
  };

  it('anchors quotes after astral characters, with combining marks, CRLF, regex characters and at either end, in code points', async () => {
    expect((await createArticle('unicode', text)).hasText).toBe(true);
    for (const quote of ['😀 Xi said', 'e\u0301lan.\r\nThen', '(a+b)*[c]? $1 ^x|', '👍🏽 end.', '“yes”\u00a0to']) {
      const citation = await anchored(quote);
      const { prefix, exact, suffix, start, end } = citation.context;
      expect(citation.verified).toBe(true);
      expect(exact).toBe(quote);
      expect(codePoints.slice(start, end).join('')).toBe(quote);
      expect(prefix).toBe(codePoints.slice(Math.max(0, start - 40), start).join(''));
      expect(suffix).toBe(codePoints.slice(end, end + 40).join(''));
    }
    // At the very start and the very end, the context on that side is empty.
    const contexts = (await timeline.query(`{ article(slug: "unicode") { citations(first: 10) { edges { node { context { prefix suffix start end } } } } } }`)).data!.article.citations.edges.map((e: any) => e.node.context);
    expect(contexts[0]).toMatchObject({ prefix: '', start: 0 });
    expect(contexts[3]).toMatchObject({ suffix: '', end: codePoints.length });
  });

  it('anchors a quote the text has twice at its first occurrence', async () => {
    const citation = await anchored('he said “yes”');
    expect(citation.context.start).toBe([...text.slice(0, text.indexOf('he said “yes”'))].length);
  });

  it.each([
    ['a plain space for a non-breaking one', '“yes” to', /U\+00A0 where the quote has U\+0020/],
    ['a zero-width space inserted', 'Xi\u200b said', /is not in the text of the article "unicode"/],
    ['LF for CRLF', 'e\u0301lan.\nThen', /is not in the text/],
    ['a precomposed é for e and a combining accent', '\u00e9lan.', /is not in the text/],
    ['a 300-character quote longer than the article', 'x'.repeat(300), /closest passage is: /],
  ])('refuses %s as a ValidationError, writing nothing', async (_case, quote, shows) => {
    const before = await dumpTables(timeline.database);
    const result = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: 'unicode', quote } });
    expect(result.__typename).toBe('ValidationError');
    expect(result.path).toMatch(/^citations\[\d+\]\.quote$/);
    expect(result.message).toMatch(shows);
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('accepts a 300-character quote and refuses one of 301, counting code points', async () => {
    const longest = '😀'.repeat(150) + 'a'.repeat(150);
    await createArticle('long-quote', `Before. ${longest}b After.`);
    expect((await anchored(longest, 'long-quote')).context).toMatchObject({ start: 8, end: 308 });
    const refused = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: 'long-quote', quote: `${longest}b` } });
    expect(refused).toMatchObject({ __typename: 'ValidationError', path: expect.stringMatching(/^citations\[\d+\]\.quote$/), message: expect.stringContaining('at most 300 characters (it has 301)') });
  });
});

describe('quotes: what the API answers with, and what it stores', () => {
  it('addCitation answers with the citation it added when the quote has spaces around it', async () => {
    const quote = 'said he will “seriously consider” visiting South Korea';
    const result = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: BLOOMBERG, quote: `  ${quote} ` } });
    expect(result.__typename).toBe('MutationAddCitationSuccess');
    // The stored quote is trimmed; the answer must be that citation, not another event's.
    expect(result.citation).toMatchObject({ quote, event: { slug: 'camp-david-summit' }, article: { slug: BLOOMBERG } });
  });

  it('updateCitation answers with the citation it changed when the quote has spaces around it', async () => {
    const [citation] = await citationIdsOf('kim-jong-un-visit-to-russia');
    const result = await mutate('updateCitation', UPDATE_CITATION, { id: citation!.id, patch: { quote: ` ${citation!.quote}\n` } });
    expect(result.__typename).toBe('MutationUpdateCitationSuccess');
    expect(result.citation).toMatchObject({ id: citation!.id, quote: citation!.quote, event: { slug: 'kim-jong-un-visit-to-russia' } });
  });

  it('keeps claims on their citations when a patch restates the same citations with spaces around the quotes', async () => {
    const read = await timeline.query(`{ event(slug: "kim-jong-un-visit-to-russia") { ${CLAIMS} citations(first: 50) { edges { node { quote article { slug } } } } } }`);
    const { citations, ...claims } = read.data!.event;
    const restated = citations.edges.map((edge: any) => ({ article: edge.node.article.slug, quote: `${edge.node.quote} ` }));
    const result = await mutate('updateEvent', UPDATE_EVENT, { slug: 'kim-jong-un-visit-to-russia', patch: { citations: restated } });
    expect(result.__typename, JSON.stringify(result.issues)).toBe('MutationUpdateEventSuccess');
    expect(result.event).toEqual(claims);
  });

  it('refuses a quote holding half of a surrogate pair as a ValidationError, writing nothing', async () => {
    await createArticle('astral-end', 'It ends with a smile 😀');
    const before = await dumpTables(timeline.database);
    // JSON carries a lone surrogate; the text "has" it (as half of 😀), but no database stores it as written.
    const response = await timeline.query(ADD_CITATION, { event: 'camp-david-summit', citation: { article: 'astral-end', quote: 'a smile \uD83D' } }, editor);
    expect(await dumpTables(timeline.database)).toEqual(before);
    expect(response.errors?.map((error) => error.message)).toBeUndefined();
    expect(response.data!.addCitation).toMatchObject({ __typename: 'ValidationError', path: expect.stringMatching(/^citations\[\d+\]\.quote$/) });
  });

  it('the seed loader refuses a quote holding half of a surrogate pair', () => {
    const raw = readSeedFiles();
    const article = raw.articles.records[0] as { slug: string; text: string };
    article.text += ' 😀';
    const quote = article.text.slice(-12, -1);
    expect(quote).toMatch(LONE_SURROGATE);
    (raw.events.records[0] as { citations: { article: string; quote: string }[] }).citations.push({ article: article.slug, quote });
    expect(() => validateSeed(raw)).toThrow(SeedError);
  });

  it('an article text holding half of a surrogate pair is refused, not stored altered', async () => {
    const result = await mutate('createArticle', CREATE_ARTICLE, { input: { slug: 'lone-surrogate', title: 'Lone', source: 'bloomberg', publishedOn: '2023', text: 'Broken \uDE00 text.' } });
    expect(result).toMatchObject({ __typename: 'ValidationError', path: 'text' });
  });
});

describe('the closest passage of a refused quote', () => {
  it('is a passage, not the whole article, when the article has no spaces (Chinese, Japanese)', async () => {
    const text = '中国外交部发言人表示'.repeat(2_400);
    await createArticle('no-spaces', text);
    const result = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: 'no-spaces', quote: '中国外交部长表示' } });
    expect(result.__typename).toBe('ValidationError');
    // The text is kept, not served: the refusal shows about the quote's length of it.
    expect(result.message.length).toBeLessThan(500);
  });

  it('never splits a character (a surrogate pair) of the article', async () => {
    await createArticle('emoji-run', '😀'.repeat(60));
    const result = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: 'emoji-run', quote: 'xy' } });
    expect(result.__typename).toBe('ValidationError');
    expect(result.message).not.toMatch(LONE_SURROGATE);
  });

  it('is found for 50 misquotes against a 25,000-character article within the request deadline', async () => {
    const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu'.split(' ');
    let text = '';
    for (let i = 0; text.length < 25_000; i++) text += `${words[(i * 7) % words.length]} `;
    await createArticle('longest', `${text.slice(0, 24_999)}.`);
    const junk = (k: number) => `${k} ${'qxzvw'.repeat(60)}`.slice(0, 300);
    const started = performance.now();
    const response = await timeline.query(CREATE_EVENT, { input: { ...eventCiting('fifty-misquotes', 'longest', junk(0)), citations: Array.from({ length: 50 }, (_, k) => ({ article: 'longest', quote: junk(k) })) } }, editor);
    const elapsed = performance.now() - started;
    console.log(`50 misquotes against a 25,000-character article: refused in ${elapsed.toFixed(0)} ms`);
    expect(response.errors?.map((error) => error.message)).toBeUndefined();
    expect(response.data!.createEvent.issues).toHaveLength(50);
  }, 120_000);
});

describe('two editors at once: one drops a quote from the article text while the other cites it', () => {
  it('never leaves a citation whose quote is not in its article text, whichever commits first', async () => {
    // Two handles on one database, as two instances would have: an SQLite file, or one PostgreSQL database.
    const folder = mkdtempSync(join(tmpdir(), 'timeline-race-'));
    let first: DatabaseHandle & { url?: string };
    if (TEST_BACKEND === 'sqlite') {
      first = await openDatabase(join(folder, 'race.db'));
      await seedDatabase(first);
    } else {
      first = await openTestDatabase({ seeded: true });
    }
    const url = first.url ?? join(folder, 'race.db');
    const second = await openDatabase(url);
    try {
      const [one, two] = [serverOn(first), serverOn(second)];
      const outcomes = new Set<string>();
      for (let round = 0; round < 12; round++) {
        const slug = `race-${round}`;
        const created = await one.query(CREATE_ARTICLE, { input: { slug, title: 'Race', source: 'bloomberg', publishedOn: '2023', text: `Round ${round}: the minister said the words. Then he left.` } }, editor);
        expect(created.data!.createArticle.__typename).toBe('MutationCreateArticleSuccess');
        const dropQuote = () => two.query(UPDATE_ARTICLE, { slug, patch: { text: `Round ${round}: then he left.` } }, editor);
        const cite = () => one.query(ADD_CITATION, { event: 'camp-david-summit', citation: { article: slug, quote: 'the minister said the words' } }, editor);
        // Most rounds race the two writes, sent together; which wins is up to the scheduler, and on
        // some machines one side wins every race. The last rounds give one write a head start, each
        // side in turn, so both outcomes are tested whatever the machine.
        const after = async <T>(send: () => Promise<T>) => {
          if (round >= 8) await delay(50);
          return send();
        };
        const [dropped, cited] =
          round % 2 === 0
            ? await Promise.all([dropQuote(), after(cite)])
            : ((await Promise.all([cite(), after(dropQuote)])).reverse() as [GraphQLResponse, GraphQLResponse]);
        for (const response of [dropped, cited]) expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
        const results = [dropped.data!.updateArticle.__typename, cited.data!.addCitation.__typename];
        // Exactly one of the two writes wins; the other is refused naming why.
        expect(results.filter((name) => name === 'ValidationError'), JSON.stringify(results)).toHaveLength(1);
        outcomes.add(results.join(' '));
        const stored = await first.read((tx) => tx.query.articles.findFirst({ where: { slug }, with: { citations: true } }));
        for (const citation of stored!.citations) {
          expect(stored!.text).toContain(citation.quote);
          expect(citation.quoteStart).not.toBeNull();
        }
      }
      // Both orders happened, so the test saw each side win.
      expect(outcomes.size).toBe(2);
    } finally {
      await second.close();
      await first.close();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('claims: hostile support', () => {
  const event = 'camp-david-summit';

  it.each([
    ['a negative index', [-1], 'dateSupport[0]', /must be a citation index, 0 or more/],
    ['an index past the citations', [99], 'dateSupport[0]', /there is no citations\[99\]/],
    ['the same index twice', [0, 0], 'dateSupport[1]', /names citations\[0\] twice/],
  ])('refuses %s as a ValidationError naming the field, writing nothing', async (_case, dateSupport, path, message) => {
    const before = await dumpTables(timeline.database);
    const result = await mutate('updateEvent', UPDATE_EVENT, { slug: event, patch: { dateSupport } });
    expect(result).toMatchObject({ __typename: 'ValidationError', path, message: expect.stringMatching(message) });
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it.each([
    ['a huge index', 2 ** 31, /Int cannot represent non 32-bit signed integer value/],
    ['a fractional index', 1.5, /Int cannot represent non-integer value/],
    ['an index as a string', '0', /Int cannot represent non-integer value/],
    ['null in the list', null, /not to be null/],
  ])('refuses %s as bad input naming the variable path', async (_case, index, message) => {
    const response = await timeline.query(UPDATE_EVENT, { slug: event, patch: { participants: [{ actor: 'china', role: 'PARTICIPANT', supportedBy: [index] }] } }, editor);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(response.errors![0]!.message).toContain('patch.participants[0].supportedBy[0]');
  });

  const ADD_PARTICIPANT = `mutation ($ids: [ID!], $basis: ClaimBasis, $note: String) { addParticipant(event: "${event}", actor: "china", role: SUBJECT, supportedBy: $ids, basis: $basis, note: $note) { ${RESULT} ... on MutationAddParticipantSuccess { event { slug } } } }`;

  it.each([
    ['a malformed global id', 'not base64!', /Invalid global ID/],
    ['the id of an event', encodeGlobalID('Event', 1), /is not of type: Citation/],
  ])('addParticipant refuses %s as bad input', async (_case, id, message) => {
    const response = await timeline.query(ADD_PARTICIPANT, { ids: [id] }, editor);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it.each([
    ['a citation id that does not exist', encodeGlobalID('Citation', '99999999999999999999')],
    ['a negative citation id', encodeGlobalID('Citation', '-1')],
    ['a fractional citation id', encodeGlobalID('Citation', '1.5')],
  ])('addParticipant refuses %s as a ValidationError at supportedBy', async (_case, id) => {
    const result = await mutate('addParticipant', ADD_PARTICIPANT, { ids: [id] });
    expect(result).toMatchObject({ __typename: 'ValidationError', path: 'supportedBy[0]', message: `is not a citation of the event "${event}"` });
  });

  it.each([
    ['an empty note', ''],
    ['an invisible note', '\u200b\u00a0\u2800'],
  ])('refuses an OUTSIDE participation with %s', async (_case, note) => {
    const result = await mutate('addParticipant', ADD_PARTICIPANT, { ids: [], basis: 'OUTSIDE', note });
    expect(result).toMatchObject({ __typename: 'ValidationError', path: expect.stringMatching(/^participants\[\d+\]\.note$/) });
  });

  it('refuses an OUTSIDE place whose note is only spaces', async () => {
    const result = await mutate('updateEvent', UPDATE_EVENT, { slug: 'xi-han-duck-soo-hangzhou-meeting', patch: { placeBasis: 'OUTSIDE', placeNote: '   ' } });
    expect(result).toMatchObject({ __typename: 'ValidationError', path: 'placeNote' });
  });

  it('refuses place: null with placeSupport in the same patch, and clears the support with place: null alone', async () => {
    const refused = await mutate('updateEvent', UPDATE_EVENT, { slug: 'xi-han-duck-soo-hangzhou-meeting', patch: { place: null, placeSupport: [0] } });
    expect(refused).toMatchObject({ __typename: 'ValidationError', path: 'place', message: 'is needed for placeSupport, placeBasis or placeNote' });
    await mutate('createEvent', CREATE_EVENT, { input: { ...eventCiting('placed', BLOOMBERG, 'set to meet in Seoul on Tuesday'), place: 'seoul', placeBasis: 'OUTSIDE', placeNote: 'Known.' } });
    const cleared = await mutate('updateEvent', UPDATE_EVENT, { slug: 'placed', patch: { place: null } });
    expect(cleared).toMatchObject({ __typename: 'MutationUpdateEventSuccess', event: { placeSupport: null } });
  });

  it('replacing citations and participants in one patch checks the new claims against the new citations', async () => {
    const quotes = ['set to meet in Seoul on Tuesday', 'said he will “seriously consider” visiting South Korea'];
    await mutate('createEvent', CREATE_EVENT, { input: { ...eventCiting('replaced', BLOOMBERG, quotes[0]!), participants: [{ actor: 'china', role: 'PARTICIPANT', supportedBy: [0] }] } });
    const citations = [{ article: BLOOMBERG, quote: quotes[1] }];
    // The old participant's support followed its citation out of the list: refused, naming the claim.
    const orphaned = await mutate('updateEvent', UPDATE_EVENT, { slug: 'replaced', patch: { citations, dateSupport: [0] } });
    expect(orphaned).toMatchObject({ __typename: 'ValidationError', path: 'participants[0].supportedBy' });
    const both = await mutate('updateEvent', UPDATE_EVENT, { slug: 'replaced', patch: { citations, dateSupport: [0], participants: [{ actor: 'japan', role: 'SUBJECT', supportedBy: [0] }] } });
    expect(both.event.participants.edges).toEqual([{ role: 'SUBJECT', basis: 'CITED', note: '', node: { slug: 'japan' }, supportedBy: [{ quote: quotes[1] }] }]);
    expect(both.event.dateSupport).toEqual({ supportedBy: [{ quote: quotes[1] }] });
  });

  it('updateCitation on a citation that supports claims moves the claims with it; deleteCitation of their only support is refused', async () => {
    const [citation] = await citationIdsOf('replaced');
    const updated = await mutate('updateCitation', UPDATE_CITATION, { id: citation!.id, patch: { quote: 'the three nations' } });
    expect(updated.__typename).toBe('MutationUpdateCitationSuccess');
    const read = await timeline.query(`{ event(slug: "replaced") { ${CLAIMS} } }`);
    expect(read.data!.event.dateSupport).toEqual({ supportedBy: [{ quote: 'the three nations' }] });
    const before = await dumpTables(timeline.database);
    const DELETE = `mutation ($id: ID!) { deleteCitation(id: $id) { ${RESULT} } }`;
    expect(await mutate('deleteCitation', DELETE, { id: updated.citation.id }, admin)).toMatchObject({ __typename: 'ValidationError' });
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('restoreEvent of an event whose quote has since left its article is refused, naming the quote, and writes nothing', async () => {
    await createArticle('restore-source', 'One two three. Four five six.');
    await mutate('createEvent', CREATE_EVENT, { input: eventCiting('restore-me', 'restore-source', 'One two three') });
    const DELETE = `mutation { deleteEvent(slug: "restore-me") { ${RESULT} } }`;
    expect((await mutate('deleteEvent', DELETE, {}, admin)).__typename).toBe('MutationDeleteEventSuccess');
    expect((await mutate('updateArticle', UPDATE_ARTICLE, { slug: 'restore-source', patch: { text: 'Four five six.' } })).__typename).toBe('MutationUpdateArticleSuccess');
    const RESTORE = `mutation { restoreEvent(slug: "restore-me") { ${RESULT} ... on MutationRestoreEventSuccess { event { citations(first: 5) { edges { node { verified context { start } } } } } } } }`;
    const before = await dumpTables(timeline.database);
    expect(await mutate('restoreEvent', RESTORE, {}, admin)).toMatchObject({ __typename: 'ValidationError', path: 'citations[0].quote', message: expect.stringContaining('"restore-source"') });
    expect(await dumpTables(timeline.database)).toEqual(before);
    await mutate('updateArticle', UPDATE_ARTICLE, { slug: 'restore-source', patch: { text: 'Four five six. One two three.' } });
    const restored = await mutate('restoreEvent', RESTORE, {}, admin);
    expect(restored.event.citations.edges).toEqual([{ node: { verified: true, context: { start: 15 } } }]);
  });

  it('a second identical upsertEvent records no revision', async () => {
    const input = {
      ...eventCiting('upserted-twice', BLOOMBERG, ' set to meet in Seoul on Tuesday '),
      title: '  Upserted twice ',
      place: 'seoul',
      placeSupport: [0],
      participants: [{ actor: 'china', role: 'PARTICIPANT', supportedBy: [0], note: '' }, { actor: 'japan', role: 'PARTICIPANT', basis: 'OUTSIDE', note: 'A known fact.' }],
    };
    expect((await mutate('upsertEvent', UPSERT_EVENT, { input })).event.revisions.totalCount).toBe(1);
    const before = await dumpTables(timeline.database);
    expect((await mutate('upsertEvent', UPSERT_EVENT, { input })).event.revisions.totalCount).toBe(1);
    expect(await dumpTables(timeline.database)).toEqual(before);
  });
});

describe('article texts: bounds, files, and never served', () => {
  it.each([
    ['only whitespace', ' \n\t\u00a0\u3000 ', /must contain visible characters/],
    ['a control character', 'A bell \u0007 rings.', /must not contain control characters \(found U\+0007\)/],
    ['25,001 characters', 'a'.repeat(25_001), /must be at most 25000 characters \(it has 25001\)/],
  ])('the API refuses a text of %s at the field text, writing nothing', async (_case, text, message) => {
    const before = await dumpTables(timeline.database);
    const result = await mutate('createArticle', CREATE_ARTICLE, { input: { slug: 'refused-text', title: 'Refused', source: 'bloomberg', publishedOn: '2023', text } });
    expect(result).toMatchObject({ __typename: 'ValidationError', path: 'text', message: expect.stringMatching(message) });
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('the API accepts exactly 25,000 characters, in any script within the body limit', async () => {
    expect((await createArticle('exactly-latin', 'a'.repeat(25_000))).hasText).toBe(true);
    expect((await createArticle('exactly-han', '中'.repeat(25_000))).hasText).toBe(true);
  });

  /** The seed files with extra articles naming these `text:` values, read against `articlesDir`. */
  function seedProblemsFor(texts: Record<string, unknown>, articlesDir: string) {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-seed-'));
    for (const file of ['actors.yaml', 'places.yaml', 'events.yaml']) writeFileSync(join(dir, file), readFileSync(join(DEFAULT_SEED_DIR, file)));
    const sources = YAML.parse(readFileSync(join(DEFAULT_SEED_DIR, 'sources.yaml'), 'utf8'));
    const template = sources.articles[0];
    const first = sources.articles.length;
    sources.articles.push(...Object.values(texts).map((text, i) => ({ ...template, slug: `extra-${i}`, text })));
    writeFileSync(join(dir, 'sources.yaml'), YAML.stringify(sources));
    try {
      validateSeed(readSeedFiles(dir, articlesDir));
      return Object.keys(texts).map(() => [] as string[]);
    } catch (error) {
      expect(error).toBeInstanceOf(SeedError);
      const problems = (error as SeedError).problems;
      return Object.keys(texts).map((_, i) => problems.filter((p) => p.record.startsWith(`articles[${first + i}]`)).map((p) => p.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('the seed loader refuses text files outside the articles directory, directories, missing files and bad texts, each by name', () => {
    const articlesDir = mkdtempSync(join(tmpdir(), 'timeline-articles-'));
    for (const file of ['000_111c21645aef6a9b.txt', '004_0bae304cd25829a4.txt']) writeFileSync(join(articlesDir, file), readFileSync(join(DEFAULT_ARTICLES_DIR, file)));
    mkdirSync(join(articlesDir, 'a-folder'));
    writeFileSync(join(articlesDir, 'blank.txt'), ' \n \n');
    writeFileSync(join(articlesDir, 'control.txt'), 'Text with an escape \u001b[31m code.');
    writeFileSync(join(articlesDir, 'too-long.txt'), 'b'.repeat(25_001));
    writeFileSync(join(articlesDir, 'exact.txt'), 'b'.repeat(25_000));
    const cases = {
      parent: ['../../etc/passwd', /must name a file inside the articles directory/],
      hidden: ['sub/../../x.txt', /must name a file inside the articles directory/],
      backslash: ['..\\x.txt', /must name a file inside the articles directory/],
      absolute: ['/etc/passwd', /must name a file inside the articles directory/],
      blankName: ['   ', /must name a file inside the articles directory/],
      folder: ['a-folder', /cannot read .*a-folder \(EISDIR\)/],
      missing: ['missing.txt', /cannot read .*missing\.txt \(ENOENT\)/],
      nul: ['a\u0000b.txt', /cannot read/],
      number: [42, /text: /],
      blank: ['blank.txt', /^text: must contain visible characters/],
      control: ['control.txt', /^text: must not contain control characters \(found U\+001B\)/],
      tooLong: ['too-long.txt', /^text: must be at most 25000 characters/],
    } as const;
    const problems = seedProblemsFor(Object.fromEntries([...Object.entries(cases).map(([name, [text]]) => [name, text]), ['exact', 'exact.txt']]), articlesDir);
    Object.values(cases).forEach(([text, message], i) => {
      expect(problems[i], String(text)).toHaveLength(1);
      expect(problems[i]![0], String(text)).toMatch(message);
    });
    expect(problems.at(-1)).toEqual([]);
    rmSync(articlesDir, { recursive: true, force: true });
  });

  it('serves no article text: not in history, revisions, node(id), search or error messages of other writes', async () => {
    const marker = 'Zanzibar-quokka sentence that nobody quotes';
    const text = `Quoted part here. ${'Filler words. '.repeat(5)}${marker}. The end.`;
    await createArticle('secret-text', text);
    await mutate('createEvent', CREATE_EVENT, { input: eventCiting('cites-secret', 'secret-text', 'Quoted part here') });
    await mutate('updateArticle', UPDATE_ARTICLE, { slug: 'secret-text', patch: { text: `${text} More.` } });
    const refused = await mutate('updateArticle', UPDATE_ARTICLE, { slug: 'secret-text', patch: { text: `${marker}.` } });
    expect(refused.__typename).toBe('ValidationError');
    const { data } = await timeline.query(`{ article(slug: "secret-text") { id } }`);
    const everything = await timeline.query(`query ($id: ID!) {
      history(type: ARTICLE, slug: "secret-text") { edges { node { before after } } }
      article(slug: "secret-text") { revisions { edges { node { before after } } } citations(first: 5) { edges { node { context { prefix exact suffix } } } } }
      node(id: $id) { ... on Article { slug title hasText } }
      search(query: "quokka") { totalCount }
      event(slug: "cites-secret") { revisions { edges { node { before after } } } }
    }`, { id: data!.article.id });
    expect(everything.errors).toBeUndefined();
    expect(everything.data!.search.totalCount).toBe(0);
    const served = JSON.stringify(everything.data) + JSON.stringify(refused);
    expect(served).not.toContain('quokka');
    const fields = await timeline.query(`{ __type(name: "Article") { fields { name } } }`);
    expect(fields.data!.__type.fields.map((field: { name: string }) => field.name)).not.toContain('text');
  });

  // Dropping a text unverifies every citation of the article, after which any invented quote is accepted.
  const INVENTED = { article: '', quote: 'Biden said this never happened' };
  it('an invented quote stays refused after upsertArticle leaves the text out', async () => {
    const input = { slug: BLOOMBERG, title: 'South Korea Seeks Xi’s Visit to Mark ‘Turning Point’ in Ties', source: 'bloomberg', publishedOn: '2023-09-25' };
    await mutate('upsertArticle', UPSERT_ARTICLE, { input });
    const invented = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { ...INVENTED, article: BLOOMBERG } });
    expect(invented.__typename).toBe('ValidationError');
  });

  it('an invented quote stays refused after updateArticle clears the text', async () => {
    await mutate('updateArticle', UPDATE_ARTICLE, { slug: SECOND, patch: { text: null } });
    const invented = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { ...INVENTED, article: SECOND } });
    expect(invented.__typename).toBe('ValidationError');
  });
});

describe('reportedBy and claims on a page of events', () => {
  it('an outlet that is credited cannot be deleted from under reportedBy', async () => {
    const REPORTING = `{ event(slug: "xi-han-duck-soo-hangzhou-meeting") { reportedBy { articleCount outletCount independentOutlets { slug } } citations(first: 20) { edges { node { creditedSource { slug } } } } } }`;
    const before = (await timeline.query(REPORTING)).data!.event;
    const credited = before.citations.edges.map((edge: any) => edge.node.creditedSource?.slug).find(Boolean);
    expect(credited).toBeDefined();
    const refused = await mutate('deleteSource', `mutation { deleteSource(slug: "${credited}") { ${RESULT} } }`, {}, admin);
    expect(refused).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('citation credit(s)') });
    expect((await timeline.query(REPORTING)).data!.event).toEqual(before);
  });

  it('counts an article crediting its own publisher once, as an independent origin', async () => {
    await mutate('createEvent', CREATE_EVENT, { input: { ...eventCiting('self-credit', BLOOMBERG, 'set to meet in Seoul on Tuesday'), citations: [{ article: BLOOMBERG, quote: 'set to meet in Seoul on Tuesday', credits: 'bloomberg' }] } });
    const read = await timeline.query(`{ event(slug: "self-credit") { reportedBy { articleCount outletCount independentOutlets { slug } } } }`);
    expect(read.data!.event.reportedBy).toEqual({ articleCount: 1, outletCount: 1, independentOutlets: [{ slug: 'bloomberg' }] });
  });

  it('loads reportedBy, every claim’s support and quote contexts in as many statements for 100 events as for 10', async () => {
    const page = await openTestTimeline({ seed: false });
    try {
      await loadSeed(page.database, syntheticTimeline(150));
      const QUERY = `query ($first: Int!) { events(first: $first) { edges { node { slug
        reportedBy { articleCount outletCount outlets { name } independentOutlets { name } }
        dateSupport { basis note supportedBy { quote verified } }
        placeSupport { basis supportedBy { quote } }
        participants(first: 5) { edges { role basis note supportedBy { quote context { exact } } node { name } } }
        citations(first: 3) { edges { node { verified context { prefix exact suffix } article { hasText } } } } } } } }`;
      const statementsFor = async (first: number) => {
        page.resetStatements();
        const response = await page.query(QUERY, { first });
        expect(response.errors).toBeUndefined();
        expect(response.data!.events.edges).toHaveLength(first);
        expect(response.data!.events.edges[0].node.participants.edges[0].supportedBy).toHaveLength(1);
        return page.statements.length;
      };
      const ten = await statementsFor(10);
      const hundred = await statementsFor(100);
      console.log(`statements for events(first: 10): ${ten}, first: 100: ${hundred}`);
      expect(hundred).toBe(ten);
      expect(ten).toBeLessThanOrEqual(4);
    } finally {
      await page.close();
    }
  });
});

describe('export after API edits to claims and texts, and back', () => {
  it('loads into a fresh database as the same seed files, writing no text over a different file', async () => {
    const database = await openTestDatabase({ seeded: true });
    const copy = await openTestDatabase({ seeded: false });
    const articlesDir = mkdtempSync(join(tmpdir(), 'timeline-articles-'));
    const dir = mkdtempSync(join(tmpdir(), 'timeline-export-'));
    try {
      const files = ['000_111c21645aef6a9b.txt', '004_0bae304cd25829a4.txt'];
      for (const file of files) writeFileSync(join(articlesDir, file), readFileSync(join(DEFAULT_ARTICLES_DIR, file)));
      const server = serverOn(database);
      const changedText = `${readFileSync(join(DEFAULT_ARTICLES_DIR, files[1]!), 'utf8')}\r\nAn added line: 😀 “words”\u00a0here.`;
      // A text changed through the API, a quote of the new words, claims moved and marked outside facts.
      expect((await mutate('updateArticle', UPDATE_ARTICLE, { slug: SECOND, patch: { text: changedText } }, editor, server)).__typename).toBe('MutationUpdateArticleSuccess');
      const cited = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: SECOND, quote: '😀 “words”\u00a0here' } }, editor, server);
      expect(cited.__typename).toBe('MutationAddCitationSuccess');
      expect((await mutate('addParticipant', `mutation ($ids: [ID!]) { addParticipant(event: "camp-david-summit", actor: "china", role: SUBJECT, supportedBy: $ids) { ${RESULT} } }`, { ids: [cited.citation.id] }, editor, server)).__typename).toBe('MutationAddParticipantSuccess');
      expect((await mutate('updateEvent', UPDATE_EVENT, { slug: 'xi-han-duck-soo-hangzhou-meeting', patch: { placeBasis: 'OUTSIDE', placeNote: 'Outside fact: Hangzhou hosted the Asian Games.', placeSupport: [] } }, editor, server)).__typename).toBe('MutationUpdateEventSuccess');
      await mutate('createArticle', CREATE_ARTICLE, { input: { slug: 'api-text', title: 'API text', source: 'bloomberg', publishedOn: '2023-10', text: 'Given through the API, with a “quote”.' } }, editor, server);

      await exportSeedTo(database, dir, articlesDir);
      // The seed files' own texts are untouched; the changed and the new texts get files of their own.
      for (const file of files) expect(readFileSync(join(articlesDir, file))).toEqual(readFileSync(join(DEFAULT_ARTICLES_DIR, file)));
      expect(readFileSync(join(articlesDir, `${SECOND}.txt`), 'utf8')).toBe(changedText);
      expect(readFileSync(join(articlesDir, 'api-text.txt'), 'utf8')).toBe('Given through the API, with a “quote”.');

      await loadSeed(copy, validateSeed(readSeedFiles(dir, articlesDir)));
      expect(await exportSeed(copy)).toEqual(await exportSeed(database));
      // The seed files name the texts; the texts and where each quote sits came back as well.
      const stored = (handle: DatabaseHandle) =>
        handle.read(async (tx) => ({
          texts: await tx.query.articles.findMany({ columns: { slug: true, text: true }, orderBy: { slug: 'asc' } }),
          anchors: await tx.query.citations.findMany({ columns: { quote: true, quoteStart: true, quoteEnd: true, quotePrefix: true, quoteSuffix: true }, orderBy: { quote: 'asc' } }),
        }));
      const original = await stored(database);
      expect(await stored(copy)).toEqual(original);
      expect(original.anchors.every((citation) => citation.quoteStart !== null)).toBe(true);

      // A later export never writes over a text file that now differs.
      writeFileSync(join(articlesDir, 'api-text.txt'), 'Someone else’s file.');
      await expect(exportSeedTo(database, dir, articlesDir)).rejects.toThrow(/api-text\.txt holds a different text/);
      expect(readFileSync(join(articlesDir, 'api-text.txt'), 'utf8')).toBe('Someone else’s file.');
    } finally {
      await copy.close();
      await database.close();
      for (const folder of [articlesDir, dir]) rmSync(folder, { recursive: true, force: true });
    }
  });
});
