import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { exportSeed } from '../src/seed/export.js';
import { SeedError, seedDatabase } from '../src/seed/index.js';
import { dumpTables, eventSlugs, openTestTimeline, queryData, TEST_TOKENS, type TestTimeline, timelinesWrittenBy } from './helpers.js';

// Disputed claims: rival values of an event's date, status, place or a participant's role, each
// supported by citations, one of them PREFERRED (the value the event shows). The seed articles agree
// with each other, so every test writes its own articles, whose texts hold the quotes word for word.

const editor = { token: TEST_TOKENS.editor };
const admin = { token: TEST_TOKENS.admin };

const WIRE_TEXT =
  'Alpha and Beta held talks in Seoul on 23 September 2023, with Alpha as the host. ' +
  'One official said the talks took place on 24 September. A delegate said the talks ran from 23 to 25 September. ' +
  'Another delegate said the talks were in Busan. Beta said Alpha merely took part.';
const LATE_TEXT = 'A week on, the Wire learned that the talks were called off before they began.';

/** The disputed event's citations, by index: the quotes are in the articles' texts as written. */
const Q = [
  'Alpha and Beta held talks in Seoul on 23 September 2023, with Alpha as the host', // 0: the event as first recorded
  'the talks took place on 24 September', // 1: a rival date
  'the talks ran from 23 to 25 September', // 2: a rival span
  'the talks were in Busan', // 3: a rival place
  'Alpha merely took part', // 4: a rival role for Alpha
  'the talks were called off before they began', // 5: a rival status, from the later article
] as const;
const CITED_IN = ['wire-report', 'wire-report', 'wire-report', 'wire-report', 'wire-report', 'late-report'] as const;

const RESULT = /* GraphQL */ `
  __typename
  ... on Error { message }
  ... on ValidationError { path issues { path message } }
  ... on NotFoundError { entity slug }
`;

const EVENT = /* GraphQL */ `
  slug status
  startDate { edtf } endDate { edtf }
  dateSupport { supportedBy { quote } }
  place { slug } placeSupport { supportedBy { quote } }
  participants { edges { role node { slug } supportedBy { quote } } }
  disputes { field actor { slug } claims { value rank note citations { quote } place { slug } } }
`;

const RECORD_CLAIM = `mutation ($event: String!, $field: DisputedField!, $actor: String, $value: String!, $rank: ClaimRank, $supportedBy: [ID!]!, $note: String, $currentSupportedBy: [ID!]) {
  recordClaim(event: $event, field: $field, actor: $actor, value: $value, rank: $rank, supportedBy: $supportedBy, note: $note, currentSupportedBy: $currentSupportedBy) {
    ${RESULT} ... on MutationRecordClaimSuccess { event { ${EVENT} } } } }`;
const RANK_CLAIM = `mutation ($event: String!, $field: DisputedField!, $actor: String, $value: String!, $rank: ClaimRank!) {
  rankClaim(event: $event, field: $field, actor: $actor, value: $value, rank: $rank) {
    ${RESULT} ... on MutationRankClaimSuccess { event { ${EVENT} } } } }`;
const WITHDRAW_CLAIM = `mutation ($event: String!, $field: DisputedField!, $actor: String, $value: String!) {
  withdrawClaim(event: $event, field: $field, actor: $actor, value: $value) {
    ${RESULT} ... on MutationWithdrawClaimSuccess { event { ${EVENT} } } } }`;

/** A claim as Event.disputes serves it. */
const claim = (value: string, rank: 'PREFERRED' | 'NORMAL' | 'DEPRECATED', quotes: number[], note = '') => ({
  value,
  rank,
  note,
  citations: quotes.map((index) => ({ quote: Q[index] })),
  place: null,
});
const placeClaim = (value: string, rank: 'PREFERRED' | 'NORMAL' | 'DEPRECATED', quotes: number[]) => ({ ...claim(value, rank, quotes), place: { slug: value } });
const support = (...quotes: number[]) => ({ supportedBy: quotes.map((index) => ({ quote: Q[index] })) });

let timeline: TestTimeline;
/** The global ids of the disputed event's citations, by index, and of the other event's one citation. */
let cited: string[];
let otherCitation: string;

/** Runs a mutation and returns its result object (a success payload or a typed error). */
async function mutate(field: string, document: string, variables: Record<string, unknown> = {}, options: { token?: string } = editor) {
  const response = await timeline.query(document, variables, options);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data![field];
}

async function succeeded(field: string, document: string, variables: Record<string, unknown> = {}, options: { token?: string } = editor) {
  const result = await mutate(field, document, variables, options);
  expect(result.__typename, JSON.stringify(result)).toBe(`Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`);
  return result;
}

type ClaimVariables = { field: string; value: string; event?: string; actor?: string; rank?: string; supportedBy?: string[]; note?: string; currentSupportedBy?: string[] };
const recordClaim = (variables: ClaimVariables, options = editor) => mutate('recordClaim', RECORD_CLAIM, { event: 'seoul-talks', supportedBy: [], ...variables }, options);
const rankClaim = (variables: { field: string; value: string; rank: string; event?: string; actor?: string }, options = editor) =>
  mutate('rankClaim', RANK_CLAIM, { event: 'seoul-talks', ...variables }, options);
const withdrawClaim = (variables: { field: string; value: string; event?: string; actor?: string }, options = admin) =>
  mutate('withdrawClaim', WITHDRAW_CLAIM, { event: 'seoul-talks', ...variables }, options);

/** Expects the write to have succeeded, and returns the event it gives back. */
function eventOf(result: { __typename: string; event?: unknown }) {
  expect(result.__typename, JSON.stringify(result)).toMatch(/^Mutation(Record|Rank|Withdraw)ClaimSuccess$/);
  return result.event as any;
}

const readEvent = async (slug = 'seoul-talks', asOf?: string) =>
  (await queryData(timeline, `query ($slug: String!, $asOf: Date) { event(slug: $slug, asOf: $asOf) { ${EVENT} } }`, { slug, asOf })).event;

