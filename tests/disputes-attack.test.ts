import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { eventRecord } from '../src/domain/records.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSeed, exportSeedTo } from '../src/seed/export.js';
import { seedDatabase } from '../src/seed/index.js';
import { loadSeed } from '../src/seed/load.js';
import { LIMITS } from '../src/server/limits.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { dumpTables, openTestTimeline, queryData, syntheticTimeline, TEST_BACKEND, TEST_TOKEN_STORE, TEST_TOKENS, type TestTimeline, timelinesWrittenBy } from './helpers.js';

// Disputed claims attacked: hostile input to recordClaim, rankClaim and withdrawClaim, the other
// writes aimed at disputed fields, two editors at the same moment, asOf, statement counts, seed
// records of the wrong shape, and the export round trip. Every refusal must be a typed error with
// nothing written; every success must leave exactly one PREFERRED claim per dispute, shown by the event.

const editor = { token: TEST_TOKENS.editor };
const admin = { token: TEST_TOKENS.admin };

const TEXT =
  'Alpha and Beta held talks in Seoul on 23 September 2023, with Alpha as the host. ' +
  'One official said the talks took place on 24 September. A delegate said the talks ran from 23 to 25 September. ' +
  'Another delegate said the talks were in Busan. Beta said Alpha merely took part.';
const LATE_TEXT = 'A week on, the Wire learned that the talks were called off before they began.';
const Q = [
  'Alpha and Beta held talks in Seoul on 23 September 2023, with Alpha as the host',
  'the talks took place on 24 September',
  'the talks ran from 23 to 25 September',
  'the talks were in Busan',
  'Alpha merely took part',
  'the talks were called off before they began',
] as const;
const CITED_IN = ['wire-report', 'wire-report', 'wire-report', 'wire-report', 'wire-report', 'late-report'] as const;

const RESULT = `__typename ... on Error { message } ... on ValidationError { issues { path message } }`;
const EVENT = `slug status startDate { edtf } endDate { edtf } place { slug }
  dateSupport { supportedBy { quote } } placeSupport { supportedBy { quote } }
  participants { edges { role node { slug } supportedBy { quote } } }
  disputes { field actor { slug } claims { value rank note citations { quote } place { slug } } }`;
const RECORD_CLAIM = `mutation ($event: String!, $field: DisputedField!, $actor: String, $value: String!, $rank: ClaimRank, $supportedBy: [ID!]!, $note: String, $currentSupportedBy: [ID!]) {
  recordClaim(event: $event, field: $field, actor: $actor, value: $value, rank: $rank, supportedBy: $supportedBy, note: $note, currentSupportedBy: $currentSupportedBy) {
    ${RESULT} ... on MutationRecordClaimSuccess { event { ${EVENT} } } } }`;
const RANK_CLAIM = `mutation ($event: String!, $field: DisputedField!, $actor: String, $value: String!, $rank: ClaimRank!) {
  rankClaim(event: $event, field: $field, actor: $actor, value: $value, rank: $rank) { ${RESULT} ... on MutationRankClaimSuccess { event { ${EVENT} } } } }`;
const WITHDRAW_CLAIM = `mutation ($event: String!, $field: DisputedField!, $actor: String, $value: String!) {
  withdrawClaim(event: $event, field: $field, actor: $actor, value: $value) { ${RESULT} ... on MutationWithdrawClaimSuccess { event { ${EVENT} } } } }`;

type Query = (document: string, variables?: Record<string, unknown>, options?: { token?: string }) => Promise<{ status: number; data?: any; errors?: any[] }>;

let timeline: TestTimeline;
/** Global ids of the talks' citations, by index into Q; and of the other event's one citation. */
let cited: string[];
let otherCitation: string;

/** A mutation's result object; a request-level error (a 500, a stack trace) fails the test. */
async function mutate(field: string, document: string, variables: Record<string, unknown>, options: { token?: string } = editor, query: Query = timeline.query) {
  const response = await query(document, variables, options);
  expect(response.status, JSON.stringify(response)).toBe(200);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data![field];
}
type ClaimArgs = { field: string; value: string; event?: string; actor?: string; rank?: string; supportedBy?: string[]; note?: string; currentSupportedBy?: string[] };
const recordClaim = (args: ClaimArgs, options = editor, query?: Query) => mutate('recordClaim', RECORD_CLAIM, { event: 'talks', supportedBy: [], ...args }, options, query);
const rankClaim = (args: { field: string; value: string; rank: string; event?: string; actor?: string }, options = editor, query?: Query) =>
  mutate('rankClaim', RANK_CLAIM, { event: 'talks', ...args }, options, query);
const withdrawClaim = (args: { field: string; value: string; event?: string; actor?: string }, options = admin, query?: Query) =>
  mutate('withdrawClaim', WITHDRAW_CLAIM, { event: 'talks', ...args }, options, query);

function ok(result: any) {
  expect(result.__typename, JSON.stringify(result)).toMatch(/Success$/);
  return result;
}
const readEvent = async (slug = 'talks', asOf?: string) => (await queryData(timeline, `query ($slug: String!, $asOf: Date) { event(slug: $slug, asOf: $asOf) { ${EVENT} } }`, { slug, asOf })).event;
const revisionCount = async (slug = 'talks') => (await queryData(timeline, `{ event(slug: "${slug}") { revisions { totalCount } } }`)).event.revisions.totalCount as number;

