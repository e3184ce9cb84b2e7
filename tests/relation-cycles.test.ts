import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSeedFiles } from '../src/seed/files.js';
import { SeedError } from '../src/seed/errors.js';
import { validateSeed } from '../src/seed/validate.js';
import { dumpTables, openTestTimeline, TEST_TOKENS, type TestTimeline } from './helpers.js';

let timeline: TestTimeline;
beforeEach(async () => {
  timeline = await openTestTimeline();
});
afterEach(() => timeline.close());

const ARTICLE = 'bloomberg-south-korea-seeks-xi-visit';
const event = (slug: string, related: { type: string; event: string }[] = []) => ({
  slug,
  title: `Event ${slug}`,
  kind: 'MEETING',
  status: 'OCCURRED',
  start: '2023-09',
  dateBasis: 'STATED',
  dateSupport: [0],
  citations: [{ article: ARTICLE, quote: 'three-way summit' }],
  related,
});

const UPSERT = `mutation ($input: EventInput!) { upsertEvent(input: $input) { __typename ... on ValidationError { path message issues { path message } } } }`;

async function upsert(input: ReturnType<typeof event>) {
  const response = await timeline.query(UPSERT, { input }, { token: TEST_TOKENS.editor });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.upsertEvent as { __typename: string; path?: string; message?: string; issues?: { path: string; message: string }[] };
}

/** Events saved in order; the last one closes the cycle. */
const cycles: [string, ReturnType<typeof event>[], string][] = [
  ['A PART_OF B, B PART_OF A', [event('b'), event('a', [{ type: 'PART_OF', event: 'b' }]), event('b', [{ type: 'PART_OF', event: 'a' }])], 'would make an event part of itself: b PART_OF a, a PART_OF b'],
  ['A PART_OF B PART_OF C PART_OF A', [event('a'), event('b', [{ type: 'PART_OF', event: 'a' }]), event('c', [{ type: 'PART_OF', event: 'b' }]), event('a', [{ type: 'PART_OF', event: 'c' }])], 'would make an event part of itself: a PART_OF c, c PART_OF b, b PART_OF a'],
  ['A PRECEDES B, B PRECEDES A', [event('a'), event('b', [{ type: 'PRECEDES', event: 'a' }]), event('a', [{ type: 'PRECEDES', event: 'b' }])], 'would make an event come before itself: a PRECEDES b, b PRECEDES a'],
  ['A FOLLOW_UP_OF B, B FOLLOW_UP_OF A', [event('a'), event('b', [{ type: 'FOLLOW_UP_OF', event: 'a' }]), event('a', [{ type: 'FOLLOW_UP_OF', event: 'b' }])], 'would make an event come before itself: a FOLLOW_UP_OF b, b FOLLOW_UP_OF a'],
  ['A PREPARES B PREPARES C PREPARES A', [event('a'), event('c', [{ type: 'PREPARES', event: 'a' }]), event('b', [{ type: 'PREPARES', event: 'c' }]), event('a', [{ type: 'PREPARES', event: 'b' }])], 'would make an event come before itself: a PREPARES b, b PREPARES c, c PREPARES a'],
  ['A PREPARES B while A FOLLOW_UP_OF B', [event('b'), event('a', [{ type: 'FOLLOW_UP_OF', event: 'b' }, { type: 'PREPARES', event: 'b' }])], 'would make an event come before itself: a PREPARES b, a FOLLOW_UP_OF b'],
];

describe('links between events that contradict each other', () => {
  it.each(cycles)('the API refuses %s, naming the link and the cycle, and writes nothing', async (_case, writes, message) => {
    for (const input of writes.slice(0, -1)) expect((await upsert(input)).__typename).toBe('MutationUpsertEventSuccess');
    const closing = writes.at(-1)!;
    const before = await dumpTables(timeline.database);
    const result = await upsert(closing);
    expect(result).toMatchObject({ __typename: 'ValidationError' });
    const index = closing.related.length - 1;
    expect(result.issues).toContainEqual({ path: `related[${index}].event`, message });
    expect(await dumpTables(timeline.database)).toEqual(before);
  });

  it.each(cycles)('the seed loader refuses %s with the same message', (_case, writes, message) => {
    // The files hold each event once, with its final links; the one that closes the cycle comes last.
    const closing = writes.at(-1)!;
    const others = [...new Map(writes.map((input) => [input.slug, input])).values()].filter((input) => input.slug !== closing.slug);
    const raw = readSeedFiles();
    raw.events.records.push(...others, closing);
    let problems: string[] = [];
    try {
      validateSeed(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(SeedError);
      problems = (error as SeedError).problems.map((problem) => problem.message);
    }
    expect(problems).toEqual([`related[${closing.related.length - 1}].event: ${message}`]);
  });

  it('accepts links that only look alike: A PREPARES B and B FOLLOW_UP_OF A, A PART_OF B and A PRECEDES B', async () => {
    expect((await upsert(event('b'))).__typename).toBe('MutationUpsertEventSuccess');
    expect((await upsert(event('a', [{ type: 'PREPARES', event: 'b' }, { type: 'PART_OF', event: 'b' }]))).__typename).toBe('MutationUpsertEventSuccess');
    expect((await upsert(event('b', [{ type: 'FOLLOW_UP_OF', event: 'a' }]))).__typename).toBe('MutationUpsertEventSuccess');
    // Replacing an event's own links is no cycle with the links it had before.
    expect((await upsert(event('a', [{ type: 'PRECEDES', event: 'b' }]))).__typename).toBe('MutationUpsertEventSuccess');
  });
});