async function revisionsOf(slug = 'seoul-talks') {
  const { event } = await queryData(timeline, `{ event(slug: "${slug}") { revisions(first: 100) { edges { node { action author before after statusCitation } } } } }`);
  return event.revisions.edges.map((edge: any) => edge.node);
}

/** Two countries, two places, two articles with text, the disputed-to-be event and an undisputed one. */
async function writeTimeline() {
  await succeeded('createSource', `mutation { createSource(input: { slug: "wire", name: "Wire" }) { ${RESULT} } }`);
  for (const [slug, publishedOn, text] of [
    ['wire-report', '2023-09-26', WIRE_TEXT],
    ['late-report', '2023-10-05', LATE_TEXT],
  ]) {
    await succeeded('createArticle', `mutation ($input: ArticleInput!) { createArticle(input: $input) { ${RESULT} } }`, {
      input: { slug, title: `Report ${slug}`, source: 'wire', publishedOn, text },
    });
  }
  for (const slug of ['alpha-land', 'beta-land', 'gamma-land']) {
    await succeeded('createActor', `mutation { createActor(input: { slug: "${slug}", name: "${slug}", kind: COUNTRY }) { ${RESULT} } }`);
  }
  for (const [slug, name] of [
    ['seoul-hall', 'Seoul hall'],
    ['busan-port', 'Busan port'],
  ]) {
    await succeeded('createPlace', `mutation { createPlace(input: { slug: "${slug}", name: "${name}" }) { ${RESULT} } }`);
  }
  const CREATE = `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { citations(first: 10) { edges { node { id quote verified } } } } } } }`;
  const created = await succeeded('createEvent', CREATE, {
    input: {
      slug: 'seoul-talks',
      title: 'Alpha and Beta hold talks',
      kind: 'MEETING',
      status: 'OCCURRED',
      start: '2023-09-23',
      dateBasis: 'STATED',
      dateSupport: [0],
      place: 'seoul-hall',
      placeSupport: [0],
      participants: [
        { actor: 'alpha-land', role: 'HOST', supportedBy: [0] },
        { actor: 'beta-land', role: 'PARTICIPANT', supportedBy: [0] },
      ],
      citations: Q.map((quote, index) => ({ article: CITED_IN[index], quote })),
    },
  });
  const nodes = created.event.citations.edges.map((edge: any) => edge.node);
  // The quotes are the articles' own words: every citation is verified against its text.
  expect(nodes.map((node: any) => [node.quote, node.verified])).toEqual(Q.map((quote) => [quote, true]));
  cited = nodes.map((node: any) => node.id);
  const other = await succeeded('createEvent', CREATE, {
    input: {
      slug: 'quiet-talks',
      title: 'Alpha and Beta talk quietly',
      kind: 'MEETING',
      status: 'OCCURRED',
      start: '2023-09-01',
      dateBasis: 'STATED',
      dateSupport: [0],
      citations: [{ article: 'wire-report', quote: 'Alpha and Beta held talks' }],
    },
  });
  otherCitation = other.event.citations.edges[0].node.id;
}

const writtenTimeline = timelinesWrittenBy(async (written) => {
  timeline = written;
  await writeTimeline();
});

/** Each test of the API gets a timeline of its own, written through the API. */
function withWrittenTimeline() {
  beforeEach(async () => {
    timeline = await writtenTimeline();
  });
  afterEach(() => timeline.close());
}

/** The rival date 2023-09-24 and the span 2023-09-23/2023-09-25, beside the recorded 2023-09-23. */
async function disputeTheDate() {
  eventOf(await recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!] }));
  return eventOf(await recordClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', supportedBy: [cited[2]!] }));
}

