import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecord } from '../src/editing/editor.js';
import { eventDefinition } from '../src/editing/entities.js';
import { loadSeed } from '../src/seed/load.js';
import { readSeedFiles } from '../src/seed/files.js';
import { SeedError } from '../src/seed/errors.js';
import { validateSeed } from '../src/seed/validate.js';
import { dumpTables, openTestTimeline, TEST_TOKENS, type TestTimeline } from './helpers.js';

let timeline: TestTimeline;
beforeEach(async () => {
  timeline = await openTestTimeline();
});
afterEach(() => timeline.close());

const editor = { token: TEST_TOKENS.editor };
const admin = { token: TEST_TOKENS.admin };

/** Runs a mutation and returns its result object (success payload or typed error). */
async function mutate(field: string, document: string, variables: Record<string, unknown> = {}, options: { token?: string } = editor) {
  const response = await timeline.query(document, variables, options);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data![field];
}

/** The records of a connection's page, and the page of these records. */
const nodesOf = (connection: { edges: { node: any }[] }) => connection.edges.map((edge) => edge.node);
const edgesOf = (nodes: object[]) => ({ edges: nodes.map((node) => ({ node })) });

const RESULT = /* GraphQL */ `
  __typename
  ... on Error { message }
  ... on ValidationError { path issues { path message } }
  ... on NotFoundError { entity slug }
`;

const newEvent = {
  slug: 'officials-meeting-outcome',
  title: 'Senior officials agree to prepare the summit',
  kind: 'MEETING',
  status: 'PROPOSED',
  start: '2023-09',
  dateBasis: 'RESOLVED',
  dateNote: 'Test record.',
  dateSupport: [0],
  place: 'seoul',
  placeSupport: [0],
  participants: [{ actor: 'south-korea', role: 'HOST', basis: 'OUTSIDE', note: 'Test record.' }, { actor: 'japan', role: 'PARTICIPANT', supportedBy: [0] }],
  citations: [{ article: 'bloomberg-south-korea-seeks-xi-visit', quote: 'senior officials from the three nations are set to meet in Seoul on Tuesday' }],
};

const CREATE_EVENT = `mutation ($input: EventInput!) { createEvent(input: $input) { ${RESULT} ... on MutationCreateEventSuccess { event { id slug status place { slug } participants { edges { role node { slug } } } revisions { edges { node { action author after } } } } } } }`;