/** Every dispute has one PREFERRED claim, and the event's field shows its value. */
function expectConsistent(event: any) {
  for (const dispute of event.disputes) {
    const preferred = dispute.claims.filter((c: any) => c.rank === 'PREFERRED');
    expect(preferred, JSON.stringify(dispute)).toHaveLength(1);
    expect(dispute.claims.length).toBeGreaterThanOrEqual(2);
    const value = preferred[0].value;
    if (dispute.field === 'DATE') expect(event.endDate ? `${event.startDate.edtf}/${event.endDate.edtf}` : event.startDate.edtf).toBe(value);
    if (dispute.field === 'STATUS') expect(event.status).toBe(value);
    if (dispute.field === 'PLACE') expect(event.place?.slug).toBe(value);
    if (dispute.field === 'ROLE') expect(event.participants.edges.find((e: any) => e.node.slug === dispute.actor.slug).role).toBe(value);
  }
}

/** A refusal of type `type` (with an issue whose path matches `path`), after which the event and its revisions are as they were. */
async function expectRefused(write: () => Promise<any>, type: string, path?: RegExp) {
  const before = await readEvent();
  const revisions = await revisionCount();
  const result = await write();
  expect(result.__typename, JSON.stringify(result)).toBe(type);
  // A refusal says what is wrong in a sentence, not a page: no echo of a 10,000-character input.
  expect(result.message.length, result.message.slice(0, 200)).toBeLessThan(1_000);
  if (path) expect(result.issues.map((issue: any) => issue.path), JSON.stringify(result.issues)).toContainEqual(expect.stringMatching(path));
  expect(await readEvent()).toEqual(before);
  expect(await revisionCount()).toBe(revisions);
  return result;
}

async function writeTimeline(query: Query = timeline.query) {
  const run = async (document: string, variables: Record<string, unknown> = {}) => {
    const response = await query(document, variables, editor);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const result = Object.values(response.data!)[0] as any;
    return ok(result);
  };
  await run(`mutation { createSource(input: { slug: "wire", name: "Wire" }) { ${RESULT} } }`);
  for (const [slug, publishedOn, text] of [
    ['wire-report', '2023-09-26', TEXT],
    ['late-report', '2023-10-05', LATE_TEXT],
  ]) {
    await run(`mutation ($input: ArticleInput!) { createArticle(input: $input) { ${RESULT} } }`, { input: { slug, title: slug, source: 'wire', publishedOn, text } });
  }
  for (const slug of ['alpha-land', 'beta-land', 'gamma-land']) await run(`mutation { createActor(input: { slug: "${slug}", name: "${slug}", kind: COUNTRY }) { ${RESULT} } }`);
  for (const slug of ['seoul-hall', 'busan-port', 'incheon-dock']) await run(`mutation { createPlace(input: { slug: "${slug}", name: "${slug}" }) { ${RESULT} } }`);
  const CREATE = `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { citations(first: 10) { edges { node { id } } } } } } }`;
  const created = await run(CREATE, {
    input: {
      slug: 'talks',
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
  cited = created.event.citations.edges.map((edge: any) => edge.node.id);
  const other = await run(CREATE, {
    input: { slug: 'span-talks', title: 'Talks over three days', kind: 'MEETING', status: 'OCCURRED', start: '2023-09-23', end: '2023-09-25', dateBasis: 'STATED', dateSupport: [0], citations: [{ article: 'wire-report', quote: Q[2] }, { article: 'wire-report', quote: Q[1] }] },
  });
  otherCitation = other.event.citations.edges[0].node.id;
}

/** The talks with every field disputed: DATE (three claims), STATUS, PLACE and Alpha's ROLE. */
async function disputeEverything(query?: Query) {
  ok(await recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!] }, editor, query));
  ok(await recordClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', supportedBy: [cited[2]!] }, editor, query));
  ok(await recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!], currentSupportedBy: [cited[0]!] }, editor, query));
  ok(await recordClaim({ field: 'PLACE', value: 'busan-port', supportedBy: [cited[3]!] }, editor, query));
  return ok(await recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', supportedBy: [cited[4]!] }, editor, query)).event;
}

/** The talks as writeTimeline leaves them, and then with every field disputed, each test's own. */
const writtenTimeline = timelinesWrittenBy(async (written) => {
  timeline = written;
  await writeTimeline();
});
const disputedTimeline = timelinesWrittenBy(async (written) => {
  timeline = written;
  await writeTimeline();
  await disputeEverything();
});