describe('recording and ranking claims', () => {
  withWrittenTimeline();

  it('a first rival date makes the current date the PREFERRED claim, with the date’s support; the event keeps its date', async () => {
    const event = eventOf(await recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!], note: 'A second account.' }));
    expect(event.disputes).toEqual([{ field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'NORMAL', [1], 'A second account.')] }]);
    expect(event).toMatchObject({ startDate: { edtf: '2023-09-23' }, endDate: null, dateSupport: support(0) });
    expect(await readEvent()).toEqual(event);
  });

  it('ranking a rival PREFERRED gives the event its date and support, the old one turns NORMAL; ranking back restores them', async () => {
    await disputeTheDate();
    const day = eventOf(await rankClaim({ field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' }));
    expect(day).toMatchObject({ startDate: { edtf: '2023-09-24' }, endDate: null, dateSupport: support(1) });
    expect(day.disputes[0].claims.map((c: any) => [c.value, c.rank])).toEqual([
      ['2023-09-23', 'NORMAL'],
      ['2023-09-24', 'PREFERRED'],
      ['2023-09-23/2023-09-25', 'NORMAL'],
    ]);

    const span = eventOf(await rankClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', rank: 'PREFERRED' }));
    expect(span).toMatchObject({ startDate: { edtf: '2023-09-23' }, endDate: { edtf: '2023-09-25' }, dateSupport: support(2) });
    expect(span.disputes[0].claims.map((c: any) => c.rank)).toEqual(['NORMAL', 'NORMAL', 'PREFERRED']);
    // The date windows follow the preferred date: only the span reaches 25 September.
    expect(await eventSlugs(timeline, { from: '2023-09-25', to: '2023-09-25' })).toEqual(['seoul-talks']);

    const back = eventOf(await rankClaim({ field: 'DATE', value: '2023-09-23', rank: 'PREFERRED' }));
    expect(back).toMatchObject({ startDate: { edtf: '2023-09-23' }, endDate: null, dateSupport: support(0) });
    expect(back.disputes).toEqual([
      { field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'NORMAL', [1]), claim('2023-09-23/2023-09-25', 'NORMAL', [2])] },
    ]);
    expect(await eventSlugs(timeline, { from: '2023-09-25', to: '2023-09-25' })).toEqual([]);
    expect(await readEvent()).toEqual(back);
  });

  it('DEPRECATED, recorded or ranked, leaves the event as it is', async () => {
    const recorded = eventOf(await recordClaim({ field: 'DATE', value: '2023-09-24', rank: 'DEPRECATED', supportedBy: [cited[1]!] }));
    expect(recorded.disputes[0].claims).toEqual([claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'DEPRECATED', [1])]);
    expect(recorded.startDate).toEqual({ edtf: '2023-09-23' });
    const normal = eventOf(await rankClaim({ field: 'DATE', value: '2023-09-24', rank: 'NORMAL' }));
    expect(normal.disputes[0].claims.map((c: any) => c.rank)).toEqual(['PREFERRED', 'NORMAL']);
    const deprecated = eventOf(await rankClaim({ field: 'DATE', value: '2023-09-24', rank: 'DEPRECATED' }));
    expect(deprecated.disputes[0].claims.map((c: any) => c.rank)).toEqual(['PREFERRED', 'DEPRECATED']);
    expect(deprecated).toMatchObject({ startDate: { edtf: '2023-09-23' }, endDate: null, dateSupport: support(0) });
  });

  it('PLACE: each claim names its place; a rival recorded PREFERRED is the event’s place at once', async () => {
    const event = eventOf(await recordClaim({ field: 'PLACE', value: 'busan-port', rank: 'PREFERRED', supportedBy: [cited[3]!] }));
    expect(event.disputes).toEqual([{ field: 'PLACE', actor: null, claims: [placeClaim('seoul-hall', 'NORMAL', [0]), placeClaim('busan-port', 'PREFERRED', [3])] }]);
    expect(event).toMatchObject({ place: { slug: 'busan-port' }, placeSupport: support(3) });
    const { place } = await queryData(timeline, '{ place(slug: "busan-port") { events { totalCount edges { node { slug } } } } }');
    expect(place.events).toEqual({ totalCount: 1, edges: [{ node: { slug: 'seoul-talks' } }] });
    const back = eventOf(await rankClaim({ field: 'PLACE', value: 'seoul-hall', rank: 'PREFERRED' }));
    expect(back).toMatchObject({ place: { slug: 'seoul-hall' }, placeSupport: support(0) });
  });

  it('STATUS: the first rival needs currentSupportedBy; ranking PREFERRED changes the status, justified by the claim’s first citation, and asOf follows', async () => {
    const before = await dumpTables(timeline.database);
    const unsupported = await recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!] });
    expect(unsupported).toMatchObject({ __typename: 'ValidationError', path: 'currentSupportedBy', message: expect.stringContaining('current STATUS, "OCCURRED"') });
    expect(await dumpTables(timeline.database)).toEqual(before);

    const recorded = eventOf(await recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!], currentSupportedBy: [cited[0]!] }));
    expect(recorded.disputes).toEqual([{ field: 'STATUS', actor: null, claims: [claim('OCCURRED', 'PREFERRED', [0]), claim('CANCELLED', 'NORMAL', [5])] }]);
    expect(recorded.status).toBe('OCCURRED');

    const cancelled = eventOf(await rankClaim({ field: 'STATUS', value: 'CANCELLED', rank: 'PREFERRED' }));
    expect(cancelled.status).toBe('CANCELLED');
    expect((await revisionsOf()).at(-1)).toMatchObject({
      action: 'UPDATE',
      author: 'test-editor',
      statusCitation: { article: 'late-report', quote: Q[5] },
      before: { status: 'OCCURRED' },
      after: { status: 'CANCELLED' },
    });
    // The cancellation comes from the later article: before it was published, the talks had occurred.
    expect((await readEvent('seoul-talks', '2023-09-27')).status).toBe('OCCURRED');
    expect((await readEvent('seoul-talks', '2023-10-06')).status).toBe('CANCELLED');
    expect(await eventSlugs(timeline, { statuses: ['CANCELLED'] })).toEqual(['seoul-talks']);
    // As of a day, only the claims reported by then: before the later article, nothing is disputed.
    const disputedOn = async (asOf: string) =>
      (await queryData(timeline, 'query ($asOf: Date) { events(asOf: $asOf, filter: { disputed: true }) { totalCount } }', { asOf })).events.totalCount;
    expect((await readEvent('seoul-talks', '2023-09-27')).disputes).toEqual([]);
    expect(await disputedOn('2023-09-27')).toBe(0);
    expect((await readEvent('seoul-talks', '2023-10-06')).disputes).toEqual([{ field: 'STATUS', actor: null, claims: [claim('OCCURRED', 'NORMAL', [0]), claim('CANCELLED', 'PREFERRED', [5])] }]);
    expect(await disputedOn('2023-10-06')).toBe(1);

    const occurred = eventOf(await rankClaim({ field: 'STATUS', value: 'OCCURRED', rank: 'PREFERRED' }));
    expect(occurred.status).toBe('OCCURRED');
    expect(occurred.disputes[0].claims.map((c: any) => [c.value, c.rank])).toEqual([
      ['OCCURRED', 'PREFERRED'],
      ['CANCELLED', 'NORMAL'],
    ]);
    expect((await revisionsOf()).at(-1).statusCitation).toEqual({ article: 'wire-report', quote: Q[0] });
    expect((await readEvent('seoul-talks', '2023-10-06')).status).toBe('OCCURRED');
  });

  it('ROLE: needs an actor who is a participant; ranking PREFERRED changes the participant’s role and its support', async () => {
    expect(await recordClaim({ field: 'ROLE', value: 'PARTICIPANT', supportedBy: [cited[4]!] })).toMatchObject({
      __typename: 'ValidationError',
      path: 'actor',
      message: expect.stringContaining('is needed for ROLE'),
    });
    expect(await recordClaim({ field: 'ROLE', actor: 'gamma-land', value: 'PARTICIPANT', supportedBy: [cited[4]!] })).toMatchObject({
      __typename: 'ValidationError',
      path: 'actor',
      message: '"gamma-land" is not a participant of the event "seoul-talks"',
    });
    expect(await recordClaim({ field: 'DATE', actor: 'alpha-land', value: '2023-09-24', supportedBy: [cited[1]!] })).toMatchObject({
      __typename: 'ValidationError',
      path: 'actor',
      message: 'must be left out for DATE',
    });

    const recorded = eventOf(await recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', supportedBy: [cited[4]!] }));
    expect(recorded.disputes).toEqual([{ field: 'ROLE', actor: { slug: 'alpha-land' }, claims: [claim('HOST', 'PREFERRED', [0]), claim('PARTICIPANT', 'NORMAL', [4])] }]);
    const ranked = eventOf(await rankClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', rank: 'PREFERRED' }));
    expect(ranked.participants.edges).toEqual([
      { role: 'PARTICIPANT', node: { slug: 'alpha-land' }, ...support(4) },
      { role: 'PARTICIPANT', node: { slug: 'beta-land' }, ...support(0) },
    ]);
    expect(ranked.disputes[0].claims.map((c: any) => [c.value, c.rank])).toEqual([
      ['HOST', 'NORMAL'],
      ['PARTICIPANT', 'PREFERRED'],
    ]);
    // The claim is Alpha's: the same role claimed for Beta is another dispute.
    expect(await rankClaim({ field: 'ROLE', actor: 'beta-land', value: 'PARTICIPANT', rank: 'PREFERRED' })).toMatchObject({ __typename: 'NotFoundError' });
  });
});

