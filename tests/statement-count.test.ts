import { afterAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../src/seed/load.js';
import { openTestTimeline, syntheticTimeline } from './helpers.js';

const timeline = await openTestTimeline({ seed: false });
await loadSeed(timeline.database, syntheticTimeline(150));
afterAll(() => timeline.close());

const NESTED = /* GraphQL */ `
  query ($first: Int!) {
    events(first: $first) {
      totalCount
      edges { node {
        title
        participants(first: 10) { totalCount edges { role node { name
          events(first: 5) { totalCount edges { node { title
            citations(first: 5) { totalCount edges { node { quote article { title source { name } } } } }
          } } }
        } } }
      } }
    }
  }
`;

async function statementsFor(first: number) {
  timeline.resetStatements();
  const response = await timeline.query(NESTED, { first });
  expect(response.errors).toBeUndefined();
  expect(response.data!.events.edges).toHaveLength(first);
  return [...timeline.statements];
}

describe('SQL statements per request', () => {
  it('are the same, and few, for a page of 10 and a page of 100 (no N+1)', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    expect(hundred.length).toBe(ten.length);
    expect(ten.length).toBeLessThanOrEqual(3);
  });

  it('runs only the count when a connection selects only totalCount', async () => {
    timeline.resetStatements();
    const response = await timeline.query('{ events(filter: { kinds: [MEETING] }) { totalCount } }');
    expect(response.data).toEqual({ events: { totalCount: 150 } });
    expect(timeline.statements).toHaveLength(1);
    expect(timeline.statements[0]).toMatch(/^select count\(\*\)/);
  });

  it('count through relations correctly (totalCount and nested counts)', async () => {
    const response = await timeline.query(NESTED, { first: 1 });
    const event = response.data!.events.edges[0].node;
    expect(response.data!.events.totalCount).toBe(150);
    expect(event.participants.totalCount).toBe(3);
    // Event i's participants are actors i, i+1 and i+2 (mod 12); event 0's first is actor 0.
    const actorEvents = event.participants.edges[0].node.events;
    const eventsOfActor0 = Array.from({ length: 150 }, (_, i) => i).filter((i) => [0, 1, 2].includes((12 - (i % 12)) % 12));
    expect(event.participants.edges[0].node.name).toBe('Actor 0');
    expect(actorEvents.totalCount).toBe(eventsOfActor0.length);
    expect(actorEvents.edges[0].node.citations.totalCount).toBe(2);
  });

  it('are the same for revisions under a page of 10 and of 100', async () => {
    const REVISIONS = 'query ($first: Int!) { events(first: $first) { edges { node { revisions(first: 5) { totalCount edges { cursor node { action after } } } } } } }';
    const count = async (first: number) => {
      timeline.resetStatements();
      const response = await timeline.query(REVISIONS, { first });
      expect(response.errors).toBeUndefined();
      expect(response.data!.events.edges[0].node.revisions.totalCount).toBe(1);
      return timeline.statements.length;
    };
    expect(await count(100)).toBe(await count(10));
    expect(await count(10)).toBeLessThanOrEqual(2);
  });

  it('stay the same on later pages, whose cursors are bound to their connections', async () => {
    const first = await timeline.query(NESTED, { first: 10 });
    const actorEvents = first.data!.events.edges[0].node.participants.edges[0].node.events;
    expect(actorEvents.totalCount).toBeGreaterThan(5);
    const LATER = NESTED.replace('query ($first: Int!)', 'query ($first: Int!, $after: String, $actorAfter: String)')
      .replace('events(first: $first)', 'events(first: $first, after: $after)')
      .replace('events(first: 5)', 'events(first: 5, after: $actorAfter)')
      .replace('edges { node {\n          title', 'edges { cursor node {\n          title');
    const page = async (variables: Record<string, unknown>) => {
      timeline.resetStatements();
      const response = await timeline.query(LATER, { first: 10, ...variables });
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return timeline.statements.length;
    };
    const cursors = await timeline.query('{ events(first: 10) { pageInfo { endCursor } } actor(slug: "actor-0") { events(first: 5) { pageInfo { endCursor } } } }');
    const after = cursors.data!.events.pageInfo.endCursor;
    const actorAfter = cursors.data!.actor.events.pageInfo.endCursor;
    expect(await page({ after, actorAfter })).toBe(await page({}));
  });

  it('are the same for reportedBy under a page of 10 and of 100: the citations load in the events\' own statement', async () => {
    const REPORTED_BY = 'query ($first: Int!) { events(first: $first) { edges { node { reportedBy { articleCount outletCount independentOutlets { name } } } } } }';
    const count = async (first: number) => {
      timeline.resetStatements();
      const response = await timeline.query(REPORTED_BY, { first });
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      expect(response.data!.events.edges).toHaveLength(first);
      // Each synthetic event is cited, without credit, by the one article of the one outlet.
      expect(response.data!.events.edges[0].node.reportedBy).toEqual({ articleCount: 1, outletCount: 1, independentOutlets: [{ name: 'Outlet' }] });
      // The citations come in the events' own statement; the outlets' Source rows, if any, in one more for the whole page.
      const citing = timeline.statements.filter((statement) => statement.includes('"citations"'));
      expect(citing).toHaveLength(1);
      expect(citing[0]).toMatch(/ from "events" /);
      return timeline.statements.length;
    };
    const ten = await count(10);
    expect(await count(100)).toBe(ten);
    expect(ten).toBeLessThanOrEqual(2);
  });

  it('load no row again that a field loaded whole in the parent statement: supporting citations, outlets, participants', async () => {
    const LOADED_WHOLE = /* GraphQL */ `{
      events(first: 10) { edges { node {
        dateSupport { supportedBy { quote verified } }
        reportedBy { outlets { name slug } }
        participants(first: 3) { edges { supportedBy { quote } node { name } } }
      } } }
    }`;
    timeline.resetStatements();
    const response = await timeline.query(LOADED_WHOLE);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const event = response.data!.events.edges[0].node;
    expect(event.dateSupport.supportedBy.length).toBeGreaterThan(0);
    expect(event.dateSupport.supportedBy[0].quote).toEqual(expect.any(String));
    expect(event.reportedBy.outlets).toEqual([{ name: 'Outlet', slug: expect.any(String) }]);
    expect(event.participants.edges[0].supportedBy[0].quote).toEqual(expect.any(String));
    expect(timeline.statements).toHaveLength(1);
  });

  it("read only the columns the selected fields need, beside each record's id and slug", async () => {
    timeline.resetStatements();
    const response = await timeline.query('{ events(first: 3) { edges { node { title citations(first: 2) { edges { node { quote article { title } } } } } } } }');
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data!.events.edges[0].node.citations.edges[0].node.article.title).toEqual(expect.any(String));
    expect(timeline.statements).toHaveLength(1);
    const [statement] = timeline.statements;
    expect(statement).toMatch(/"title"/);
    expect(statement).toMatch(/"slug"/);
    // An event's summary and date columns, a citation's quote context, an article's date: none was asked for.
    for (const column of ['summary', 'start_iso', 'date_note', 'quote_prefix', 'quote_start', 'published_iso']) expect(statement).not.toContain(`"${column}"`);
  });

  it("load a participant's supporting citations only when supportedBy is asked for, however it is asked", async () => {
    timeline.resetStatements();
    const roles = await timeline.query('{ events(first: 3) { edges { node { participants(first: 3) { edges { role node { name } } } } } } }');
    expect(roles.errors, JSON.stringify(roles.errors)).toBeUndefined();
    expect(roles.data!.events.edges[0].node.participants.edges[0].role).toEqual(expect.any(String));
    expect(timeline.statements).toHaveLength(1);
    expect(timeline.statements[0]).not.toContain('"claim_supports"');

    // By name, under an alias, in an inline fragment and in a named one: each loads them, in the one statement.
    const asked = [
      '{ events(first: 3) { edges { node { participants(first: 3) { edges { supportedBy { quote } } } } } } }',
      '{ events(first: 3) { edges { node { participants(first: 3) { edges { evidence: supportedBy { quote } } } } } } }',
      '{ events(first: 3) { edges { node { participants(first: 3) { edges { ... on ParticipantEdge { supportedBy { quote } } } } } } } }',
      'query { events(first: 3) { edges { node { participants(first: 3) { ...Evidence } } } } } fragment Evidence on ParticipantConnection { edges { supportedBy { quote } } }',
      '{ events(first: 3) { edges { node { participants(first: 3) { roles: edges { role } edges { supportedBy { quote } } } } } } }',
    ];
    for (const document of asked) {
      timeline.resetStatements();
      const response = await timeline.query(document);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      const edge = response.data!.events.edges[0].node.participants.edges[0];
      expect((edge.supportedBy ?? edge.evidence)[0].quote, document).toEqual(expect.any(String));
      expect(timeline.statements, document).toHaveLength(1);
      expect(timeline.statements[0], document).toContain('"claim_supports"');
    }

    // The same page twice, once with them: the two load differently, so the second is a statement of its own.
    timeline.resetStatements();
    const both = await timeline.query(
      '{ events(first: 3) { edges { node { roles: participants(first: 3) { edges { role } } participants(first: 3) { edges { supportedBy { quote } } } } } } }',
    );
    expect(both.errors, JSON.stringify(both.errors)).toBeUndefined();
    expect(both.data!.events.edges[0].node.roles.edges[0].role).toEqual(expect.any(String));
    expect(both.data!.events.edges[0].node.participants.edges[0].supportedBy[0].quote).toEqual(expect.any(String));
    expect(timeline.statements).toHaveLength(2);
  });
});