describe('hostile arguments to recordClaim, rankClaim and withdrawClaim', () => {
  beforeEach(async () => {
    timeline = await writtenTimeline();
  });
  afterEach(() => timeline.close());

  it('refuses a 10,000-character note, naming the note, and writes nothing', async () => {
    await expectRefused(() => recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!], note: 'n'.repeat(10_000) }), 'ValidationError', /note/);
  });

  it.each([
    ['a bell in a note', { field: 'DATE', value: '2023-09-24', note: 'why\u0007' }, /note/],
    ['a right-to-left override in a date', { field: 'DATE', value: '\u202e2023-09-24' }, /value/],
  ])('refuses %s with a ValidationError, not a database error', async (_case, args, path) => {
    await expectRefused(() => recordClaim({ supportedBy: [cited[1]!], currentSupportedBy: [cited[0]!], ...args }), 'ValidationError', path);
  });

  it('a NUL anywhere in a claim is refused for the whole request (400), before the database sees it', async () => {
    await recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!], currentSupportedBy: [cited[0]!] });
    const before = await readEvent();
    const attempts: [string, Record<string, unknown>][] = [
      [RECORD_CLAIM, { event: 'talks', field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]], note: 'why\u0000' }],
      [RECORD_CLAIM, { event: 'talks', field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT\u0000', supportedBy: [cited[4]] }],
      [RECORD_CLAIM, { event: 'talks', field: 'PLACE', value: 'busan-port\u0000', supportedBy: [cited[3]] }],
      [RANK_CLAIM, { event: 'talks', field: 'STATUS', value: 'CANCELLED\u0000', rank: 'PREFERRED' }],
      [WITHDRAW_CLAIM, { event: 'talks', field: 'STATUS', value: 'CANCELLED\u0000' }],
    ];
    for (const [document, variables] of attempts) {
      const response = await timeline.query(document, variables, admin);
      expect(response.status).toBe(400);
      expect(response.errors![0]!.message).toMatch(/NUL character/);
    }
    expect(await readEvent()).toEqual(before);
  });

  it('rankClaim and withdrawClaim of a 90,000-character value are refused on value, briefly', async () => {
    await recordClaim({ field: 'STATUS', value: 'CANCELLED', supportedBy: [cited[5]!], currentSupportedBy: [cited[0]!] });
    const withdrawn = await expectRefused(() => withdrawClaim({ field: 'STATUS', value: 'x'.repeat(90_000) }), 'ValidationError', /^value$/);
    expect(withdrawn.message).toBe('must be at most 80 characters (it has 90000)');
    await expectRefused(() => rankClaim({ field: 'PLACE', value: 'x'.repeat(90_000), rank: 'PREFERRED' }), 'ValidationError', /^value$/);
  });

  it('refuses a 30,000-character date unread, as a claim and as the event\'s start', async () => {
    // The EDTF grammar reads a long "Y…" year in time that grows faster than its length (seconds at
    // 20,000 digits): read, it would hold the request past its deadline (a 503), not refuse it.
    await recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!] });
    const huge = `Y${'1'.repeat(30_000)}`;
    await expectRefused(() => recordClaim({ field: 'DATE', value: huge, supportedBy: [cited[2]!] }), 'ValidationError', /^value$/);
    await expectRefused(() => rankClaim({ field: 'DATE', value: huge, rank: 'PREFERRED' }), 'ValidationError', /^value$/);
    const start = await expectRefused(() => mutate('updateEvent', 'mutation ($start: String!) { updateEvent(slug: "span-talks", patch: { start: $start }) { ' + RESULT + ' } }', { start: huge }), 'ValidationError', /^start$/);
    expect(start.message).toMatch(/^is 30001 characters long, too long for a date \(at most 60\)/);
  });

  it.each(['Y170000002', '99999', '2023-09-23/9999-12-31', '0000', '-0044', '2023-02-29', '2023-09-25/2023-09-23', '2023-09-23/..', '2023-09-23T10:00'])(
    'a DATE claim "%s" is recorded or refused cleanly, and the event stays consistent',
    async (value) => {
      const result = await recordClaim({ field: 'DATE', value, supportedBy: [cited[1]!], rank: 'PREFERRED' });
      expect(result.__typename, JSON.stringify(result)).toMatch(/^(MutationRecordClaimSuccess|ValidationError)$/);
      expectConsistent(await readEvent());
    },
  );

  it.each([
    ['an actor for DATE', { field: 'DATE', actor: 'alpha-land', value: '2023-09-24' }, 'ValidationError', /actor/],
    ['ROLE without an actor', { field: 'ROLE', value: 'PARTICIPANT' }, 'ValidationError', /actor/],
    ['ROLE of an actor who is not a participant', { field: 'ROLE', actor: 'gamma-land', value: 'PARTICIPANT' }, 'ValidationError', /actor/],
    ['ROLE of an actor who does not exist', { field: 'ROLE', actor: 'nobody-land', value: 'PARTICIPANT' }, 'ValidationError', /actor/],
    ['a ROLE that is no role', { field: 'ROLE', actor: 'alpha-land', value: 'KING' }, 'ValidationError', /value/],
    ['a STATUS that is no status', { field: 'STATUS', value: 'POSTPONED', currentSupportedBy: [] }, 'ValidationError', /value|currentSupportedBy/],
    ['a PLACE claim naming a missing place', { field: 'PLACE', value: 'atlantis' }, 'ValidationError', /value/],
    ['a PLACE claim naming a place by name', { field: 'PLACE', value: 'Busan Port' }, 'ValidationError', /value/],
    ['an empty value', { field: 'DATE', value: '   ' }, 'ValidationError', /value/],
    ['no citations at all', { field: 'DATE', value: '2023-09-24', supportedBy: [] }, 'ValidationError', /supportedBy/],
    ['the same citation twice', { field: 'DATE', value: '2023-09-24', supportedBy: 'twice' }, 'ValidationError', /supportedBy/],
    ['another event’s citation', { field: 'DATE', value: '2023-09-24', supportedBy: 'other' }, 'ValidationError', /supportedBy/],
    ['the current value again, written with spaces', { field: 'DATE', value: ' 2023-09-23 ' }, 'ConflictError', undefined],
    ['a STATUS rival with no support for the current status', { field: 'STATUS', value: 'CANCELLED' }, 'ValidationError', /currentSupportedBy/],
    ['an event that does not exist', { field: 'DATE', value: '2023-09-24', event: 'no-such-talks' }, 'NotFoundError', undefined],
  ])('recordClaim refuses %s, and writes nothing', async (_case, args: any, type, path) => {
    const supportedBy = args.supportedBy === 'twice' ? [cited[1]!, cited[1]!] : args.supportedBy === 'other' ? [otherCitation] : (args.supportedBy ?? [cited[1]!]);
    await expectRefused(() => recordClaim({ ...args, supportedBy }), type, path);
  });

  it('a claim already recorded, written another way, is a ConflictError, not a second claim', async () => {
    ok(await recordClaim({ field: 'DATE', value: '2023-09-24', supportedBy: [cited[1]!] }));
    await expectRefused(() => recordClaim({ field: 'DATE', value: '\t2023-09-24 ', supportedBy: [cited[2]!] }), 'ConflictError');
    ok(await recordClaim({ field: 'PLACE', value: 'busan-port', supportedBy: [cited[3]!] }));
    await expectRefused(() => recordClaim({ field: 'PLACE', value: ' busan-port', supportedBy: [cited[3]!] }), 'ConflictError');
  });

  it('rankClaim and withdrawClaim with the wrong actor or field find no claim, and the preferred one cannot be withdrawn', async () => {
    await disputeEverything();
    await expectRefused(() => rankClaim({ field: 'ROLE', actor: 'beta-land', value: 'PARTICIPANT', rank: 'PREFERRED' }), 'NotFoundError');
    await expectRefused(() => rankClaim({ field: 'DATE', actor: 'alpha-land', value: '2023-09-24', rank: 'PREFERRED' }), 'NotFoundError');
    await expectRefused(() => rankClaim({ field: 'STATUS', value: '2023-09-24', rank: 'PREFERRED' }), 'NotFoundError');
    await expectRefused(() => rankClaim({ field: 'DATE', value: '2023-09-23', rank: 'DEPRECATED' }), 'ValidationError', /rank/);
    await expectRefused(() => withdrawClaim({ field: 'PLACE', value: 'seoul-hall' }), 'ValidationError');
  });

  it('withdrawClaim needs an admin token: an editor is refused and nothing changes', async () => {
    await disputeEverything();
    const before = await readEvent();
    const response = await timeline.query(WITHDRAW_CLAIM, { event: 'talks', field: 'PLACE', value: 'busan-port' }, editor);
    expect(response.errors?.[0]?.message ?? response.data?.withdrawClaim?.__typename).toBeTruthy();
    expect(await readEvent()).toEqual(before);
  });

  it('a dispute holds at most 10 claims: the 11th is refused and nothing is written', async () => {
    // 2023-09-01 … 2023-09-09 beside the recorded 2023-09-23: 10 claims in all.
    for (let day = 1; day <= 9; day++) ok(await recordClaim({ field: 'DATE', value: `2023-09-${String(day).padStart(2, '0')}`, supportedBy: [cited[1]!] }));
    expect((await readEvent()).disputes[0].claims).toHaveLength(10);
    await expectRefused(() => recordClaim({ field: 'DATE', value: '2023-09-20', supportedBy: [cited[1]!] }), 'ValidationError', /claims/);
  });
});

