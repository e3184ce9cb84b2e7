import { afterAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../src/seed/load.js';
import { openTestTimeline, syntheticTimeline } from './helpers.js';

const timeline = openTestTimeline({ seed: false });
loadSeed(timeline.database.db, syntheticTimeline(150));
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
});
