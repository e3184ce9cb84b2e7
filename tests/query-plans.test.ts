import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedSynthetic } from '../bench/synthetic.js';
import { Q1_QUERY, Q2_QUERY } from '../bench/workloads.js';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';

const path = join(mkdtempSync(join(tmpdir(), 'timeline-plans-')), 'synthetic.db');
seedSynthetic(path, 2_000);

/** The query plan SQLite chooses for the one statement a GraphQL request runs. */
async function planOf(body: object): Promise<string> {
  const statements: { sql: string; params: unknown[] }[] = [];
  const handle = openDatabase(path, { logger: { logQuery: (sql, params) => statements.push({ sql, params }) } });
  const yoga = createTimelineYoga({ db: handle.db, responseCache: false });
  statements.length = 0; // opening runs the migration check
  const response = await yoga.fetch(new Request('http://plans/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  expect(statements).toHaveLength(1);
  const { sql, params } = statements[0]!;
  const plan = (handle.db.$client.prepare(`explain query plan ${sql}`).all(...(params as never[])) as { detail: string }[]).map((row) => row.detail);
  handle.close();
  return plan.join('\n');
}

describe('query plans of the hot queries', () => {
  it('a date-window page searches the date index from near the window, never scanning all events', async () => {
    const plan = await planOf({ query: Q1_QUERY, variables: { from: '2020', to: '2020', first: 50 } });
    expect(plan).toMatch(/SEARCH d0 USING INDEX events_date_order_idx \(earliest>\?/);
    expect(plan).not.toMatch(/SCAN d0\b/);
    // Participants and citations of each event come through their event-id indexes.
    expect(plan).toMatch(/participations_event_actor_unique/);
    expect(plan).toMatch(/SEARCH .*citations.* USING INDEX|citations_event_article_quote_unique/);
  });

  it("an actor's timeline starts from the actor's participations", async () => {
    const plan = await planOf({ query: Q2_QUERY, variables: { slug: 'actor-3' } });
    expect(plan).toMatch(/actors_slug_unique/);
    expect(plan).toMatch(/participations_actor_event_idx/);
  });
});
