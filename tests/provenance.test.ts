import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEFAULT_ARTICLES_DIR } from '../src/config.js';
import { articles } from '../src/db/schema.js';
import { readSeedFiles } from '../src/seed/files.js';
import { SeedError } from '../src/seed/errors.js';
import { exportSeed, exportSeedTo } from '../src/seed/export.js';
import { loadSeed } from '../src/seed/load.js';
import { validateSeed } from '../src/seed/validate.js';
import { dumpTables, openTestDatabase, openTestTimeline, TEST_TOKENS } from './helpers.js';

const BLOOMBERG = 'bloomberg-south-korea-seeks-xi-visit';
const SECOND = 'south-korea-china-relations-yoon-seeks-xi-visit';
const seed = validateSeed(readSeedFiles());
const textOf = (slug: string) => seed.articles.find((article) => article.slug === slug)!.text!;

const timeline = await openTestTimeline();
afterAll(() => timeline.close());
const editor = { token: TEST_TOKENS.editor };
const admin = { token: TEST_TOKENS.admin };

async function mutate(field: string, document: string, variables: Record<string, unknown>, options: { token: string } = editor) {
  const response = await timeline.query(document, variables, options);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data![field];
}

const RESULT = `__typename ... on ValidationError { path message issues { path message } }`;
const ADD_CITATION = `mutation ($event: String!, $citation: CitationInput!) { addCitation(event: $event, citation: $citation) { ${RESULT} ... on MutationAddCitationSuccess { citation { id verified context { prefix exact suffix start end } } } } }`;
const CREATE_EVENT = `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { slug } } } }`;

/** The passage an error message shows as the article's closest wording. */
const shownPassage = (message: string) => message.split("the article's closest passage is: ")[1];

