import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Q1_QUERY, Q4_QUERY } from '../bench/workloads.js';
import type { DatabaseHandle } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase } from './helpers.js';

/**
 * Yoga parses and validates a document once and remembers both (its parser and validation
 * cache). The cache misses if a plugin adds a validation rule of its own per request or hands
 * over another schema: here the service's own plugin chain is asked twice, as two requests
 * would ask it, and must answer the second time from what it kept.
 */

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase({ seeded: true });
});
afterAll(() => database.close());

describe('the per-document caches', () => {
  it.each([
    ['Q1', Q1_QUERY],
    ['Q4', Q4_QUERY],
  ])('parse and validate %s once for two requests', (_name, query) => {
    const yoga = createTimelineYoga({ database, responseCache: false });
    const requestOnce = () => {
      const request = new Request('http://timeline.test/graphql', { method: 'POST' });
      const enveloped = yoga.getEnveloped({ request, params: { query } });
      const document = enveloped.parse(query);
      return { document, errors: enveloped.validate(enveloped.schema, document) };
    };
    const first = requestOnce();
    const second = requestOnce();
    expect(first.errors).toEqual([]);
    expect(second.document).toBe(first.document);
    expect(second.errors).toBe(first.errors);
  });

  it('keeps a document apart from another', () => {
    const yoga = createTimelineYoga({ database, responseCache: false });
    const enveloped = yoga.getEnveloped({ request: new Request('http://timeline.test/graphql', { method: 'POST' }) });
    expect(enveloped.parse(Q1_QUERY)).not.toBe(enveloped.parse(Q4_QUERY));
  });
});