describe('a span written as start and end, against a claim written as an EDTF interval', () => {
  beforeEach(async () => {
    timeline = await writtenTimeline();
  });
  afterEach(() => timeline.close());

  it('the interval of the event’s own start and end is its current value, not a rival', async () => {
    await expectRefused(() => recordClaim({ event: 'span-talks', field: 'DATE', value: '2023-09-23/2023-09-25', supportedBy: [otherCitation] }), 'ConflictError');
  });

  it('ranking a one-day claim and back restores the start and the end', async () => {
    const day = ok(await recordClaim({ event: 'span-talks', field: 'DATE', value: '2023-09-24', rank: 'PREFERRED', supportedBy: [otherCitation] })).event;
    expect(day).toMatchObject({ startDate: { edtf: '2023-09-24' }, endDate: null });
    expectConsistent(day);
    const back = ok(await rankClaim({ event: 'span-talks', field: 'DATE', value: '2023-09-23/2023-09-25', rank: 'PREFERRED' })).event;
    expect(back).toMatchObject({ startDate: { edtf: '2023-09-23' }, endDate: { edtf: '2023-09-25' } });
    expectConsistent(back);
    // Written back in the span's own form, the record is unchanged by a no-op rank.
    ok(await rankClaim({ event: 'span-talks', field: 'DATE', value: '2023-09-23/2023-09-25', rank: 'PREFERRED' }));
    expect(await readEvent('span-talks')).toEqual(back);
  });

  it('changing only the end of a disputed span is refused as a change of the disputed date', async () => {
    ok(await recordClaim({ event: 'span-talks', field: 'DATE', value: '2023-09-24', supportedBy: [otherCitation] }));
    const result = await mutate('updateEvent', `mutation { updateEvent(slug: "span-talks", patch: { end: "2023-09-26" }) { ${RESULT} } }`, {});
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues.map((i: any) => i.path)).toContainEqual(expect.stringMatching(/^(start|end)$/));
    expect((await readEvent('span-talks')).endDate).toEqual({ edtf: '2023-09-25' });
  });
});