describe('disputes in the event record through the API', () => {
  withWrittenTimeline();

  it('createEvent and updateEvent take disputes as part of the record, validated like the seed files', async () => {
    const dispute = (preferredFirst: boolean) => [
      {
        field: 'DATE',
        claims: [
          { value: '2023-09-23', ...(preferredFirst ? { rank: 'PREFERRED' } : {}), supportedBy: [0] },
          { value: '2023-09-24', ...(preferredFirst ? {} : { rank: 'PREFERRED' }), supportedBy: [1], note: 'Another account.' },
        ],
      },
    ];
    const input = {
      slug: 'recorded-talks',
      title: 'Talks recorded with their dispute',
      kind: 'MEETING',
      status: 'OCCURRED',
      start: '2023-09-23',
      dateBasis: 'STATED',
      dateSupport: [0],
      citations: [Q[0], Q[1]].map((quote) => ({ article: 'wire-report', quote })),
      disputes: dispute(true),
    };
    const CREATE = `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { ${EVENT} } } } }`;
    const created = await succeeded('createEvent', CREATE, { input });
    expect(created.event.disputes).toEqual([{ field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'NORMAL', [1], 'Another account.')] }]);

    const UPDATE = `mutation ($patch: EventPatch!) { updateEvent(slug: "recorded-talks", patch: $patch) { ${RESULT} ... on MutationUpdateEventSuccess { event { ${EVENT} } } } }`;
    // The date and its dispute change together: the new PREFERRED claim is the new date.
    const swapped = await succeeded('updateEvent', UPDATE, { patch: { start: '2023-09-24', dateSupport: [1], disputes: dispute(false) } });
    expect(swapped.event).toMatchObject({ startDate: { edtf: '2023-09-24' }, dateSupport: support(1) });
    expect(swapped.event.disputes[0].claims.map((c: any) => [c.value, c.rank])).toEqual([
      ['2023-09-23', 'NORMAL'],
      ['2023-09-24', 'PREFERRED'],
    ]);
    // A dispute whose PREFERRED claim is not the event's date is refused on the date.
    const refused = await mutate('updateEvent', UPDATE, { patch: { disputes: dispute(true) } });
    expect(refused).toMatchObject({ __typename: 'ValidationError', path: 'start', message: expect.stringMatching(/is disputed: .*"2023-09-23".*not "2023-09-24"/) });
    const ended = await succeeded('updateEvent', UPDATE, { patch: { disputes: [] } });
    expect(ended.event).toMatchObject({ startDate: { edtf: '2023-09-24' }, disputes: [] });
  });
});

describe('reading disputes', () => {
  withWrittenTimeline();

  it('Event.disputes holds each dispute, in the order recorded, with its claims in the order recorded', async () => {
    expect((await readEvent()).disputes).toEqual([]);
    await recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', supportedBy: [cited[4]!] });
    await disputeTheDate();
    await recordClaim({ field: 'PLACE', value: 'busan-port', supportedBy: [cited[3]!] });
    expect((await readEvent()).disputes).toEqual([
      { field: 'ROLE', actor: { slug: 'alpha-land' }, claims: [claim('HOST', 'PREFERRED', [0]), claim('PARTICIPANT', 'NORMAL', [4])] },
      { field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'NORMAL', [1]), claim('2023-09-23/2023-09-25', 'NORMAL', [2])] },
      { field: 'PLACE', actor: null, claims: [placeClaim('seoul-hall', 'PREFERRED', [0]), placeClaim('busan-port', 'NORMAL', [3])] },
    ]);
    expect((await readEvent('quiet-talks')).disputes).toEqual([]);
  });

  it('events(filter: { disputed }) finds the events with a dispute, or those without', async () => {
    const count = async (filter: object) => (await queryData(timeline, 'query ($filter: EventFilter) { events(filter: $filter) { totalCount } }', { filter })).events.totalCount;
    expect(await eventSlugs(timeline, { disputed: true })).toEqual([]);
    expect(await eventSlugs(timeline, { disputed: false })).toEqual(['quiet-talks', 'seoul-talks']);
    await disputeTheDate();
    expect(await eventSlugs(timeline, { disputed: true })).toEqual(['seoul-talks']);
    expect(await eventSlugs(timeline, { disputed: false })).toEqual(['quiet-talks']);
    expect(await count({ disputed: true })).toBe(1);
    expect(await count({ disputed: false })).toBe(1);
    expect(await count({})).toBe(2);
    // With the other filters: a disputed event is still found by what it is.
    expect(await eventSlugs(timeline, { disputed: true, kinds: ['MEETING'], actors: ['alpha-land'] })).toEqual(['seoul-talks']);
    expect(await eventSlugs(timeline, { disputed: true, statuses: ['CANCELLED'] })).toEqual([]);
  });
});

