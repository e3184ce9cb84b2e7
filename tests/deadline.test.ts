import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/server/limits.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_TOKEN_STORE, TEST_TOKENS } from './helpers.js';
import { seedDatabase } from '../src/seed/index.js';

const database = await openTestDatabase();
await seedDatabase(database);
afterAll(() => database.close());

describe('deadlines', () => {
  it("give each change pushed to a subscriber its own time, however long the subscriber waited for it", async () => {
    const timeoutMs = 200;
    const yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE, limits: { ...LIMITS, timeoutMs }, responseCache: false });
    const query = 'subscription { timelineChanged { action event { title place { name } } } }';
    const response = await yoga.fetch(`http://timeline.test/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    // Longer than a whole execution may take, before anything changes.
    await new Promise((resolve) => setTimeout(resolve, timeoutMs * 3));
    const written = await yoga.fetch('http://timeline.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.editor}` },
      body: JSON.stringify({ query: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Pushed late" }) { __typename } }' }),
    });
    expect(written.status).toBe(200);
    while (!text.includes('event: next')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).not.toContain('TIMEOUT');
    expect(text).toContain('"title":"Pushed late"');
  });
});
