import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { seedDatabase } from '../src/seed/index.js';

// On SQLite, the handle's `db` is the database as requests read it: readsThrough (src/db/reads.ts) taking turns on the one connection.
describe('requests take turns between statements', () => {
  it('lets other work in between queries awaited at once, once the thread has been held for a while', async () => {
    const database = await openDatabase(':memory:');
    await seedDatabase(database);
    // A statement that holds the thread for 30 ms, as a heavy one would.
    database.db.$client.function('hold_thread', () => {
      const until = Date.now() + 30;
      while (Date.now() < until);
      return 1;
    });
    let finished = 0;
    let finishedWhenOthersRan: number | undefined;
    const others = new Promise<void>((resolve) =>
      setTimeout(() => {
        finishedWhenOthersRan = finished;
        resolve();
      }, 0),
    );
    const queries = Array.from({ length: 10 }, () =>
      database.db.query.events.findFirst({ where: { RAW: () => sql`hold_thread() = 1` } }).then(() => finished++),
    );
    await Promise.all([...queries, others]);
    expect(finished).toBe(10);
    // Without turns, all ten (300 ms) would run before the timer; with them, it runs after a few.
    expect(finishedWhenOthersRan).toBeLessThan(5);
    await database.close();
  });

  it('leaves synchronous calls as they are', async () => {
    const database = await openDatabase(':memory:');
    await seedDatabase(database);
    expect(database.db.query.events.findFirst({ where: { slug: 'camp-david-summit' } }).sync()?.slug).toBe('camp-david-summit');
    await database.close();
  });
});