describe('withdrawing claims', () => {
  withWrittenTimeline();

  it('withdrawClaim (admin) removes a claim; at one claim left the dispute ends and the event keeps its value', async () => {
    await disputeTheDate();
    eventOf(await rankClaim({ field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' }));
    // The preferred claim cannot be withdrawn: it is the event's value.
    expect(await withdrawClaim({ field: 'DATE', value: '2023-09-24' })).toMatchObject({
      __typename: 'ValidationError',
      path: 'value',
      message: expect.stringMatching(/"2023-09-24" is the PREFERRED DATE claim.*rank another claim PREFERRED/),
    });
    expect(await withdrawClaim({ field: 'DATE', value: '2023-09-26' })).toMatchObject({ __typename: 'NotFoundError', entity: 'Claim' });

    const two = eventOf(await withdrawClaim({ field: 'DATE', value: '2023-09-23/2023-09-25' }));
    expect(two.disputes).toEqual([{ field: 'DATE', actor: null, claims: [claim('2023-09-23', 'NORMAL', [0]), claim('2023-09-24', 'PREFERRED', [1])] }]);
    const ended = eventOf(await withdrawClaim({ field: 'DATE', value: '2023-09-23' }));
    expect(ended.disputes).toEqual([]);
    expect(ended).toMatchObject({ startDate: { edtf: '2023-09-24' }, endDate: null, dateSupport: support(1) });
    expect(await eventSlugs(timeline, { disputed: true })).toEqual([]);
    // Undisputed again, the date can be changed directly.
    const UPDATE = `mutation { updateEvent(slug: "seoul-talks", patch: { start: "2023-09-25" }) { ${RESULT} ... on MutationUpdateEventSuccess { event { startDate { edtf } } } } }`;
    expect((await succeeded('updateEvent', UPDATE)).event.startDate).toEqual({ edtf: '2023-09-25' });
  });

  it('an editor may not withdraw a claim', async () => {
    await disputeTheDate();
    const response = await timeline.query(WITHDRAW_CLAIM, { event: 'seoul-talks', field: 'DATE', value: '2023-09-24' }, editor);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, path: ['withdrawClaim'] });
    expect((await readEvent()).disputes[0].claims).toHaveLength(3);
  });
});

describe('refusals, with nothing written', () => {
  withWrittenTimeline();

  const refusals: [string, () => Promise<any>, Record<string, unknown>][] = [
    ['recordClaim on an unknown event', () => recordClaim({ event: 'no-such-event', field: 'DATE', value: '2023-09-26', supportedBy: [cited[1]!] }), { __typename: 'NotFoundError', entity: 'Event', slug: 'no-such-event' }],
    ['rankClaim on an unknown event', () => rankClaim({ event: 'no-such-event', field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' }), { __typename: 'NotFoundError', entity: 'Event', slug: 'no-such-event' }],
    ['withdrawClaim on an unknown event', () => withdrawClaim({ event: 'no-such-event', field: 'DATE', value: '2023-09-24' }), { __typename: 'NotFoundError', entity: 'Event', slug: 'no-such-event' }],
    ['rankClaim of an unknown claim', () => rankClaim({ field: 'DATE', value: '2023-09-26', rank: 'PREFERRED' }), { __typename: 'NotFoundError', entity: 'Claim', message: expect.stringContaining('no DATE claim "2023-09-26"') }],
    ['rankClaim of a field with no dispute', () => rankClaim({ field: 'PLACE', value: 'busan-port', rank: 'PREFERRED' }), { __typename: 'NotFoundError', entity: 'Claim', message: expect.stringContaining('no PLACE claim "busan-port"') }],
    ['a first rival giving the current value', () => recordClaim({ field: 'STATUS', value: 'OCCURRED', supportedBy: [cited[0]!], currentSupportedBy: [cited[0]!] }), { __typename: 'ConflictError', message: expect.stringContaining('"OCCURRED" is already the STATUS of the event "seoul-talks"') }],
    ['currentSupportedBy naming another event’s citation', () => recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!], currentSupportedBy: [otherCitation] }), { __typename: 'ValidationError', path: 'currentSupportedBy[0]', message: 'is not a citation of the event "seoul-talks"' }],
    ['a PLACE dispute of an event without a place', () => recordClaim({ event: 'quiet-talks', field: 'PLACE', value: 'busan-port', supportedBy: [otherCitation] }), { __typename: 'ValidationError', path: 'field', message: expect.stringContaining('has no place') }],
    ['a value already claimed', () => recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[3]!] }), { __typename: 'ConflictError', message: expect.stringContaining('2023-09-24') }],
    ['the preferred value claimed again', () => recordClaim({ field: 'DATE', value: '2023-09-23', supportedBy: [cited[3]!] }), { __typename: 'ConflictError', message: expect.stringContaining('2023-09-23') }],
    ['an impossible date', () => recordClaim({ field: 'DATE', value: '2014-13', supportedBy: [cited[1]!] }), { __typename: 'ValidationError', path: 'disputes[0].claims[3].value', message: expect.stringContaining('"2014-13" is not a date: there is no month 13') }],
    ['an EDTF level 2 date', () => recordClaim({ field: 'DATE', value: '2014-?07', supportedBy: [cited[1]!] }), { __typename: 'ValidationError', path: 'disputes[0].claims[3].value', message: expect.stringContaining('"2014-?07" is EDTF level 2') }],
    ['a status that is none', () => recordClaim({ field: 'STATUS', value: 'POSTPONED', supportedBy: [cited[5]!], currentSupportedBy: [cited[0]!] }), { __typename: 'ValidationError', path: 'disputes[1].claims[1].value', message: expect.stringMatching(/^must be a status: .*CANCELLED/) }],
    ['an unknown place', () => recordClaim({ field: 'PLACE', value: 'atlantis', supportedBy: [cited[3]!] }), { __typename: 'ValidationError', path: 'disputes[1].claims[1].value', message: 'unknown place "atlantis"' }],
    ['a role that is none', () => recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'GUEST', supportedBy: [cited[4]!] }), { __typename: 'ValidationError', path: 'disputes[1].claims[1].value', message: expect.stringMatching(/^must be a role: .*PARTICIPANT/) }],
    ['a claim without citations', () => recordClaim({ field: 'DATE', value: '2023-09-26', supportedBy: [] }), { __typename: 'ValidationError', path: 'disputes[0].claims[3].supportedBy', message: expect.stringContaining('must name the citations') }],
    ['a citation of another event', () => recordClaim({ field: 'DATE', value: '2023-09-26', supportedBy: [otherCitation] }), { __typename: 'ValidationError', path: 'supportedBy[0]', message: 'is not a citation of the event "seoul-talks"' }],
    ['ranking the preferred claim NORMAL', () => rankClaim({ field: 'DATE', value: '2023-09-23', rank: 'NORMAL' }), { __typename: 'ValidationError', path: 'rank', message: expect.stringMatching(/"2023-09-23" is the PREFERRED DATE claim.*rank another claim PREFERRED/) }],
    ['ranking the preferred claim DEPRECATED', () => rankClaim({ field: 'DATE', value: '2023-09-23', rank: 'DEPRECATED' }), { __typename: 'ValidationError', path: 'rank', message: expect.stringMatching(/"2023-09-23" is the PREFERRED DATE claim.*rank another claim PREFERRED/) }],
  ];

  it.each(refusals)('%s', async (_case, write, expected) => {
    await disputeTheDate();
    const before = await dumpTables(timeline.database);
    expect(await write()).toMatchObject(expected);
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('a disputed field cannot be changed directly: each refusal names the field and says to rank a claim PREFERRED', async () => {
    await disputeTheDate();
    await recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!], currentSupportedBy: [cited[0]!] });
    await recordClaim({ field: 'PLACE', value: 'busan-port', supportedBy: [cited[3]!] });
    await recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', supportedBy: [cited[4]!] });
    const before = await dumpTables(timeline.database);
    const UPDATE = `mutation ($patch: EventPatch!, $because: CitationKeyInput) { updateEvent(slug: "seoul-talks", patch: $patch, statusCitation: $because) { ${RESULT} } }`;
    const disputed = { __typename: 'ValidationError', message: expect.stringMatching(/disputed.*PREFERRED|PREFERRED.*disputed/) };
    expect(await mutate('updateEvent', UPDATE, { patch: { start: '2023-09-24' } })).toMatchObject({ ...disputed, path: 'start' });
    expect(await mutate('updateEvent', UPDATE, { patch: { status: 'CANCELLED' }, because: { article: 'late-report', quote: Q[5] } })).toMatchObject({ ...disputed, path: 'status' });
    expect(await mutate('updateEvent', UPDATE, { patch: { place: 'busan-port' } })).toMatchObject({ ...disputed, path: 'place' });
    expect(
      await mutate('updateParticipant', `mutation ($ids: [ID!]) { updateParticipant(event: "seoul-talks", actor: "alpha-land", role: PARTICIPANT, supportedBy: $ids) { ${RESULT} } }`, { ids: [cited[0]] }),
    ).toMatchObject({ ...disputed, path: 'participants[0].role' });
    expect(await dumpTables(timeline.database)).toEqual(before);
    // What is not disputed still changes directly: Beta's role, the title.
    await succeeded('updateParticipant', `mutation ($ids: [ID!]) { updateParticipant(event: "seoul-talks", actor: "beta-land", role: VISITOR, supportedBy: $ids) { ${RESULT} } }`, { ids: [cited[0]] });
    await succeeded('updateEvent', UPDATE, { patch: { title: 'Talks in dispute' } });
  });

  it.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['a read-only token', TEST_TOKENS.reader, 'FORBIDDEN'],
  ])('with %s, every claim write is refused and nothing is written', async (_case, token, code) => {
    await disputeTheDate();
    const before = await dumpTables(timeline.database);
    for (const [field, document, variables] of [
      ['recordClaim', RECORD_CLAIM, { event: 'seoul-talks', field: 'DATE', value: '2023-09-26', supportedBy: [cited[1]] }],
      ['rankClaim', RANK_CLAIM, { event: 'seoul-talks', field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' }],
      ['withdrawClaim', WITHDRAW_CLAIM, { event: 'seoul-talks', field: 'DATE', value: '2023-09-24' }],
    ] as const) {
      const response = await timeline.query(document, variables, { token });
      expect(response.errors?.[0], field).toMatchObject({ extensions: { code }, path: [field] });
    }
    expect(await dumpTables(timeline.database)).toEqual(before);
  });
});