describe('event mutations', () => {
  it('createEvent writes the whole record and records who did it', async () => {
    const result = await mutate('createEvent', CREATE_EVENT, { input: newEvent });
    expect(result.__typename).toBe('MutationCreateEventSuccess');
    expect(result.event.participants.edges).toEqual([
      { role: 'HOST', node: { slug: 'south-korea' } },
      { role: 'PARTICIPANT', node: { slug: 'japan' } },
    ]);
    expect(nodesOf(result.event.revisions)).toEqual([{ action: 'CREATE', author: 'test-editor', after: expect.objectContaining({ slug: newEvent.slug, start: '2023-09' }) }]);
    const read = await timeline.query(`{ event(slug: "${newEvent.slug}") { title startDate { iso precision } } }`);
    expect(read.data!.event).toEqual({ title: newEvent.title, startDate: { iso: '2023-09', precision: 'MONTH' } });
  });

  it('updateEvent changes only the given fields, null clears an optional one', async () => {
    const result = await mutate(
      'updateEvent',
      `mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Camp David", place: null }) { ${RESULT} ... on MutationUpdateEventSuccess { event { title place { slug } citations { totalCount } revisions { edges { node { action before after } } } } } } }`,
    );
    expect(result.event.title).toBe('Camp David');
    expect(result.event.place).toBeNull();
    expect(result.event.citations.totalCount).toBe(3);
    const last = nodesOf(result.event.revisions).at(-1);
    expect(last.action).toBe('UPDATE');
    expect(last.before.place).toBe('camp-david');
    expect(last.after.place).toBeUndefined();
  });

  it('upsertEvent creates, then replaces the whole record', async () => {
    const UPSERT = `mutation ($input: EventInput!) { upsertEvent(input: $input) { ${RESULT} ... on MutationUpsertEventSuccess { event { title participants { totalCount } revisions { edges { node { action } } } } } } }`;
    const created = await mutate('upsertEvent', UPSERT, { input: newEvent });
    expect(nodesOf(created.event.revisions).map((r: any) => r.action)).toEqual(['CREATE']);
    const replaced = await mutate('upsertEvent', UPSERT, { input: { ...newEvent, title: 'Replaced', participants: [] } });
    expect(replaced.event).toMatchObject({ title: 'Replaced', participants: { totalCount: 0 } });
    expect(nodesOf(replaced.event.revisions).map((r: any) => r.action)).toEqual(['CREATE', 'UPDATE']);
    const unchanged = await mutate('upsertEvent', UPSERT, { input: { ...newEvent, title: 'Replaced', participants: [] } });
    expect(nodesOf(unchanged.event.revisions)).toHaveLength(2);
  });

  it('a status change must carry the citation that justifies it, and the revision keeps it', async () => {
    const UPDATE = `mutation ($status: EventStatus!, $because: CitationKeyInput) {
      updateEvent(slug: "xi-visit-to-south-korea", patch: { status: $status }, statusCitation: $because) {
        ${RESULT} ... on MutationUpdateEventSuccess { event { status revisions { edges { node { action statusCitation before after } } } } } } }`;
    const refused = await mutate('updateEvent', UPDATE, { status: 'SCHEDULED' });
    expect(refused).toMatchObject({ __typename: 'ValidationError', path: 'statusCitation', message: expect.stringMatching(/from PROPOSED to SCHEDULED needs the citation/) });
    const because = { article: 'bloomberg-south-korea-seeks-xi-visit', quote: 'Xi’s visit would be difficult this year but possible next year' };
    const wrong = await mutate('updateEvent', UPDATE, { status: 'SCHEDULED', because: { ...because, quote: 'not a quote of this event' } });
    expect(wrong).toMatchObject({ __typename: 'ValidationError', path: 'statusCitation' });
    const accepted = await mutate('updateEvent', UPDATE, { status: 'SCHEDULED', because });
    const last = nodesOf(accepted.event.revisions).at(-1);
    expect(accepted.event.status).toBe('SCHEDULED');
    expect(last).toMatchObject({ action: 'UPDATE', statusCitation: because, before: { status: 'PROPOSED' }, after: { status: 'SCHEDULED' } });
    // The article as the API names it, by slug; no internal id.
    expect(last.statusCitation).toEqual(because);
  });

  it('deleteEvent (admin) removes it; restoreEvent brings it back with the same id and its history', async () => {
    const before = await timeline.query('{ event(slug: "south-korean-stocks-rally") { id citations { totalCount } participants { totalCount } } }');
    const deleted = await mutate(
      'deleteEvent',
      `mutation { deleteEvent(slug: "south-korean-stocks-rally") { ${RESULT} ... on MutationDeleteEventSuccess { deleted { entityType slug id } } } }`,
      {},
      admin,
    );
    expect(deleted.deleted).toEqual({ entityType: 'EVENT', slug: 'south-korean-stocks-rally', id: before.data!.event.id });
    expect((await timeline.query('{ event(slug: "south-korean-stocks-rally") { id } }')).data!.event).toBeNull();
    const history = await timeline.query('{ history(type: EVENT, slug: "south-korean-stocks-rally") { edges { node { action author } } } }');
    expect(nodesOf(history.data!.history).map((r: any) => `${r.action} ${r.author}`)).toEqual(['CREATE seed', 'DELETE test-admin']);

    const restored = await mutate(
      'restoreEvent',
      `mutation { restoreEvent(slug: "south-korean-stocks-rally") { ${RESULT} ... on MutationRestoreEventSuccess { event { id citations { totalCount } participants { totalCount } revisions { edges { node { action } } } } } } }`,
      {},
      admin,
    );
    expect(restored.event).toEqual({
      id: before.data!.event.id,
      citations: before.data!.event.citations,
      participants: before.data!.event.participants,
      revisions: edgesOf([{ action: 'CREATE' }, { action: 'DELETE' }, { action: 'RESTORE' }]),
    });
  });

  it.each([
    ['an unknown actor', { participants: [{ actor: 'kim-jong-il', role: 'HOST', supportedBy: [0] }] }, 'participants[0].actor', 'unknown actor "kim-jong-il"'],
    ['an impossible date', { start: '2023-02-30' }, 'start', '"2023-02-30" does not exist: 2023-02 has 28 days'],
    ['an empty quote', { citations: [{ article: 'bloomberg-south-korea-seeks-xi-visit', quote: '  ' }] }, 'citations[0].quote', 'must not be empty'],
    ['no citation', { citations: [] }, 'citations', 'every event needs at least one citation'],
    ['a bad slug', { slug: 'Not A Slug' }, 'slug', 'must be lowercase kebab-case, like "xi-jinping"'],
    ['an end before the start', { end: '2023-08' }, 'end', '2023-08 is before start 2023-09'],
  ])('createEvent rejects %s with a ValidationError naming the field, and writes nothing', async (_case, change, path, message) => {
    const before = await dumpTables(timeline.database);
    const result = await mutate('createEvent', CREATE_EVENT, { input: { ...newEvent, ...change } });
    expect(result).toMatchObject({ __typename: 'ValidationError', path, message });
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('the seed loader rejects the same record with the same message', async () => {
    const bad = { ...newEvent, participants: [{ actor: 'kim-jong-il', role: 'HOST', supportedBy: [0] }] };
    const api = await mutate('createEvent', CREATE_EVENT, { input: bad });
    const raw = readSeedFiles();
    raw.events.records.push(bad);
    let seedMessage = '';
    try {
      validateSeed(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(SeedError);
      seedMessage = (error as SeedError).problems.map((p) => p.message).join('\n');
    }
    expect(seedMessage).toContain(`${api.path}: ${api.message}`);
    // And a record the API accepts, the seed loader accepts too.
    expect(parseRecord(eventDefinition, newEvent).slug).toBe(newEvent.slug);
    const data = validateSeed({ ...raw, events: { ...raw.events, records: [...raw.events.records.slice(0, -1), newEvent] } });
    expect((await loadSeed(timeline.database, data)).changes).toBe(1);
  });

  it.each([
    ['createEvent with a taken slug', `mutation { createEvent(input: { slug: "camp-david-summit", title: "x", kind: SUMMIT, status: OCCURRED, start: "2023", dateBasis: STATED, dateSupport: [0], citations: [{ article: "bloomberg-south-korea-seeks-xi-visit", quote: "in August" }] }) { ${RESULT} } }`, 'createEvent', editor, { __typename: 'ConflictError', message: 'There is already an event with the slug "camp-david-summit".' }],
    ['updateEvent of an unknown slug', `mutation { updateEvent(slug: "no-such-event", patch: { title: "x" }) { ${RESULT} } }`, 'updateEvent', editor, { __typename: 'NotFoundError', entity: 'Event', slug: 'no-such-event' }],
    ['deleteEvent of an unknown slug', `mutation { deleteEvent(slug: "no-such-event") { ${RESULT} } }`, 'deleteEvent', admin, { __typename: 'NotFoundError' }],
    ['deleteEvent of an event others link to', `mutation { deleteEvent(slug: "trilateral-summit-revival") { ${RESULT} } }`, 'deleteEvent', admin, { __typename: 'ConflictError', message: expect.stringMatching(/relation\(s\) from other events/) }],
    ['restoreEvent of a live event', `mutation { restoreEvent(slug: "camp-david-summit") { ${RESULT} } }`, 'restoreEvent', admin, { __typename: 'ConflictError' }],
    ['restoreEvent of an event never deleted', `mutation { restoreEvent(slug: "never-existed") { ${RESULT} } }`, 'restoreEvent', admin, { __typename: 'NotFoundError' }],
  ])('%s is a typed error and writes nothing', async (_case, document, field, options, expected) => {
    const before = await dumpTables(timeline.database);
    expect(await mutate(field, document, {}, options)).toMatchObject(expected);
    expect(await dumpTables(timeline.database)).toEqual(before);
  });
});

describe('actors, places, sources and articles', () => {
  it('create, update, upsert, delete and restore each, with a revision for every write', async () => {
    const run = (field: string, document: string, options: { token?: string } = editor) => mutate(field, document, {}, options);
    await run('createSource', `mutation { createSource(input: { slug: "kbs", name: "KBS" }) { ${RESULT} } }`);
    await run('createActor', `mutation { createActor(input: { slug: "park-jin", name: "Park Jin", kind: PERSON, affiliations: [{ actor: "south-korea", role: "Foreign minister" }] }) { ${RESULT} } }`);
    await run('createPlace', `mutation { createPlace(input: { slug: "new-york", name: "New York", country: "united-states" }) { ${RESULT} } }`);
    await run('createArticle', `mutation { createArticle(input: { slug: "kbs-report", title: "A report", source: "kbs", publishedOn: "2023-09-26" }) { ${RESULT} } }`);
    await run('updateActor', `mutation { updateActor(slug: "park-jin", patch: { description: "Foreign minister of South Korea." }) { ${RESULT} } }`);
    await run('upsertPlace', `mutation { upsertPlace(input: { slug: "new-york", name: "New York City", country: "united-states" }) { ${RESULT} } }`);
    await run('updateSource', `mutation { updateSource(slug: "kbs", patch: { name: "Korean Broadcasting System" }) { ${RESULT} } }`);
    await run('updateArticle', `mutation { updateArticle(slug: "kbs-report", patch: { publishedOn: "2023-09" }) { ${RESULT} } }`);

    const read = await timeline.query(`{
      actor(slug: "park-jin") { description affiliations { role organization { slug } } revisions { edges { node { action author } } } }
      place(slug: "new-york") { name country { slug } revisions { edges { node { action } } } }
      source(slug: "kbs") { name articles { edges { node { slug publishedOn { iso precision } revisions { edges { node { action } } } } } } revisions { edges { node { action } } } }
    }`);
    expect(read.data).toEqual({
      actor: {
        description: 'Foreign minister of South Korea.',
        affiliations: [{ role: 'Foreign minister', organization: { slug: 'south-korea' } }],
        revisions: edgesOf([{ action: 'CREATE', author: 'test-editor' }, { action: 'UPDATE', author: 'test-editor' }]),
      },
      place: { name: 'New York City', country: { slug: 'united-states' }, revisions: edgesOf([{ action: 'CREATE' }, { action: 'UPDATE' }]) },
      source: {
        name: 'Korean Broadcasting System',
        articles: { edges: [{ node: { slug: 'kbs-report', publishedOn: { iso: '2023-09', precision: 'MONTH' }, revisions: edgesOf([{ action: 'CREATE' }, { action: 'UPDATE' }]) } }] },
        revisions: edgesOf([{ action: 'CREATE' }, { action: 'UPDATE' }]),
      },
    });

    // The source still has an article: deleting it first is refused.
    expect(await run('deleteSource', `mutation { deleteSource(slug: "kbs") { ${RESULT} } }`, admin)).toMatchObject({
      __typename: 'ConflictError',
      message: expect.stringMatching(/still used by 1 article/),
    });
    for (const [field, slug] of [['deleteArticle', 'kbs-report'], ['deleteSource', 'kbs'], ['deletePlace', 'new-york'], ['deleteActor', 'park-jin']]) {
      expect(await run(field!, `mutation { ${field}(slug: "${slug}") { ${RESULT} } }`, admin)).toMatchObject({ __typename: expect.stringMatching(/Success$/) });
    }
    for (const [field, slug] of [['restoreActor', 'park-jin'], ['restorePlace', 'new-york'], ['restoreSource', 'kbs'], ['restoreArticle', 'kbs-report']]) {
      expect(await run(field!, `mutation { ${field}(slug: "${slug}") { ${RESULT} } }`, admin)).toMatchObject({ __typename: expect.stringMatching(/Success$/) });
    }
    const again = await timeline.query('{ source(slug: "kbs") { articles { totalCount } revisions { edges { node { action } } } } actor(slug: "park-jin") { affiliations { role } } }');
    expect(again.data).toEqual({
      source: { articles: { totalCount: 1 }, revisions: edgesOf([{ action: 'CREATE' }, { action: 'UPDATE' }, { action: 'DELETE' }, { action: 'RESTORE' }]) },
      actor: { affiliations: [{ role: 'Foreign minister' }] },
    });
  });

  it('a place country must be a COUNTRY, and an actor in use cannot be deleted', async () => {
    expect(await mutate('createPlace', `mutation { createPlace(input: { slug: "x", name: "X", country: "xi-jinping" }) { ${RESULT} } }`)).toMatchObject({
      __typename: 'ValidationError',
      path: 'country',
      message: '"xi-jinping" is a PERSON, not a COUNTRY',
    });
    expect(await mutate('deleteActor', `mutation { deleteActor(slug: "xi-jinping") { ${RESULT} } }`, {}, admin)).toMatchObject({
      __typename: 'ConflictError',
      message: expect.stringMatching(/still used by \d+ event participation/),
    });
  });
});

describe('citations, participants and links', () => {
  const EVENT = '{ event(slug: "cho-tae-yong-mbn-interview") { citations { edges { node { id quote creditedSource { slug } } } } participants { edges { role node { slug } } } related { type to { slug } } revisions { edges { node { action author } } } } }';

  it('add, update and delete a citation; each is a revision of its event', async () => {
    const added = await mutate(
      'addCitation',
      `mutation { addCitation(event: "cho-tae-yong-mbn-interview", citation: { article: "bloomberg-south-korea-seeks-xi-visit", quote: "This is the goal we must achieve.", credits: "mbn" }) { ${RESULT} ... on MutationAddCitationSuccess { citation { id quote creditedSource { slug } event { slug } } } } }`,
    );
    expect(added.citation).toMatchObject({ quote: 'This is the goal we must achieve.', creditedSource: { slug: 'mbn' }, event: { slug: 'cho-tae-yong-mbn-interview' } });
    const updated = await mutate(
      'updateCitation',
      `mutation ($id: ID!) { updateCitation(id: $id, patch: { credits: null }) { ${RESULT} ... on MutationUpdateCitationSuccess { citation { quote creditedSource { slug } } } } }`,
      { id: added.citation.id },
    );
    expect(updated.citation).toEqual({ quote: 'This is the goal we must achieve.', creditedSource: null });
    const deleted = await mutate(
      'deleteCitation',
      `mutation ($id: ID!) { deleteCitation(id: $id) { ${RESULT} ... on MutationDeleteCitationSuccess { event { citations { totalCount } } } } }`,
      { id: (await timeline.query(EVENT)).data!.event.citations.edges.at(-1).node.id },
      admin,
    );
    expect(deleted.event.citations.totalCount).toBe(2);
    const revisions = nodesOf((await timeline.query(EVENT)).data!.event.revisions);
    expect(revisions.map((r: any) => `${r.action} ${r.author}`)).toEqual(['CREATE seed', 'UPDATE test-editor', 'UPDATE test-editor', 'UPDATE test-admin']);
  });

  it('will not delete an event’s last citation', async () => {
    const event = (await timeline.query('{ event(slug: "china-south-korea-diplomatic-ties") { citations { edges { node { id } } } } }')).data!.event;
    expect(event.citations.edges).toHaveLength(1);
    const result = await mutate('deleteCitation', `mutation ($id: ID!) { deleteCitation(id: $id) { ${RESULT} } }`, { id: event.citations.edges[0].node.id }, admin);
    expect(result).toMatchObject({ __typename: 'ValidationError', path: 'citations', message: 'every event needs at least one citation' });
  });

  it('add, update and remove a participant', async () => {
    const q = (field: string, args: string, options: { token?: string } = editor) => mutate(field, `mutation { ${field}(${args}) { ${RESULT} } }`, {}, options);
    expect(await q('addParticipant', 'event: "cho-tae-yong-mbn-interview", actor: "south-korea", role: SUBJECT, basis: OUTSIDE, note: "Test."')).toMatchObject({ __typename: 'MutationAddParticipantSuccess' });
    // The interview already had one participant; the repeat would be the third.
    expect(await q('addParticipant', 'event: "cho-tae-yong-mbn-interview", actor: "south-korea", role: HOST, basis: OUTSIDE, note: "Test."')).toMatchObject({ __typename: 'ValidationError', path: 'participants[2]', message: 'duplicate participant' });
    expect(await q('updateParticipant', 'event: "cho-tae-yong-mbn-interview", actor: "south-korea", role: HOST, basis: OUTSIDE, note: "Test."')).toMatchObject({ __typename: 'MutationUpdateParticipantSuccess' });
    expect((await timeline.query(EVENT)).data!.event.participants.edges).toEqual([
      { role: 'SPEAKER', node: { slug: 'cho-tae-yong' } },
      { role: 'HOST', node: { slug: 'south-korea' } },
    ]);
    expect(await q('updateParticipant', 'event: "cho-tae-yong-mbn-interview", actor: "japan", role: HOST')).toMatchObject({ __typename: 'NotFoundError', entity: 'Participant' });
    expect(await q('removeParticipant', 'event: "cho-tae-yong-mbn-interview", actor: "south-korea"', admin)).toMatchObject({ __typename: 'MutationRemoveParticipantSuccess' });
    expect((await timeline.query(EVENT)).data!.event.participants.edges).toHaveLength(1);
  });

  it('add and delete a link between events', async () => {
    const q = (field: string, options: { token?: string } = editor) =>
      mutate(field, `mutation { ${field}(from: "cho-tae-yong-mbn-interview", type: PREPARES, to: "xi-visit-to-south-korea") { ${RESULT} } }`, {}, options);
    expect(await q('addEventRelation')).toMatchObject({ __typename: 'MutationAddEventRelationSuccess' });
    expect((await timeline.query(EVENT)).data!.event.related).toEqual([{ type: 'PREPARES', to: { slug: 'xi-visit-to-south-korea' } }]);
    expect(await q('deleteEventRelation', admin)).toMatchObject({ __typename: 'MutationDeleteEventRelationSuccess' });
    expect(await q('deleteEventRelation', admin)).toMatchObject({ __typename: 'NotFoundError', entity: 'EventRelation' });
    expect((await timeline.query(EVENT)).data!.event.related).toEqual([]);
  });
});

describe('who may write', () => {
  const WRITES = [
    ['createSource', 'mutation { createSource(input: { slug: "kbs", name: "KBS" }) { __typename } }'],
    ['updateEvent', 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "x" }) { __typename } }'],
    ['addParticipant', 'mutation { addParticipant(event: "camp-david-summit", actor: "china", role: SUBJECT) { __typename } }'],
    ['deleteEvent', 'mutation { deleteEvent(slug: "south-korean-stocks-rally") { __typename } }'],
  ] as const;

  it.each([
    ['no token', undefined, 'UNAUTHENTICATED'],
    ['an unknown token', 'not-a-token', 'UNAUTHENTICATED'],
    ['a read-only token', TEST_TOKENS.reader, 'FORBIDDEN'],
  ])('with %s, every write is refused and nothing is written', async (_case, token, code) => {
    const before = await dumpTables(timeline.database);
    for (const [field, document] of WRITES) {
      const response = await timeline.query(document, {}, { token });
      expect(response.errors?.[0], field).toMatchObject({ extensions: { code }, path: [field] });
    }
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it('an editor token may not delete', async () => {
    const response = await timeline.query('mutation { deleteEvent(slug: "south-korean-stocks-rally") { __typename } }', {}, editor);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/test-editor.*may not use deleteEvent/) });
  });

  it('reads need no token', async () => {
    const response = await timeline.query('{ events(first: 1) { totalCount } }');
    expect(response.data!.events.totalCount).toBeGreaterThan(0);
  });
});