describe('other writes aimed at disputed fields and at what claims name', () => {
  beforeEach(async () => {
    timeline = await disputedTimeline();
  });
  afterEach(() => timeline.close());

  const update = (patch: string, extra = '') => mutate('updateEvent', `mutation { updateEvent(slug: "talks", patch: { ${patch} }${extra}) { ${RESULT} } }`, {});

  it.each([
    ['start', 'start: "2023-09-30"', '', /^start$/],
    ['status', 'status: PROPOSED', `, statusCitation: { article: "late-report", quote: "${Q[5]}" }`, /^status$/],
    ['place', 'place: "incheon-dock", placeSupport: [3]', '', /^place$/],
    ['place, cleared', 'place: null', '', /place|disputes\[\d\]\.field/],
  ])('updateEvent of the disputed %s is refused on that field', async (_case, patch, extra, path) => {
    await expectRefused(() => update(patch, extra), 'ValidationError', path);
  });

  it('updateParticipant of a disputed role is refused on participants[0].role', async () => {
    await expectRefused(
      () => mutate('updateParticipant', `mutation { updateParticipant(event: "talks", actor: "alpha-land", role: SPEAKER, supportedBy: ["${cited[0]}"]) { ${RESULT} } }`, {}),
      'ValidationError',
      /^participants\[0\]\.role$/,
    );
  });

  it('removeParticipant of an actor whose role is disputed is refused with a sentence about the dispute, not about adding them', async () => {
    const result = await expectRefused(() => mutate('removeParticipant', `mutation { removeParticipant(event: "talks", actor: "alpha-land") { ${RESULT} } }`, {}, admin), 'ValidationError');
    expect(result.message).toMatch(/disput/i);
    expect(result.message).not.toMatch(/add them first/);
  });

  it('deleteCitation of a claim’s only citation is refused, saying which claim needs it', async () => {
    const result = await expectRefused(() => mutate('deleteCitation', `mutation { deleteCitation(id: "${cited[3]}") { ${RESULT} } }`, {}, admin), 'ValidationError');
    expect(result.message).toMatch(/claim|disput/i);
  });

  it('deleteCitation of a citation no claim needs moves every claim’s citations with their quotes', async () => {
    // A citation of the event that no claim cites, added then deleted: every index after it moves.
    const added = ok(await mutate('addCitation', `mutation { addCitation(event: "talks", citation: { article: "wire-report", quote: "held talks in Seoul" }) { ${RESULT} ... on MutationAddCitationSuccess { citation { id } } } }`, {}));
    const before = await readEvent();
    ok(await mutate('deleteCitation', `mutation { deleteCitation(id: "${added.citation.id}") { ${RESULT} } }`, {}, admin));
    expect(await readEvent()).toEqual(before);
    // Replacing the citations in another order keeps each claim on its quotes too.
    const reversed = [...Q.keys()].reverse().map((i) => `{ article: "${CITED_IN[i]}", quote: "${Q[i]}" }`);
    ok(await update(`citations: [${reversed.join(', ')}]`));
    expect(await readEvent()).toEqual(before);
  });

  it('deletePlace of a place a claim names is a ConflictError; deleteActor of a disputed participant too', async () => {
    await expectRefused(() => mutate('deletePlace', `mutation { deletePlace(slug: "busan-port") { ${RESULT} } }`, {}, admin), 'ConflictError');
    await expectRefused(() => mutate('deleteActor', `mutation { deleteActor(slug: "alpha-land") { ${RESULT} } }`, {}, admin), 'ConflictError');
  });

  it('renaming a place a claim names renames the claim’s value', async () => {
    ok(await mutate('updatePlace', `mutation { updatePlace(slug: "busan-port", patch: { slug: "busan-harbour" }) { ${RESULT} } }`, {}));
    const place = (await readEvent()).disputes.find((d: any) => d.field === 'PLACE');
    expect(place.claims.map((c: any) => [c.value, c.place.slug])).toEqual([
      ['seoul-hall', 'seoul-hall'],
      ['busan-harbour', 'busan-harbour'],
    ]);
  });

  it('a patch that replaces the disputes replaces them, as it does participants and citations, and the revision keeps what it removed', async () => {
    // updateEvent is the editor's whole-record edit: withdrawClaim is the admin's one-claim removal.
    const before = await readEvent();
    expect(before.disputes.length).toBeGreaterThan(0);
    ok(await update('disputes: []'));
    expect((await readEvent()).disputes).toEqual([]);
    const { event } = await queryData(timeline, '{ event(slug: "talks") { revisions(last: 1) { edges { node { action before } } } } }');
    const [{ node: revision }] = event.revisions.edges;
    expect(revision.action).toBe('UPDATE');
    expect(revision.before.disputes.map((dispute: { field: string }) => dispute.field)).toEqual(before.disputes.map((dispute: { field: string }) => dispute.field));
  });

  it('deleteEvent then restoreEvent brings back every dispute, and the event still shows the preferred values', async () => {
    ok(await rankClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', rank: 'PREFERRED' }));
    ok(await rankClaim({ field: 'STATUS', value: 'CANCELLED', rank: 'PREFERRED' }));
    const before = await readEvent();
    ok(await mutate('deleteEvent', `mutation { deleteEvent(slug: "talks") { ${RESULT} } }`, {}, admin));
    ok(await mutate('restoreEvent', `mutation { restoreEvent(slug: "talks") { ${RESULT} } }`, {}, admin));
    const restored = await readEvent();
    expect(restored).toEqual(before);
    expectConsistent(restored);
  });

  it('restoreEvent after the place a claim named was deleted is a ValidationError, and no half of the event comes back', async () => {
    ok(await mutate('deleteEvent', `mutation { deleteEvent(slug: "talks") { ${RESULT} } }`, {}, admin));
    ok(await mutate('deletePlace', `mutation { deletePlace(slug: "busan-port") { ${RESULT} } }`, {}, admin));
    const tablesBefore = await dumpTables(timeline.database);
    const result = await mutate('restoreEvent', `mutation { restoreEvent(slug: "talks") { ${RESULT} } }`, {}, admin);
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues.map((i: any) => i.path)).toContainEqual(expect.stringMatching(/^disputes\[\d\]\.claims\[1\]\.value$/));
    expect(await dumpTables(timeline.database)).toEqual(tablesBefore);
  });

  it('upsertEvent with the claims of a dispute in a new order keeps the order written, in one revision', async () => {
    const revisions = await revisionCount();
    const UPSERT = `mutation ($input: EventInput!) { upsertEvent(input: $input) { ${RESULT} } }`;
    const input = {
      slug: 'talks', title: 'Alpha and Beta hold talks', kind: 'MEETING', status: 'OCCURRED', start: '2023-09-23', dateBasis: 'STATED', dateSupport: [0], place: 'seoul-hall', placeSupport: [0],
      participants: [{ actor: 'alpha-land', role: 'HOST', supportedBy: [0] }, { actor: 'beta-land', role: 'PARTICIPANT', supportedBy: [0] }],
      citations: Q.map((quote, index) => ({ article: CITED_IN[index], quote })),
      disputes: [
        { field: 'DATE', claims: [{ value: '2023-09-23/2023-09-25', supportedBy: [2] }, { value: '2023-09-23', rank: 'PREFERRED', supportedBy: [0] }, { value: '2023-09-24', supportedBy: [1] }] },
        { field: 'STATUS', claims: [{ value: 'OCCURRED', rank: 'PREFERRED', supportedBy: [0] }, { value: 'CANCELLED', supportedBy: [5] }] },
        { field: 'PLACE', claims: [{ value: 'seoul-hall', rank: 'PREFERRED', supportedBy: [0] }, { value: 'busan-port', supportedBy: [3] }] },
        { field: 'ROLE', actor: 'alpha-land', claims: [{ value: 'HOST', rank: 'PREFERRED', supportedBy: [0] }, { value: 'PARTICIPANT', supportedBy: [4] }] },
      ],
    };
    ok(await mutate('upsertEvent', UPSERT, { input }));
    // "Claims in the order written": the DATE claims come back as the upsert listed them.
    const date = (await readEvent()).disputes.find((d: any) => d.field === 'DATE');
    expect(date.claims.map((c: any) => c.value)).toEqual(['2023-09-23/2023-09-25', '2023-09-23', '2023-09-24']);
    expect(await revisionCount()).toBe(revisions + 1);
  });
});

