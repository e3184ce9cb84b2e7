import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';

function fileTimeline() {
  const path = join(mkdtempSync(join(tmpdir(), 'timeline-cache-')), 'timeline.db');
  const statements: string[] = [];
  const database = openDatabase(path, { logger: { logQuery: (sql) => statements.push(sql) } });
  seedDatabase(database.db);
  const yoga = createTimelineYoga({ db: database.db, tokens: TEST_TOKEN_STORE });
  const query = async (text: string, token?: string) => {
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: text }),
      }),
    );
    return (await response.json()) as { data?: any; errors?: any[] };
  };
  return { path, database, statements, query };
}

const TITLE = '{ event(slug: "camp-david-summit") { title participants(first: 3) { edges { role node { name } } } } }';

describe('the response cache', () => {
  it('answers a repeated query without touching the database', async () => {
    const { statements, query, database } = fileTimeline();
    const first = await query(TITLE);
    statements.length = 0;
    const second = await query(TITLE);
    expect(second).toEqual(first);
    expect(statements).toEqual([]);
    database.close();
  });

  it('sees a write made through the API at once', async () => {
    const { query, database } = fileTimeline();
    await query(TITLE);
    const write = await query('mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Changed here" }) { __typename } }', TEST_TOKENS.editor);
    expect(write.data!.updateEvent.__typename).toBe('MutationUpdateEventSuccess');
    expect((await query(TITLE)).data!.event.title).toBe('Changed here');
    database.close();
  });

  it('sees a write made by another connection (another process or worker) at once', async () => {
    const { path, query, database } = fileTimeline();
    expect((await query(TITLE)).data!.event.title).not.toBe('Changed elsewhere');
    const other = openDatabase(path);
    other.db.$client.prepare("update events set title = 'Changed elsewhere' where slug = 'camp-david-summit'").run();
    other.close();
    expect((await query(TITLE)).data!.event.title).toBe('Changed elsewhere');
    database.close();
  });

  it('keeps no answer that carried errors, and never caches a mutation', async () => {
    const { statements, query, database } = fileTimeline();
    await query('{ node(id: "bad") { id } event(slug: "camp-david-summit") { title } }');
    statements.length = 0;
    await query('{ node(id: "bad") { id } event(slug: "camp-david-summit") { title } }');
    expect(statements.length).toBeGreaterThan(0);
    const mutation = 'mutation { upsertSource(input: { slug: "kbs", name: "KBS" }) { __typename } }';
    await query(mutation, TEST_TOKENS.editor);
    statements.length = 0;
    await query(mutation, TEST_TOKENS.editor);
    expect(statements.length).toBeGreaterThan(0);
    database.close();
  });
});