describe('typed errors for every kind of record, with nothing written', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['createActor', 'mutation { createActor(input: { slug: "xi-jinping", name: "Xi", kind: PERSON }) { RESULT } }', { __typename: 'ConflictError' }],
    ['createActor', 'mutation { createActor(input: { slug: "a", name: "A", kind: PERSON, affiliations: [{ actor: "atlantis", role: "King" }] }) { RESULT } }', { __typename: 'ValidationError', path: 'affiliations[0].actor', message: 'unknown actor "atlantis"' }],
    ['updateActor', 'mutation { updateActor(slug: "nobody", patch: { name: "N" }) { RESULT } }', { __typename: 'NotFoundError', entity: 'Actor' }],
    ['updateActor', 'mutation { updateActor(slug: "han-duck-soo", patch: { affiliations: [{ actor: "han-duck-soo", role: "Self" }] }) { RESULT } }', { __typename: 'ValidationError', path: 'affiliations[0].actor', message: 'an actor cannot be affiliated with itself' }],
    ['createPlace', 'mutation { createPlace(input: { slug: "seoul", name: "Seoul" }) { RESULT } }', { __typename: 'ConflictError' }],
    ['updatePlace', 'mutation { updatePlace(slug: "seoul", patch: { name: "  " }) { RESULT } }', { __typename: 'ValidationError', path: 'name', message: 'must not be empty' }],
    ['deletePlace', 'mutation { deletePlace(slug: "hangzhou") { RESULT } }', { __typename: 'ConflictError', message: expect.stringMatching(/still used by 2 event/) }],
    ['createSource', 'mutation { createSource(input: { slug: "BBC", name: "BBC" }) { RESULT } }', { __typename: 'ValidationError', path: 'slug' }],
    ['updateSource', 'mutation { updateSource(slug: "nowhere", patch: { name: "N" }) { RESULT } }', { __typename: 'NotFoundError', entity: 'Source' }],
    ['deleteSource', 'mutation { deleteSource(slug: "yonhap") { RESULT } }', { __typename: 'ConflictError', message: expect.stringMatching(/citation credit/) }],
    ['createArticle', 'mutation { createArticle(input: { slug: "x", title: "X", source: "nowhere", publishedOn: "2023" }) { RESULT } }', { __typename: 'ValidationError', path: 'source', message: 'unknown source "nowhere"' }],
    ['createArticle', 'mutation { createArticle(input: { slug: "x", title: "X", source: "bloomberg", publishedOn: "2023-9" }) { RESULT } }', { __typename: 'ValidationError', path: 'publishedOn' }],
    ['updateArticle', 'mutation { updateArticle(slug: "bloomberg-south-korea-seeks-xi-visit", patch: { slug: "south-korea-china-relations-yoon-seeks-xi-visit" }) { RESULT } }', { __typename: 'ConflictError' }],
    ['deleteArticle', 'mutation { deleteArticle(slug: "bloomberg-south-korea-seeks-xi-visit") { RESULT } }', { __typename: 'ConflictError', message: expect.stringMatching(/citation/) }],
    ['restoreActor', 'mutation { restoreActor(slug: "xi-jinping") { RESULT } }', { __typename: 'ConflictError' }],
    ['addCitation', 'mutation { addCitation(event: "camp-david-summit", citation: { article: "nope", quote: "q" }) { RESULT } }', { __typename: 'ValidationError', path: 'citations[3].article', message: 'unknown article "nope"' }],
    ['addCitation', 'mutation { addCitation(event: "no-such-event", citation: { article: "bloomberg-south-korea-seeks-xi-visit", quote: "q" }) { RESULT } }', { __typename: 'NotFoundError', entity: 'Event' }],
    ['updateCitation', 'mutation { updateCitation(id: "Q2l0YXRpb246OTk5OTk=", patch: { quote: "q" }) { RESULT } }', { __typename: 'NotFoundError', entity: 'Citation' }],
    ['addEventRelation', 'mutation { addEventRelation(from: "camp-david-summit", type: PRECEDES, to: "camp-david-summit") { RESULT } }', { __typename: 'ValidationError', message: 'an event cannot relate to itself' }],
    ['addParticipant', 'mutation { addParticipant(event: "camp-david-summit", actor: "atlantis", role: HOST, basis: OUTSIDE, note: "Test.") { RESULT } }', { __typename: 'ValidationError', message: 'unknown actor "atlantis"' }],
  ];

  it.each(cases)('%s: %s', async (field, document, expected) => {
    const before = await dumpTables(timeline.database);
    const result = await mutate(field, document.replace('RESULT', RESULT), {}, admin);
    expect(result).toMatchObject(expected);
    expect(await dumpTables(timeline.database)).toEqual(before);
  });
});