/** Runs `writes` at the same moment and returns their results. */
const atOnce = <T>(...writes: (() => Promise<T>)[]) => Promise.all(writes.map((write) => write()));

describe('two editors at the same moment', () => {
  afterEach(() => timeline.close());

  async function consistentAfter(writes: (query: Query) => (() => Promise<any>)[], instances: 1 | 2) {
    timeline = await disputedTimeline();
    let second: { query: Query; close: () => Promise<void> } | null = null;
    let query: Query = timeline.query;
    if (instances === 2) {
      // A second server process on the same database: its own connection pool, its own yoga.
      const database = await openDatabase((timeline.database as any).url ?? ':memory:');
      const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
      query = async (document, variables, options = {}) => {
        const response = await yoga.fetch(new Request('http://timeline.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
          body: JSON.stringify({ query: document, variables }),
        }));
        return { status: response.status, ...((await response.json()) as object) };
      };
      second = { query, close: () => database.close() };
    }
    try {
      const results = await atOnce(...writes(query));
      const event = await readEvent();
      expectConsistent(event);
      return { results, event };
    } finally {
      await second?.close();
    }
  }

  // Two server instances share one database on PostgreSQL; an in-memory SQLite database has one connection.
  const INSTANCES: (1 | 2)[] = TEST_BACKEND === 'postgres' ? [1, 2] : [1];

  it.each(INSTANCES)('rankClaim PREFERRED of rival claims at once (%i instance(s)): all succeed in turn, one PREFERRED, shown by the event', async (instances) => {
    const { results, event } = await consistentAfter((query) => [
      () => rankClaim({ field: 'DATE', value: '2023-09-24', rank: 'PREFERRED' }),
      () => rankClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', rank: 'PREFERRED' }, editor, query),
      () => rankClaim({ field: 'PLACE', value: 'busan-port', rank: 'PREFERRED' }, editor, query),
      () => rankClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', rank: 'PREFERRED' }),
    ], instances);
    results.forEach(ok);
    expect(['2023-09-24', '2023-09-23/2023-09-25']).toContain(event.disputes[0].claims.find((c: any) => c.rank === 'PREFERRED').value);
    expect(event.place.slug).toBe('busan-port');
  });

  it('two editors recording the same rival at once: one claim, the other editor told it is there', async () => {
    const { results, event } = await consistentAfter(() => [
      () => recordClaim({ field: 'DATE', value: '2023-09-22', supportedBy: [cited[1]!] }),
      () => recordClaim({ field: 'DATE', value: ' 2023-09-22', supportedBy: [cited[2]!] }),
    ], 1);
    expect(results.map((r) => r.__typename).sort()).toEqual(['ConflictError', 'MutationRecordClaimSuccess']);
    expect(event.disputes[0].claims.filter((c: any) => c.value === '2023-09-22')).toHaveLength(1);
  });

  it('rank and withdraw of one claim at once, and two PREFERRED recordings: the result is one of the orders, never a mixture', async () => {
    const { results, event } = await consistentAfter(() => [
      () => rankClaim({ field: 'PLACE', value: 'busan-port', rank: 'PREFERRED' }),
      () => withdrawClaim({ field: 'PLACE', value: 'busan-port' }),
      () => recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'VISITOR', rank: 'PREFERRED', supportedBy: [cited[4]!] }),
      () => recordClaim({ field: 'ROLE', actor: 'alpha-land', value: 'SPEAKER', rank: 'PREFERRED', supportedBy: [cited[4]!] }),
    ], 1);
    for (const result of results) expect(result.__typename).toMatch(/Success$|ValidationError|NotFoundError/);
    const role = event.disputes.find((d: any) => d.field === 'ROLE');
    // The two recordings land in either order (on PostgreSQL, whichever reaches the write lock
    // first); the claims keep the order they were recorded in, and the later recording is preferred.
    const values = role.claims.map((c: any) => c.value);
    expect(values.slice(0, 2)).toEqual(['HOST', 'PARTICIPANT']);
    expect(values.slice(2).sort()).toEqual(['SPEAKER', 'VISITOR']);
    expect(role.claims.at(-1).rank).toBe('PREFERRED');
  });
});

