import { createSchema } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { recordReads } from '../src/server/answer-reads.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_TOKEN_STORE } from './helpers.js';
import { type Ids, QUERIES, tokenFor, WRITES } from './wide-queries.js';

/**
 * The response cache keeps an answer through a write it judges cannot change it. Here every kind
 * of write is made in turn, and after each one every query of a wide set, which reaches each
 * record's fields and lists from every side, must answer through the cache exactly as a server
 * without one answers: no write may leave a stale answer behind.
 */

let database: DatabaseHandle;
let ask: (cached: boolean, query: string, variables?: Record<string, unknown>, token?: string) => Promise<{ cache: string | null; body: any }>;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDatabase(database);
  const servers = {
    cached: createTimelineYoga({ database, tokens: TEST_TOKEN_STORE }),
    uncached: createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, responseCache: false }),
  };
  ask = async (cached, query, variables, token) => {
    const response = await servers[cached ? 'cached' : 'uncached'].fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      }),
    );
    return { cache: response.headers.get('x-cache'), body: await response.json() };
  };
});
afterAll(async () => {
  await database.close();
});

describe('the response cache through every kind of write', () => {
  it('answers every query after each write as a server without the cache does', async () => {
    const { body } = await ask(false, '{ event(slug: "camp-david-summit") { citations(first: 1) { edges { node { id } } } } }');
    const ids: Ids = { campDavidCitation: body.data.event.citations.edges[0].node.id };
    const compare = async (after: string) => {
      const hits: string[] = [];
      for (const [name, query] of Object.entries(QUERIES)) {
        const cached = await ask(true, query);
        const fresh = await ask(false, query);
        expect(fresh.body.errors, `${name} after ${after}`).toBeUndefined();
        expect(cached.body, `${name} after ${after}`).toEqual(fresh.body);
        if (cached.cache === 'HIT') hits.push(name);
      }
      return hits;
    };
    await compare('the seed');
    const kept: Record<string, string[]> = {};
    for (const write of WRITES) {
      const result = await ask(false, write.mutation, write.variables?.(ids), tokenFor(write));
      const payload = Object.values(result.body.data ?? {})[0] as { __typename: string; message?: string } | undefined;
      expect(`${write.name}: ${payload?.__typename} ${payload?.message ?? (result.body.errors ? JSON.stringify(result.body.errors) : '')}`).toMatch(/: \w+Success $/);
      kept[write.name] = await compare(write.name);
    }
    // The cache did keep answers through writes that could not change them (else this proves little).
    expect(kept.createEvent).toEqual(expect.arrayContaining(['campDavid', 'hangzhou', 'netherlands', 'lateSeptember']));
    expect(kept['updateEvent (title, date)']).toEqual(expect.arrayContaining(['ties', 'hangzhou', 'nineties', 'china']));
    expect(kept.updateActor).toEqual([]);
  }, 180_000);
});

describe('what the response cache knows of each field', () => {
  it('refuses to serve a schema whose record types have a field it has not been told about', () => {
    const typeDefs = (extra: string) => `type Event { id: ID! slug: String! relatedFrom: [Event!]! ${extra} } type Query { event(slug: String!): Event }`;
    expect(() => recordReads(createSchema({ typeDefs: typeDefs('') }))).not.toThrow();
    expect(() => recordReads(createSchema({ typeDefs: typeDefs('sameDay: [Event!]!') }))).toThrow(/Event\.sameDay is not in FIELDS_OF_RECORDS/);
  });
});
