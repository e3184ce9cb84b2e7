import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestTimeline, TEST_TOKENS } from './helpers.js';

const timeline = await openTestTimeline();
afterAll(() => timeline.close());

const EDITS = 5;

beforeAll(async () => {
  for (let i = 1; i <= EDITS; i++) {
    const response = await timeline.query(
      `mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Camp David, edit ${i}" }) { __typename } }`,
      {},
      { token: TEST_TOKENS.editor },
    );
    expect(response.data).toEqual({ updateEvent: { __typename: 'MutationUpdateEventSuccess' } });
  }
});

const REVISIONS = /* GraphQL */ `
  query ($first: Int, $after: String, $last: Int, $before: String) {
    event(slug: "camp-david-summit") {
      revisions(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        edges { cursor node { action author after } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`;

async function revisions(variables: Record<string, unknown>) {
  const response = await timeline.query(REVISIONS, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.event.revisions;
}

describe("a record's revisions", () => {
  it('are a connection, oldest first, with the total count, readable without a token', async () => {
    const page = await revisions({ first: 3 });
    expect(page.totalCount).toBe(EDITS + 1);
    expect(page.edges.map((edge: any) => `${edge.node.action} ${edge.node.author}`)).toEqual(['CREATE seed', 'UPDATE test-editor', 'UPDATE test-editor']);
    expect(page.edges[1].node.after.title).toBe('Camp David, edit 1');
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('page forwards and backwards through the same sequence', async () => {
    const titles = (page: any) => page.edges.map((edge: any) => edge.node.after.title);
    const all = titles(await revisions({ first: 100 }));
    expect(all).toHaveLength(EDITS + 1);
    const forwards: string[] = [];
    for (let after: string | null = null, more = true; more; ) {
      const page = await revisions({ first: 2, after });
      forwards.push(...titles(page));
      more = page.pageInfo.hasNextPage;
      after = page.pageInfo.endCursor;
    }
    expect(forwards).toEqual(all);
    const backwards: string[] = [];
    for (let before: string | null = null, more = true; more; ) {
      const page = await revisions({ last: 2, before });
      backwards.unshift(...titles(page));
      more = page.pageInfo.hasPreviousPage;
      before = page.pageInfo.startCursor;
    }
    expect(backwards).toEqual(all);
  });

  it('give 20 by default and refuse pages over 100', async () => {
    const response = await timeline.query('{ events(first: 1) { edges { node { revisions(first: 101) { totalCount } } } } }');
    expect(response.errors?.[0]?.message).toMatch(/"first" of Event\.revisions must be between 0 and 100; got 101/);
    for (const field of ['actor(slug: "china")', 'place(slug: "seoul")', 'source(slug: "reuters")']) {
      const listed = await timeline.query(`{ ${field} { revisions { totalCount edges { node { action } } } } }`);
      expect(listed.errors, field).toBeUndefined();
      const connection = Object.values(listed.data!)[0].revisions;
      expect(connection.totalCount, field).toBeGreaterThan(0);
      expect(connection.edges.length, field).toBe(Math.min(20, connection.totalCount));
    }
  });

  it('cost as much as the records they carry: a hundred pages of a hundred records is refused up front', async () => {
    const response = await timeline.query('{ events(first: 100) { edges { node { revisions(first: 100) { edges { node { before after } } } } } } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/complexity is \d+; the limit is 250000/);
    const one = await timeline.query('{ event(slug: "camp-david-summit") { revisions(first: 100) { edges { node { before after } } } } }');
    expect(one.errors).toBeUndefined();
  });

  it("refuse another record type's revision cursor", async () => {
    const place = await timeline.query('{ place(slug: "seoul") { revisions { edges { cursor } } } }');
    const cursor = place.data!.place.revisions.edges[0].cursor;
    const response = await timeline.query('query ($c: String) { event(slug: "camp-david-summit") { revisions(after: $c) { totalCount } } }', { c: cursor });
    expect(response.errors?.[0]?.message).toMatch(/"after" of Event\.revisions is not a cursor of Event\.revisions; it was issued by Place\.revisions/);
  });
});

describe('history(type, slug)', () => {
  it('is a connection of every revision, oldest first, including those of a deleted record', async () => {
    const deleted = await timeline.query('mutation { deleteEvent(slug: "south-korean-stocks-rally") { __typename } }', {}, { token: TEST_TOKENS.admin });
    expect(deleted.errors).toBeUndefined();
    const response = await timeline.query('{ history(type: EVENT, slug: "south-korean-stocks-rally") { totalCount edges { node { action author } } } }');
    expect(response.data!.history).toEqual({
      totalCount: 2,
      edges: [{ node: { action: 'CREATE', author: 'seed' } }, { node: { action: 'DELETE', author: 'test-admin' } }],
    });
  });

  it('pages, and refuses pages over 100', async () => {
    const first = await timeline.query('{ history(type: EVENT, slug: "camp-david-summit", first: 2) { edges { node { after } } pageInfo { endCursor hasNextPage } } }');
    expect(first.data!.history.pageInfo.hasNextPage).toBe(true);
    const next = await timeline.query('query ($c: String) { history(type: EVENT, slug: "camp-david-summit", first: 2, after: $c) { edges { node { after } } } }', {
      c: first.data!.history.pageInfo.endCursor,
    });
    expect(next.data!.history.edges.map((edge: any) => edge.node.after.title)).toEqual(['Camp David, edit 2', 'Camp David, edit 3']);
    const refused = await timeline.query('{ history(type: EVENT, slug: "camp-david-summit", first: 500) { totalCount } }');
    expect(refused.errors?.[0]?.message).toMatch(/"first" of Query\.history must be between 0 and 100; got 500/);
  });
});