describe('disputes as of a day, and the disputed filter', () => {
  beforeAll(async () => {
    // The status dispute rests on the late report (5 October): before then only the date, place and role are disputed.
    timeline = await disputedTimeline();
  });
  afterAll(() => timeline.close());

  it.each([null, '2023-09-25', '2023-09-26', '2023-10-04', '2023-10-05', '2024-01-01'])('as of %s, Event.disputes and filter disputed agree on every event', async (asOf) => {
    const LIST = `query ($asOf: Date, $filter: EventFilter) { events(asOf: $asOf, filter: $filter, first: 10) { totalCount edges { node { slug disputes { field claims { value } } } } } }`;
    const all = (await queryData(timeline, LIST, { asOf })).events;
    const disputed = (await queryData(timeline, LIST, { asOf, filter: { disputed: true } })).events;
    const undisputed = (await queryData(timeline, LIST, { asOf, filter: { disputed: false } })).events;
    const slugs = (page: any) => page.edges.map((e: any) => e.node.slug);
    expect(slugs(disputed)).toEqual(slugs(all).filter((_: string, i: number) => all.edges[i].node.disputes.length > 0));
    expect(slugs(undisputed)).toEqual(slugs(all).filter((_: string, i: number) => all.edges[i].node.disputes.length === 0));
    expect(disputed.totalCount + undisputed.totalCount).toBe(all.totalCount);
    // As of a day, every claim shown was reported by then.
    for (const edge of all.edges) {
      const event = await readEvent(edge.node.slug, asOf ?? undefined);
      for (const dispute of event.disputes) for (const claim of dispute.claims) expect(claim.citations.length).toBeGreaterThan(0);
      expect(event.disputes.map((d: any) => d.field)).toEqual(edge.node.disputes.map((d: any) => d.field));
    }
    const statusDisputed = all.edges.some((e: any) => e.node.disputes.some((d: any) => d.field === 'STATUS'));
    expect(statusDisputed).toBe(asOf === null || asOf >= '2023-10-05');
  });
});

describe('statement counts of disputes under a page', () => {
  let page: TestTimeline;
  beforeAll(async () => {
    page = await openTestTimeline({ seed: false });
    const data = syntheticTimeline(60);
    data.places = [{ slug: 'here', name: 'Here', countryNote: '' } as never, { slug: 'there', name: 'There', countryNote: '' } as never];
    for (const event of data.events) {
      Object.assign(event, { place: 'here', placeSupport: [0] });
      const role = event.participants[0]!;
      (event as any).disputes = [
        { field: 'DATE', claims: [{ value: (event.start as any).edtf, rank: 'PREFERRED', supportedBy: [0], note: '' }, { value: '1989', rank: 'NORMAL', supportedBy: [1], note: 'later' }] },
        { field: 'PLACE', claims: [{ value: 'here', rank: 'PREFERRED', supportedBy: [0], note: '' }, { value: 'there', rank: 'DEPRECATED', supportedBy: [1], note: '' }] },
        { field: 'ROLE', actor: role.actor, claims: [{ value: 'PARTICIPANT', rank: 'PREFERRED', supportedBy: role.supportedBy, note: '' }, { value: 'HOST', rank: 'NORMAL', supportedBy: [1], note: '' }] },
      ];
    }
    await loadSeed(page.database, data);
  });
  afterAll(() => page.close());

  const BRIEF = 'disputes { actor { name } claims { citations { quote } place { name } } }';

  it('the brief’s page of 50 events with their disputes is within the complexity limit', async () => {
    const response = await page.query(`{ events(first: 50) { edges { node { ${BRIEF} } } } }`);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.events.edges).toHaveLength(50);
  });

  it.each([
    ['the brief’s selection', BRIEF],
    ['citations’ articles and sources', 'disputes { field claims { value citations { quote article { title source { name } } } } }'],
    ['the disputed actor’s own events', 'disputes { actor { slug events(first: 2) { totalCount edges { node { slug } } } } }'],
  ])('%s costs the same number of statements for 5 events and for 50', async (_case, selection) => {
    // The complexity limit is lifted here: this counts statements, whatever a page is estimated to cost.
    const unlimited = createTimelineYoga({ database: page.database, tokens: TEST_TOKEN_STORE, limits: { ...LIMITS, complexity: 1e12 } });
    const count = async (first: number) => {
      page.resetStatements();
      const response = await unlimited.fetch(new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: `query ($first: Int!) { events(first: $first) { edges { node { slug ${selection} } } } }`, variables: { first } }),
      }));
      const body = (await response.json()) as any;
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      expect(body.data.events.edges).toHaveLength(first);
      expect(body.data.events.edges[first - 1].node.disputes).toHaveLength(3);
      return page.statements.length;
    };
    const five = await count(5);
    expect(await count(50)).toBe(five);
    expect(five).toBeLessThanOrEqual(4);
  });
});