// The same refusals through the seed loader: one event of the seed files with its first quote changed.
function seedWithQuote(article: string, quote: string) {
  const raw = readSeedFiles();
  const event = raw.events.records.find((record: any) => record.slug === 'xi-han-duck-soo-hangzhou-meeting') as any;
  event.citations[0] = { ...event.citations[0], article, quote };
  const index = raw.events.records.indexOf(event);
  try {
    validateSeed(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    const problems = (error as SeedError).problems.filter((p) => p.record.startsWith(`events[${index}]`));
    expect(problems).toHaveLength(1);
    return problems[0]!.message;
  }
  throw new Error('the seed files were accepted');
}

describe('quotes are checked against the article text', () => {
  // Each: the quote, the article it is said to be in, and what the refusal must show.
  const refusals: [string, string, string, RegExp][] = [
    ['an invented quote', 'Biden said this never happened', BLOOMBERG, /is not in the text of the article "bloomberg-south-korea-seeks-xi-visit" as written/],
    ['straight quotes for curly ones', 'said he will "seriously consider" visiting South Korea', BLOOMBERG, /the text has “ \(U\+201C\) where the quote has " \(U\+0022\)/],
    ['a changed word', 'said he will “seriously ponder” visiting South Korea', BLOOMBERG, /as written; the article's closest passage is: said he will “seriously consider” visiting South Korea$/],
    ['a quote from the wrong article', 'Xi also asked South Korea to meet him halfway', BLOOMBERG, /it is in the article "south-korea-china-relations-yoon-seeks-xi-visit"/],
    ['a plain space for a non-breaking one', 'a constructive role in relations', SECOND, /the text has U\+00A0 where the quote has U\+0020/],
  ];

  it.each(refusals)('the API refuses %s, showing the article’s own wording', async (_case, quote, article, shows) => {
    const result = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article, quote } });
    expect(result.__typename).toBe('ValidationError');
    expect(result.path).toMatch(/^citations\[\d+\]\.quote$/);
    expect(result.message).toMatch(shows);
    expect(textOf(article)).toContain(shownPassage(result.message));
  });

  it.each(refusals)('the seed loader refuses %s, showing the article’s own wording', (_case, quote, article, shows) => {
    const message = seedWithQuote(article, quote);
    expect(message).toMatch(/^citations\[0\]\.quote: /);
    expect(message).toMatch(shows);
    expect(textOf(article)).toContain(shownPassage(message));
  });

  it('refuses a misquote in createEvent and writes nothing', async () => {
    const before = await dumpTables(timeline.database);
    const result = await mutate('createEvent', CREATE_EVENT, {
      input: {
        slug: 'misquoted',
        title: 'Misquoted',
        kind: 'STATEMENT',
        status: 'OCCURRED',
        start: '2023-09',
        dateBasis: 'OUTSIDE',
        dateNote: 'Test record.',
        citations: [{ article: BLOOMBERG, quote: 'Cho said' }, { article: SECOND, quote: 'Han asked Beijing to play a constructive role' }],
      },
    });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues.map((issue: { path: string }) => issue.path)).toEqual(['citations[1].quote']);
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('verifies every seed citation and serves where its quote sits', async () => {
    const response = await timeline.query(`{ events(first: 100) { edges { node { slug citations(first: 50) { edges { node { quote verified article { slug hasText } context { prefix exact suffix start end } } } } } } } }`);
    expect(response.errors).toBeUndefined();
    const citations = response.data!.events.edges.flatMap((e: any) => e.node.citations.edges.map((c: any) => c.node));
    expect(citations.length).toBe(seed.events.reduce((sum, event) => sum + event.citations.length, 0));
    for (const citation of citations) {
      const text = textOf(citation.article.slug);
      expect(citation.article.hasText).toBe(true);
      expect(citation.verified, citation.quote).toBe(true);
      const { prefix, exact, suffix, start, end } = citation.context;
      expect(exact).toBe(citation.quote);
      // Offsets count characters (code points), and the context is the text around them.
      const characters = [...text];
      expect(characters.slice(start, end).join('')).toBe(exact);
      expect(characters.slice(Math.max(0, start - 40), start).join('')).toBe(prefix);
      expect(characters.slice(end, end + 40).join('')).toBe(suffix);
      expect(prefix.length > 0 || start === 0).toBe(true);
    }
  });

  it('leaves a citation of an article without text unverified, and checks it once the text is given', async () => {
    const CREATE_ARTICLE = `mutation ($input: ArticleInput!) { createArticle(input: $input) { ${RESULT} ... on MutationCreateArticleSuccess { article { hasText } } } }`;
    const created = await mutate('createArticle', CREATE_ARTICLE, { input: { slug: 'textless', title: 'Without text', source: 'bloomberg', publishedOn: '2023-09-26' } });
    expect(created.article).toEqual({ hasText: false });
    const cited = await mutate('addCitation', ADD_CITATION, { event: 'camp-david-summit', citation: { article: 'textless', quote: 'Anything at all' } });
    expect(cited.citation).toMatchObject({ verified: false, context: null });

    const UPDATE_ARTICLE = `mutation ($patch: ArticlePatch!) { updateArticle(slug: "textless", patch: $patch) { ${RESULT} ... on MutationUpdateArticleSuccess { article { hasText citations(first: 5) { edges { node { verified context { exact start } } } } } } } }`;
    const lacking = await mutate('updateArticle', UPDATE_ARTICLE, { patch: { text: 'A text without that quote.' } });
    expect(lacking.__typename).toBe('ValidationError');
    expect(lacking.path).toBe('text');
    expect(lacking.message).toContain('"camp-david-summit"');
    expect(lacking.message).toContain('Anything at all');

    const having = await mutate('updateArticle', UPDATE_ARTICLE, { patch: { text: 'First words. Anything at all, said someone.' } });
    expect(having.article).toEqual({ hasText: true, citations: { edges: [{ node: { verified: true, context: { exact: 'Anything at all', start: 13 } } }] } });

    // The text is kept in the revisions (a deleted article comes back whole) but not served.
    const history = await timeline.query(`{ history(type: ARTICLE, slug: "textless") { edges { node { after } } } }`);
    const afters = history.data!.history.edges.map((edge: any) => edge.node.after);
    expect(afters.at(-1)).toMatchObject({ slug: 'textless', textCharacters: [...'First words. Anything at all, said someone.'].length });
    expect(JSON.stringify(afters)).not.toContain('said someone');
  });
});

describe('every claim names its support', () => {
  it('serves each seed participation, date and place with its citations or as an outside fact', async () => {
    const response = await timeline.query(`{ events(first: 25) { edges { node { slug place { slug }
      dateSupport { basis note supportedBy { quote } }
      placeSupport { basis note supportedBy { quote } }
      participants(first: 10) { edges { role basis note supportedBy { quote } node { slug } } } } } } }`);
    expect(response.errors).toBeUndefined();
    const served = response.data!.events.edges.map((edge: any) => edge.node);
    expect(served).toHaveLength(seed.events.length);
    for (const event of served) {
      const record = seed.events.find((e) => e.slug === event.slug)!;
      const quotesAt = (indexes: number[]) => indexes.map((index) => ({ quote: record.citations[index]!.quote }));
      const claims = [
        [event.dateSupport, record.dateSupport],
        ...(event.place ? [[event.placeSupport, record.placeSupport]] : []),
        ...event.participants.edges.map((edge: any) => [edge, record.participants.find((p) => p.actor === edge.node.slug)!.supportedBy]),
      ];
      for (const [claim, indexes] of claims) {
        expect(claim.supportedBy).toEqual(quotesAt(indexes));
        if (claim.basis === 'OUTSIDE') expect(claim.note, event.slug).not.toBe('');
        else expect(claim.supportedBy.length, event.slug).toBeGreaterThan(0);
      }
      if (!event.place) expect(event.placeSupport).toBeNull();
    }
  });

  it('claims no role the articles do not state: the Hangzhou meeting has participants, not a host and a visitor', async () => {
    const response = await timeline.query(`{ event(slug: "xi-han-duck-soo-hangzhou-meeting") { participants(first: 10) { edges { role node { slug } } } } }`);
    const roles = Object.fromEntries(response.data!.event.participants.edges.map((edge: any) => [edge.node.slug, edge.role]));
    expect(roles).toMatchObject({ 'xi-jinping': 'PARTICIPANT', 'han-duck-soo': 'PARTICIPANT' });
  });

  const unsupported = {
    slug: 'unsupported-claims',
    title: 'Unsupported claims',
    kind: 'MEETING',
    status: 'OCCURRED',
    start: '2023-09-26',
    dateBasis: 'STATED',
    place: 'seoul',
    participants: [{ actor: 'japan', role: 'HOST' }, { actor: 'china', role: 'PARTICIPANT', basis: 'OUTSIDE' }],
    citations: [{ article: BLOOMBERG, quote: 'senior officials from the three nations are set to meet in Seoul on Tuesday' }],
  };
  const expectedIssues = [
    { path: 'participants[0].supportedBy', message: expect.stringContaining('must name the citations that support japan as HOST') },
    { path: 'participants[1].note', message: expect.stringContaining('outside fact') },
    { path: 'dateSupport', message: expect.stringContaining('must name the citations that support the date') },
    { path: 'placeSupport', message: expect.stringContaining('the place "seoul"') },
  ];

  it('the API refuses a claim with neither citations nor an outside basis, naming each', async () => {
    const result = await mutate('createEvent', CREATE_EVENT, { input: unsupported });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues).toEqual(expect.arrayContaining(expectedIssues));
    const outOfRange = await mutate('createEvent', CREATE_EVENT, { input: { ...unsupported, dateSupport: [1], placeSupport: [0], participants: [] } });
    expect(outOfRange.issues).toEqual([{ path: 'dateSupport[0]', message: 'there is no citations[1]: the event has 1 citation(s), counted from 0' }]);
  });

  it('the seed loader refuses the same claims', () => {
    const raw = readSeedFiles();
    raw.events.records.push(unsupported);
    const index = raw.events.records.length - 1;
    try {
      validateSeed(raw);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(SeedError);
      const messages = (error as SeedError).problems.filter((p) => p.record === `events[${index}] "unsupported-claims"`).map((p) => p.message);
      for (const issue of expectedIssues) expect(messages.some((m) => m.startsWith(`${issue.path}: `))).toBe(true);
    }
  });

  it('keeps claims on their citations when the citations are replaced, moved or removed', async () => {
    const first = { article: BLOOMBERG, quote: 'senior officials from the three nations are set to meet in Seoul on Tuesday' };
    const second = { article: SECOND, quote: 'the scheduled trilateral talks in Seoul on Sept. 26' };
    const created = await mutate('createEvent', CREATE_EVENT, {
      input: { ...unsupported, slug: 'claims-follow-citations', dateSupport: [1], placeSupport: [0, 1], participants: [{ actor: 'japan', role: 'PARTICIPANT', supportedBy: [0] }], citations: [first, second] },
    });
    expect(created.__typename).toBe('MutationCreateEventSuccess');
    const SUPPORT = `dateSupport { supportedBy { quote } } placeSupport { supportedBy { quote } } participants(first: 5) { edges { supportedBy { quote } } }`;
    const UPDATE = `mutation ($patch: EventPatch!) { updateEvent(slug: "claims-follow-citations", patch: $patch) { ${RESULT} ... on MutationUpdateEventSuccess { event { ${SUPPORT} citations(first: 5) { edges { node { id quote } } } } } } }`;
    // Reversed: each claim still names the same quotes.
    const reversed = await mutate('updateEvent', UPDATE, { patch: { citations: [second, first] } });
    expect(reversed.__typename).toBe('MutationUpdateEventSuccess');
    const read = await timeline.query(`{ event(slug: "claims-follow-citations") { ${SUPPORT} } }`);
    expect(read.data!.event).toEqual({
      dateSupport: { supportedBy: [{ quote: second.quote }] },
      placeSupport: { supportedBy: [{ quote: first.quote }, { quote: second.quote }] },
      participants: { edges: [{ supportedBy: [{ quote: first.quote }] }] },
    });
    // Removing the only citation a claim rests on is refused, naming the claim.
    const firstId = reversed.event.citations.edges.find((edge: any) => edge.node.quote === first.quote).node.id;
    const DELETE = `mutation ($id: ID!) { deleteCitation(id: $id) { ${RESULT} ... on MutationDeleteCitationSuccess { event { ${SUPPORT} } } } }`;
    const refused = await mutate('deleteCitation', DELETE, { id: firstId }, admin);
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.path).toBe('participants[0].supportedBy');
    // Removing one of two keeps the other's claims whole.
    const secondId = reversed.event.citations.edges.find((edge: any) => edge.node.quote === second.quote).node.id;
    const removed = await mutate('deleteCitation', DELETE, { id: secondId }, { token: TEST_TOKENS.admin });
    expect(removed.__typename).toBe('ValidationError');
    expect(removed.path).toBe('dateSupport');
  });

  it('addParticipant names its support by citation id, and refuses a citation of another event', async () => {
    const read = await timeline.query(`{ camp: event(slug: "camp-david-summit") { citations(first: 1) { edges { node { id quote } } } } other: event(slug: "kim-jong-un-visit-to-russia") { citations(first: 1) { edges { node { id } } } } }`);
    const [citation] = read.data!.camp.citations.edges.map((edge: any) => edge.node);
    const otherId = read.data!.other.citations.edges[0].node.id;
    const ADD = `mutation ($ids: [ID!]) { addParticipant(event: "camp-david-summit", actor: "china", role: SUBJECT, supportedBy: $ids) { ${RESULT} ... on MutationAddParticipantSuccess { event { participants(first: 20) { edges { role node { slug } supportedBy { id } } } } } } }`;
    const refused = await mutate('addParticipant', ADD, { ids: [otherId] });
    expect(refused).toMatchObject({ __typename: 'ValidationError', path: 'supportedBy[0]', message: 'is not a citation of the event "camp-david-summit"' });
    const unsupportedResult = await mutate('addParticipant', ADD, { ids: [] });
    expect(unsupportedResult).toMatchObject({ __typename: 'ValidationError', path: expect.stringMatching(/^participants\[\d+\]\.supportedBy$/) });
    const added = await mutate('addParticipant', ADD, { ids: [citation.id] });
    const china = added.event.participants.edges.find((edge: any) => edge.node.slug === 'china');
    expect(china).toEqual({ role: 'SUBJECT', node: { slug: 'china' }, supportedBy: [{ id: citation.id }] });
  });
});