describe('history and citations', () => {
  withWrittenTimeline();

  it('each write is an UPDATE revision of the event, its before and after holding the disputes', async () => {
    const dateDispute = (...claims: object[]) => [{ field: 'DATE', claims }];
    await recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!], note: 'A second account.' });
    let last = (await revisionsOf()).at(-1);
    expect(last).toMatchObject({ action: 'UPDATE', author: 'test-editor' });
    expect(last.before.disputes).toBeUndefined();
    expect(last.after.disputes).toEqual(dateDispute({ value: '2023-09-23', rank: 'PREFERRED', supportedBy: [0] }, { value: '2023-09-24', supportedBy: [1], note: 'A second account.' }));

    await rankClaim({ field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' });
    last = (await revisionsOf()).at(-1);
    expect(last).toMatchObject({ action: 'UPDATE', author: 'test-editor', before: { start: '2023-09-23', dateSupport: [0] }, after: { start: '2023-09-24', dateSupport: [1] } });
    expect(last.before.disputes).toEqual(dateDispute({ value: '2023-09-23', rank: 'PREFERRED', supportedBy: [0] }, { value: '2023-09-24', supportedBy: [1], note: 'A second account.' }));
    expect(last.after.disputes).toEqual(dateDispute({ value: '2023-09-23', supportedBy: [0] }, { value: '2023-09-24', rank: 'PREFERRED', supportedBy: [1], note: 'A second account.' }));

    await withdrawClaim({ field: 'DATE', value: '2023-09-23' });
    last = (await revisionsOf()).at(-1);
    expect(last).toMatchObject({ action: 'UPDATE', author: 'test-admin', after: { start: '2023-09-24' } });
    expect(last.before.disputes).toHaveLength(1);
    expect(last.after.disputes).toBeUndefined();
    expect((await revisionsOf()).map((revision: any) => `${revision.action} ${revision.author}`)).toEqual(['CREATE test-editor', 'UPDATE test-editor', 'UPDATE test-editor', 'UPDATE test-admin']);
  });

  it('reordered citations keep each claim on its own quotes', async () => {
    await disputeTheDate();
    const UPDATE = `mutation ($patch: EventPatch!) { updateEvent(slug: "seoul-talks", patch: $patch) { ${RESULT} ... on MutationUpdateEventSuccess { event { ${EVENT} } } } }`;
    const reversed = [...Q].reverse().map((quote) => ({ article: CITED_IN[Q.indexOf(quote)], quote }));
    const updated = await succeeded('updateEvent', UPDATE, { patch: { citations: reversed } });
    expect(updated.event.disputes).toEqual([
      { field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'NORMAL', [1]), claim('2023-09-23/2023-09-25', 'NORMAL', [2])] },
    ]);
    // In the record written, each claim's indexes still name its quotes, wherever the citations now stand.
    const after = (await revisionsOf()).at(-1).after;
    expect(after.disputes[0].claims.map((c: any) => c.supportedBy.map((index: number) => after.citations[index].quote))).toEqual([[Q[0]], [Q[1]], [Q[2]]]);
  });

  it('a deleted citation’s indexes move in the claims; the only citation of a claim cannot be deleted', async () => {
    await recordClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', supportedBy: [cited[2]!] });
    const DELETE = `mutation ($id: ID!) { deleteCitation(id: $id) { ${RESULT} ... on MutationDeleteCitationSuccess { event { ${EVENT} } } } }`;
    const deleted = await succeeded('deleteCitation', DELETE, { id: cited[1] }, admin);
    expect(deleted.event.disputes).toEqual([{ field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-23/2023-09-25', 'NORMAL', [2])] }]);
    const last = (await revisionsOf()).at(-1);
    expect(last.before.disputes[0].claims[1].supportedBy).toEqual([2]);
    expect(last.after.disputes[0].claims[1].supportedBy).toEqual([1]);

    const before = await dumpTables(timeline.database);
    const refused = await mutate('deleteCitation', DELETE, { id: cited[2] }, admin);
    expect(refused).toMatchObject({ __typename: 'ValidationError', path: 'disputes[0].claims[1].supportedBy' });
    expect(await dumpTables(timeline.database)).toEqual(before);
  });
});

// ---- The seed files ----

interface SeedEvent {
  slug: string;
  start: string;
  disputes?: object[];
  participants?: object[];
}

/** Seed files in the shape `npm run export` writes them, and the articles folder their text is in. */
function seedFiles(events: SeedEvent[]): Record<string, string> {
  const yaml = (document: object) => YAML.stringify(document, { lineWidth: 0 });
  return {
    'actors.yaml': yaml({
      actors: [
        { slug: 'alpha-land', name: 'Alpha', kind: 'COUNTRY' },
        { slug: 'beta-land', name: 'Beta', kind: 'COUNTRY' },
        { slug: 'gamma-land', name: 'Gamma', kind: 'COUNTRY' },
      ],
    }),
    'places.yaml': yaml({ places: [{ slug: 'seoul-hall', name: 'Seoul hall' }, { slug: 'busan-port', name: 'Busan port' }] }),
    'sources.yaml': yaml({
      sources: [{ slug: 'wire', name: 'Wire' }],
      articles: [{ slug: 'wire-report', title: 'Report', source: 'wire', publishedOn: '2023-09-26', text: 'wire-report.txt' }],
    }),
    'events.yaml': yaml({
      events: events.map(({ slug, start, disputes, participants }) => ({
        slug,
        title: `Event ${slug}`,
        kind: 'MEETING',
        status: 'OCCURRED',
        start,
        dateBasis: 'STATED',
        dateSupport: [0],
        place: 'seoul-hall',
        placeSupport: [0],
        participants: participants ?? [
          { actor: 'alpha-land', role: 'HOST', supportedBy: [0] },
          { actor: 'beta-land', role: 'PARTICIPANT', supportedBy: [0] },
        ],
        citations: Q.slice(0, 5).map((quote) => ({ article: 'wire-report', quote })),
        ...(disputes ? { disputes } : {}),
      })),
    }),
  };
}

function seedDir(files: Record<string, string>): { dir: string; articlesDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-disputes-seed-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  const articlesDir = mkdtempSync(join(tmpdir(), 'timeline-disputes-articles-'));
  writeFileSync(join(articlesDir, 'wire-report.txt'), WIRE_TEXT);
  return { dir, articlesDir };
}

const SEED_DISPUTES = [
  {
    field: 'DATE',
    claims: [
      { value: '2023-09-23', rank: 'PREFERRED', supportedBy: [0] },
      { value: '2023-09-24', supportedBy: [1], note: 'One official’s account.' },
      { value: '2023-09-23/2023-09-25', rank: 'DEPRECATED', supportedBy: [2] },
    ],
  },
  {
    field: 'ROLE',
    actor: 'alpha-land',
    claims: [
      { value: 'HOST', rank: 'PREFERRED', supportedBy: [0] },
      { value: 'PARTICIPANT', supportedBy: [4] },
    ],
  },
  {
    field: 'PLACE',
    claims: [
      { value: 'seoul-hall', rank: 'PREFERRED', supportedBy: [0] },
      { value: 'busan-port', supportedBy: [3] },
    ],
  },
];

describe('disputes in the seed files', () => {
  const files = seedFiles([{ slug: 'seed-talks', start: '2023-09-23', disputes: SEED_DISPUTES }, { slug: 'plain-talks', start: '2023-09-01' }]);

  async function seeded() {
    const { dir, articlesDir } = seedDir(files);
    await seedDatabase(timeline.database, dir, { articlesDir });
  }

  beforeEach(async () => {
    timeline = await openTestTimeline({ seed: false });
  });
  afterEach(() => timeline.close());

  it('loads an event with disputes, and the API serves them', async () => {
    await seeded();
    const event = await readEvent('seed-talks');
    expect(event.disputes).toEqual([
      { field: 'DATE', actor: null, claims: [claim('2023-09-23', 'PREFERRED', [0]), claim('2023-09-24', 'NORMAL', [1], 'One official’s account.'), claim('2023-09-23/2023-09-25', 'DEPRECATED', [2])] },
      { field: 'ROLE', actor: { slug: 'alpha-land' }, claims: [claim('HOST', 'PREFERRED', [0]), claim('PARTICIPANT', 'NORMAL', [4])] },
      { field: 'PLACE', actor: null, claims: [placeClaim('seoul-hall', 'PREFERRED', [0]), placeClaim('busan-port', 'NORMAL', [3])] },
    ]);
    expect(event).toMatchObject({ startDate: { edtf: '2023-09-23' }, endDate: null, place: { slug: 'seoul-hall' } });
    expect(await eventSlugs(timeline, { disputed: true })).toEqual(['seed-talks']);
    expect(await eventSlugs(timeline, { disputed: false })).toEqual(['plain-talks']);
    // And the loaded dispute is ranked through the API like any other.
    const ranked = eventOf(await rankClaim({ event: 'seed-talks', field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' }));
    expect(ranked).toMatchObject({ startDate: { edtf: '2023-09-24' }, dateSupport: support(1) });
  });

  it('exports a loaded folder with disputes byte for byte, and loads the export with no change', async () => {
    await seeded();
    const exported = await exportSeed(timeline.database);
    expect(exported['events.yaml']).toBe(files['events.yaml']);
    expect(exported['sources.yaml']).toBe(files['sources.yaml']);
    expect(exported['actors.yaml']).toBe(files['actors.yaml']);
    expect(exported['places.yaml']).toBe(files['places.yaml']);
    // NORMAL ranks and empty notes are left out when read back.
    expect(exported['events.yaml']).toContain('      - value: 2023-09-24\n');
    expect(exported['events.yaml']).not.toContain('NORMAL');
    const again = seedDir(exported);
    expect((await seedDatabase(timeline.database, again.dir, { articlesDir: again.articlesDir })).changes).toBe(0);
  });

  const withDisputes = (disputes: object[], participants?: object[]) => seedFiles([{ slug: 'bad-talks', start: '2023-09-23', disputes, participants }]);
  const rival = { value: '2023-09-24', supportedBy: [1] };
  const preferred = { value: '2023-09-23', rank: 'PREFERRED', supportedBy: [0] };

  it.each([
    ['a dispute of one claim', [{ field: 'DATE', claims: [preferred] }], /^disputes\[0\]\.claims: .*two/],
    ['two PREFERRED claims', [{ field: 'DATE', claims: [preferred, { ...rival, rank: 'PREFERRED' }] }], /^disputes\[0\]\.claims(\[1\]\.rank)?: .*PREFERRED/],
    ['no PREFERRED claim', [{ field: 'DATE', claims: [{ ...preferred, rank: 'NORMAL' }, rival] }], /^disputes\[0\]\.claims: .*PREFERRED/],
    // The event must show its PREFERRED value: the refusal names the field that disagrees with it.
    ['a preferred value that is not the event’s', [{ field: 'DATE', claims: [{ ...preferred, rank: 'NORMAL' }, { ...rival, rank: 'PREFERRED' }] }], /^start: is disputed: .*"2023-09-24".*not "2023-09-23".*rank another claim PREFERRED/],
    ['ROLE without an actor', [{ field: 'ROLE', claims: [{ value: 'HOST', rank: 'PREFERRED', supportedBy: [0] }, { value: 'PARTICIPANT', supportedBy: [4] }] }], /^disputes\[0\]\.actor: .*ROLE/],
    ['a ROLE of an actor who is no participant', [{ field: 'ROLE', actor: 'gamma-land', claims: [{ value: 'HOST', rank: 'PREFERRED', supportedBy: [0] }, { value: 'PARTICIPANT', supportedBy: [4] }] }], /^disputes\[0\]\.actor: .*gamma-land/],
    ['an actor for DATE', [{ field: 'DATE', actor: 'alpha-land', claims: [preferred, rival] }], /^disputes\[0\]\.actor: /],
    ['two claims of one value', [{ field: 'DATE', claims: [preferred, rival, { ...rival, supportedBy: [2] }] }], /^disputes\[0\]\.claims\[2\](\.value)?: duplicate/],
    ['an impossible date', [{ field: 'DATE', claims: [preferred, { ...rival, value: '2014-13' }] }], /^disputes\[0\]\.claims\[1\]\.value: .*there is no month 13/],
    ['a claim without citations', [{ field: 'DATE', claims: [preferred, { ...rival, supportedBy: [] }] }], /^disputes\[0\]\.claims\[1\]\.supportedBy/],
    ['a citation the event lacks', [{ field: 'DATE', claims: [preferred, { ...rival, supportedBy: [9] }] }], /^disputes\[0\]\.claims\[1\]\.supportedBy\[0\]: /],
    ['two disputes of one field', [{ field: 'DATE', claims: [preferred, rival] }, { field: 'DATE', claims: [preferred, { ...rival, value: '2023-09-25' }] }], /^disputes\[1\](\.field)?: /],
  ])('refuses %s, naming the path, and loads nothing', async (_case, disputes, message) => {
    const { dir, articlesDir } = seedDir(withDisputes(disputes));
    const error = await seedDatabase(timeline.database, dir, { articlesDir }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SeedError);
    const problems = (error as SeedError).problems.map((problem) => `${problem.record} ${problem.message}`);
    expect(problems).toEqual([expect.stringMatching(/^events\[0\] "bad-talks" /)]);
    expect(problems[0]!.replace('events[0] "bad-talks" ', '')).toMatch(message);
    expect(await eventSlugs(timeline, {})).toEqual([]);
  });
});