describe('seed records with malformed disputes', () => {
  const base = {
    slug: 'seeded-talks', title: 'Talks', kind: 'MEETING', status: 'OCCURRED', start: 2014, dateBasis: 'STATED', dateSupport: [0],
    citations: [{ article: 'wire-report', quote: 'one' }, { article: 'wire-report', quote: 'two' }],
  };
  const issuesOf = (disputes: unknown) => {
    const result = eventRecord.safeParse({ ...base, disputes });
    expect(result.success).toBe(false);
    return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it.each([
    ['a string for the list of disputes', 'DATE', /^disputes: /],
    ['a string for the claims', [{ field: 'DATE', claims: '2014' }], /^disputes\.0\.claims: /],
    ['a string for supportedBy', [{ field: 'DATE', claims: [{ value: 2014, rank: 'PREFERRED', supportedBy: '0' }, { value: 2015, supportedBy: [1] }] }], /^disputes\.0\.claims\.0\.supportedBy: /],
    ['a list for a value', [{ field: 'DATE', claims: [{ value: [2014], rank: 'PREFERRED', supportedBy: [0] }, { value: 2015, supportedBy: [1] }] }], /^disputes\.0\.claims\.0\.value: /],
    ['a fraction for a year', [{ field: 'DATE', claims: [{ value: 2014, rank: 'PREFERRED', supportedBy: [0] }, { value: 2015.5, supportedBy: [1] }] }], /^disputes\.0\.claims\.1\.value: /],
    ['"2014" and 2014, one value written two ways', [{ field: 'DATE', claims: [{ value: 2014, rank: 'PREFERRED', supportedBy: [0] }, { value: '2014', supportedBy: [1] }] }], /^disputes\.0\.claims\.1(\.value)?: duplicate/],
    ['" 2014 " and 2014', [{ field: 'DATE', claims: [{ value: ' 2014 ', rank: 'PREFERRED', supportedBy: [0] }, { value: 2014, supportedBy: [1] }] }], /^disputes\.0\.claims\.1(\.value)?: duplicate/],
    ['an unknown rank', [{ field: 'DATE', claims: [{ value: 2014, rank: 'BEST', supportedBy: [0] }, { value: 2015, supportedBy: [1] }] }], /^disputes\.0\.claims\.0\.rank: /],
    ['an unknown key', [{ field: 'DATE', claims: [{ value: 2014, rank: 'PREFERRED', supportedBy: [0], source: 'x' }, { value: 2015, supportedBy: [1] }] }], /^disputes\.0\.claims\.0: /],
    ['a note with a control character', [{ field: 'DATE', claims: [{ value: 2014, rank: 'PREFERRED', supportedBy: [0], note: 'a\u0001b' }, { value: 2015, supportedBy: [1] }] }], /^disputes\.0\.claims\.0\.note: /],
  ])('%s is refused, naming the path', (_case, disputes, message) => {
    expect(issuesOf(disputes)).toContainEqual(expect.stringMatching(message));
  });

  it('1,000 claims are refused quickly, naming the limit', () => {
    const claims = Array.from({ length: 1_000 }, (_, i) => ({ value: `Y${String(10_000 + i)}`, supportedBy: [0] }));
    const issues = issuesOf([{ field: 'DATE', claims }]);
    expect(issues).toContainEqual(expect.stringMatching(/^disputes\.0\.claims: must list at most 10 claims \(it has 1000\)/));
  });

  it('a claim value of 100,000 characters is refused without echoing it', () => {
    const issues = issuesOf([{ field: 'STATUS', claims: [{ value: 'OCCURRED', rank: 'PREFERRED', supportedBy: [0] }, { value: 'X'.repeat(100_000), supportedBy: [1] }] }]);
    expect(issues.join('\n').length).toBeLessThan(2_000);
  });
});

describe('the export of disputed events', () => {
  afterEach(() => timeline.close());

  it('loads into a fresh database as the same events, disputes and all, and exports byte for byte', async () => {
    timeline = await disputedTimeline();
    ok(await rankClaim({ field: 'DATE', value: '2023-09-23/2023-09-25', rank: 'PREFERRED' }));
    ok(await rankClaim({ field: 'STATUS', value: 'CANCELLED', rank: 'PREFERRED' }));
    ok(await rankClaim({ field: 'ROLE', actor: 'alpha-land', value: 'PARTICIPANT', rank: 'DEPRECATED' }));
    ok(await recordClaim({ event: 'span-talks', field: 'DATE', value: '2023', supportedBy: [otherCitation], note: 'A year “only”: 2023 — said the «wire»' }));
    const dir = mkdtempSync(join(tmpdir(), 'disputes-attack-'));
    const articlesDir = join(dir, 'articles');
    await exportSeedTo(timeline.database, dir, articlesDir);
    const exported = await exportSeed(timeline.database);
    const before = { talks: await readEvent(), span: await readEvent('span-talks') };
    const fresh = await openTestTimeline({ seed: false });
    try {
      await seedDatabase(fresh.database, dir, { articlesDir });
      const read = async (slug: string) => (await queryData(fresh, `query ($slug: String!) { event(slug: $slug) { ${EVENT} } }`, { slug })).event;
      expect({ talks: await read('talks'), span: await read('span-talks') }).toEqual(before);
      expect(await exportSeed(fresh.database)).toEqual(exported);
    } finally {
      await fresh.close();
    }
  });
});

