import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { hashToken, newTokenSecret } from '../src/server/auth.js';
import { CLIENT_TIMEOUT_MS, median, SERVER_ARGS, SERVER_READY, start, stop } from './harness.js';
import { random, WORDS } from './synthetic.js';
import { globalId, Q3_QUERY, Q4_QUERY } from './workloads.js';

/**
 * Qmix: a frontend's traffic rather than one question asked again. Requests are drawn Zipf-wise
 * (the k-th most asked query asked 1/k as often as the first) from at least 10,000 distinct
 * queries: date windows, actor pages, searches and lookups. Meanwhile an editor adds an event
 * every second. Measured with the response cache on and off, on a copy of the
 * database (the writes change it).
 */

const WINDOW_QUERY = /* GraphQL */ `
  query Window($from: PartialDateString!, $to: PartialDateString!, $first: Int!) {
    events(filter: { from: $from, to: $to }, first: $first) {
      edges { node { slug title startDate { iso precision } participants(first: 10) { edges { role node { name } } } } }
    }
  }
`;
const ACTOR_QUERY = /* GraphQL */ `
  query ActorPage($slug: String!, $first: Int!) {
    actor(slug: $slug) { name events(first: $first, orderBy: DATE_DESC) { edges { node { slug title startDate { iso precision } } } } }
  }
`;
const WRITE = /* GraphQL */ `
  mutation Add($input: EventInput!) { createEvent(input: $input) { __typename } }
`;
/** Each write adds a new event (the synthetic events name no support for their claims, so an edit of one would be refused). */
let written = 0;
const newEvent = () => {
  const n = ++written;
  const day = new Date(Date.UTC(2000, 0, 1) + ((n * 104729) % 9_000) * 86_400_000).toISOString().slice(0, 10);
  return {
    slug: `mix-event-${n}`,
    title: `Added in the mix ${n}`,
    kind: 'STATEMENT',
    status: 'OCCURRED',
    start: day,
    dateBasis: 'OUTSIDE',
    dateNote: 'A benchmark write.',
    citations: [{ article: 'article-1', quote: `Added in the mix ${n}` }],
  };
};
type Body = { query: string; variables: Record<string, unknown> };

/** The distinct queries, in a fixed shuffled order: the first is the most asked. */
export function qmixQueries(eventCount: number): Body[] {
  const windows: Body[] = [];
  for (const first of [20, 50])
    for (let year = 2000; year <= 2024; year++)
      for (let month = 1; month <= 12; month++)
        for (const span of [0, 1, 2, 5, 11]) {
          const end = month + span;
          const from = `${year}-${String(month).padStart(2, '0')}`;
          const to = end > 12 ? `${year + 1}-${String(end - 12).padStart(2, '0')}` : `${year}-${String(end).padStart(2, '0')}`;
          windows.push({ query: WINDOW_QUERY, variables: { from, to, first } });
        }
  const actorCount = Math.max(10, Math.round(eventCount / 100));
  const actorPages: Body[] = [];
  for (let first = 1; actorPages.length < 3_000 && first <= 50; first++)
    for (let n = 1; n <= actorCount && actorPages.length < 3_000; n++) actorPages.push({ query: ACTOR_QUERY, variables: { slug: `actor-${n}`, first } });
  // Every word of the synthetic text, and every pair of them.
  const searches: Body[] = [];
  for (const [i, word] of WORDS.entries()) {
    searches.push({ query: Q3_QUERY, variables: { query: word } });
    for (const other of WORDS.slice(i + 1)) searches.push({ query: Q3_QUERY, variables: { query: `${word} ${other}` } });
  }
  const lookups = Array.from({ length: 4_000 }, (_, i) => ({
    query: Q4_QUERY,
    variables: { id: globalId('Event', 1 + ((i * 7919) % eventCount)) },
  }));
  const all = [...windows, ...actorPages, ...searches, ...lookups];
  // The same seed every run, so every run draws from the same queries in the same ranks.
  const rng = random(16);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/** Draws ranks 0…n-1 with probability proportional to 1/(rank+1). */
function zipfSampler(n: number, random: () => number) {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cumulative[k] = sum += 1 / (k + 1);
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

export interface QmixRow {
  size: number;
  cache: 'on' | 'off';
  connections: number;
  distinctQueries: number;
  rps: number;
  p50: number;
  p99: number;
  hitRate: number;
  writes: number;
  failures: number;
}

async function measureMix(base: string, bodies: string[], connections: number, seconds: number, secret: string) {
  const draw = zipfSampler(bodies.length, random(42).next);
  let hits = 0;
  let looked = 0;
  const request: autocannon.Request = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: bodies[draw()] }),
    onResponse: (_status, _body, _context, headers) => {
      const cache = (headers as Record<string, string> | undefined)?.['x-cache'];
      if (cache) looked++;
      if (cache === 'HIT') hits++;
    },
  };
  let writes = 0;
  let writeFailures = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      const began = Date.now();
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: WRITE, variables: { input: newEvent() } }),
      });
      const body = (await response.json()) as { data?: { createEvent?: { __typename: string } } };
      if (body.data?.createEvent?.__typename === 'MutationCreateEventSuccess') writes++;
      else writeFailures++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - began))));
    }
  })();
  const result = await autocannon({ url: base, connections, duration: seconds, requests: [request, request], timeout: CLIENT_TIMEOUT_MS / 1000 });
  writing = false;
  await writer;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    hitRate: looked === 0 ? 0 : hits / looked,
    writes,
    failures: result.errors + result.timeouts + result.non2xx + writeFailures,
  };
}

