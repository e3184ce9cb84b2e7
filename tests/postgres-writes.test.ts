import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { DatabaseBusyError } from '../src/db/failures.js';
import { saveRecord } from '../src/editing/editor.js';
import { actorDefinition } from '../src/editing/entities.js';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const fresh = await freshPostgresDatabase();
const opened: DatabaseHandle[] = [];
async function instance(options: Parameters<typeof openDatabase>[1] = {}) {
  const database = await openDatabase(fresh.url, options);
  opened.push(database);
  return database;
}
const first = await instance();
await seedDatabase(first);
afterAll(async () => {
  for (const database of opened) await database.close();
  await fresh.drop();
});

const editor = { author: 'test-editor' };
const createActor = (database: DatabaseHandle, slug: string) =>
  database.write((tx) => saveRecord(tx, actorDefinition, { slug, name: slug, kind: 'PERSON' }, editor, { mode: 'create' }));

describe('writes on PostgreSQL', () => {
  it('from two instances at once all succeed, each recorded once', async () => {
    const second = await instance();
    const servers = [first, second].map((database) => createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, responseCache: false }));
    const mutate = (lane: number, n: number) =>
      Promise.resolve(servers[(lane + n) % 2]!.fetch('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
        body: JSON.stringify({ query: `mutation { createActor(input: { slug: "lane-${lane}-${n}", name: "Lane ${lane} ${n}", kind: PERSON }) { __typename } }` }),
      })).then(async (response) => ({ status: response.status, body: await response.json() }));
    const lanes = await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        const answers = [];
        for (let n = 0; n < 6; n++) answers.push(await mutate(lane, n));
        return answers;
      }),
    );
    for (const answer of lanes.flat()) expect(answer).toEqual({ status: 200, body: { data: { createActor: { __typename: 'MutationCreateActorSuccess' } } } });
    const created = await first.db.query.revisions.findMany({ where: { entitySlug: { like: 'lane-%' } } });
    expect(created).toHaveLength(48);
    expect(new Set(created.map((revision) => revision.entitySlug)).size).toBe(48);
  });

  it('wait for a held write lock longer than one statement may run, and commit', async () => {
    const holder = await instance();
    const waiter = await instance({ statementBudgetMs: 100 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.write(async (tx) => {
      await saveRecord(tx, actorDefinition, { slug: 'held-first', name: 'Held first', kind: 'PERSON' }, editor, { mode: 'create' });
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = createActor(waiter, 'waited-for-the-lock');
    setTimeout(release, 600);
    await holding;
    expect((await waiting).action).toBe('CREATE');
    const order = await first.db.query.revisions.findMany({ where: { entitySlug: { in: ['held-first', 'waited-for-the-lock'] } }, orderBy: { id: 'asc' } });
    expect(order.map((revision) => revision.entitySlug)).toEqual(['held-first', 'waited-for-the-lock']);
  });

  it('give up with DatabaseBusyError after their wait, having written nothing', async () => {
    const holder = await instance();
    const impatient = await instance({ writeWaitMs: 200 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.write(async () => held);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await expect(createActor(impatient, 'never-written')).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    await holding;
    expect(await first.db.query.actors.findFirst({ where: { slug: 'never-written' } })).toBeUndefined();
  });

  it('roll back whole: a failure halfway leaves nothing', async () => {
    await expect(
      first.write(async (tx) => {
        await saveRecord(tx, actorDefinition, { slug: 'half-written', name: 'Half', kind: 'PERSON' }, editor, { mode: 'create' });
        throw new Error('failed halfway');
      }),
    ).rejects.toThrow('failed halfway');
    expect(await first.db.query.actors.findFirst({ where: { slug: 'half-written' } })).toBeUndefined();
    expect(await first.db.query.revisions.findFirst({ where: { entitySlug: 'half-written' } })).toBeUndefined();
  });
});