describe('seed files and article texts', () => {
  it('refuses a seed article whose text file is missing, naming the folder', () => {
    const empty = mkdtempSync(join(tmpdir(), 'timeline-articles-'));
    expect(() => validateSeed(readSeedFiles(undefined, empty))).toThrow(/articles\[0\].*text: cannot read .*000_111c21645aef6a9b\.txt \(ENOENT\); set TIMELINE_ARTICLES_DIR/s);
  });

  it('exports an API-given article text into the articles folder and loads it back the same', async () => {
    const database = await openTestDatabase({ seeded: true });
    try {
      const articlesDir = mkdtempSync(join(tmpdir(), 'timeline-articles-'));
      for (const file of ['000_111c21645aef6a9b.txt', '004_0bae304cd25829a4.txt']) writeFileSync(join(articlesDir, file), readFileSync(join(DEFAULT_ARTICLES_DIR, file)));
      const text = 'An article given through the API.\nIt says: “quoted words”.';
      await database.write(async (tx) => {
        const { saveRecord } = await import('../src/editing/editor.js');
        const { articleDefinition, eventDefinition } = await import('../src/editing/entities.js');
        await saveRecord(tx, articleDefinition, { slug: 'given-text', title: 'Given', source: 'bloomberg', publishedOn: '2023-10', text }, { author: 'test' }, { mode: 'create' });
        await saveRecord(tx, eventDefinition, { slug: 'given-event', title: 'Given', kind: 'STATEMENT', status: 'OCCURRED', start: '2023-10', dateBasis: 'STATED', dateSupport: [0], citations: [{ article: 'given-text', quote: '“quoted words”' }] }, { author: 'test' }, { mode: 'create' });
      });
      const dir = mkdtempSync(join(tmpdir(), 'timeline-export-'));
      await exportSeedTo(database, dir, articlesDir);
      expect(readFileSync(join(articlesDir, 'given-text.txt'), 'utf8')).toBe(text);
      expect(readFileSync(join(dir, 'sources.yaml'), 'utf8')).toContain('text: given-text.txt');
      expect(readFileSync(join(dir, 'sources.yaml'), 'utf8')).not.toContain('quoted words');

      const copy = await openTestDatabase({ seeded: false });
      try {
        await loadSeed(copy, validateSeed(readSeedFiles(dir, articlesDir)));
        expect(await exportSeed(copy)).toEqual(await exportSeed(database));
        const [stored] = await copy.read((tx) => tx.select({ text: articles.text, textFile: articles.textFile }).from(articles).where(eq(articles.slug, 'given-text')));
        expect(stored).toEqual({ text, textFile: 'given-text.txt' });
      } finally {
        await copy.close();
      }
      // A different file of that name is never overwritten.
      writeFileSync(join(articlesDir, 'given-text.txt'), 'Another text.');
      await expect(exportSeedTo(database, dir, articlesDir)).rejects.toThrow(/given-text\.txt holds a different text/);
    } finally {
      await database.close();
    }
  });
});