/** Qmix on a copy of `databasePath`, cache on and off taking turns round by round. */
export async function runQmix({ size, databasePath, connectionCounts, rounds, seconds }: { size: number; databasePath: string; connectionCounts: number[]; rounds: number; seconds: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-qmix-'));
  const copy = join(dir, 'timeline.db');
  copyFileSync(databasePath, copy);
  const secret = newTokenSecret();
  const tokens = JSON.stringify([{ name: 'qmix-editor', role: 'editor', sha256: hashToken(secret) }]);
  const bodies = qmixQueries(size).map((body) => JSON.stringify(body));
  const servers = {
    on: await start(SERVER_ARGS, { PORT: '0', DATABASE_URL: copy, TIMELINE_RESPONSE_CACHE: 'on', TIMELINE_TOKENS: tokens }, SERVER_READY),
    off: await start(SERVER_ARGS, { PORT: '0', DATABASE_URL: copy, TIMELINE_RESPONSE_CACHE: 'off', TIMELINE_TOKENS: tokens }, SERVER_READY),
  };
  const rows: QmixRow[] = [];
  try {
    for (const connections of connectionCounts) {
      const runs = { on: [] as Awaited<ReturnType<typeof measureMix>>[], off: [] as Awaited<ReturnType<typeof measureMix>>[] };
      for (let round = 0; round < rounds; round++) {
        for (const cache of ['on', 'off'] as const) runs[cache].push(await measureMix(servers[cache].base, bodies, connections, seconds, secret));
      }
      for (const cache of ['on', 'off'] as const) {
        const m = runs[cache];
        const row: QmixRow = {
          size,
          cache,
          connections,
          distinctQueries: bodies.length,
          rps: Math.round(median(m.map((r) => r.rps))),
          p50: median(m.map((r) => r.p50)),
          p99: median(m.map((r) => r.p99)),
          hitRate: Math.round(median(m.map((r) => r.hitRate)) * 1000) / 1000,
          writes: m.reduce((sum, r) => sum + r.writes, 0),
          failures: m.reduce((sum, r) => sum + r.failures, 0),
        };
        rows.push(row);
        console.error(`${size} Qmix cache ${cache} c=${connections}: ${row.rps}/s p50 ${row.p50} ms p99 ${row.p99} ms; hit rate ${row.hitRate}; ${row.writes} writes`);
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => stop(server.child)));
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
