import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { takingTurns } from '../src/db/turn-taking.js';
import { seedDatabase } from '../src/seed/index.js';

describe('requests take turns between statements', () => {
  it('lets other work in between queries awaited at once, once the thread has been held for a while', async () => {
    const database = openDatabase(':memory:');
    seedDatabase(database.db);
    // A statement that holds the thread for 30 ms, as a heavy one would.
    database.db.$client.function('hold_thread', () => {
      const until = Date.now() + 30;
      while (Date.now() < until);
      return 1;
    });
    const db = takingTurns(database.db);
    let finished = 0;
    let finishedWhenOthersRan: number | undefined;
    const others = new Promise<void>((resolve) =>
      setTimeout(() => {
        finishedWhenOthersRan = finished;
        resolve();
      }, 0),
    );
    const queries = Array.from({ length: 10 }, () =>
      db.query.events.findFirst({ where: { RAW: () => sql`hold_thread() = 1` } }).then(() => finished++),
    );
    await Promise.all([...queries, others]);
    expect(finished).toBe(10);
    // Without turns, all ten (300 ms) would run before the timer; with them, it runs after a few.
    expect(finishedWhenOthersRan).toBeLessThan(5);
    database.close();
  });

  it('leaves synchronous calls as they are', () => {
    const database = openDatabase(':memory:');
    seedDatabase(database.db);
    const db = takingTurns(database.db);
    expect(db.query.events.findFirst({ where: { slug: 'camp-david-summit' } }).sync()?.slug).toBe('camp-david-summit');
    database.close();
  });
});
