import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSynthetic } from '../bench/synthetic.js';
import { WORKLOADS } from '../bench/workloads.js';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const EVENTS = 3_000;
const database = join(mkdtempSync(join(tmpdir(), 'timeline-bench-')), 'synthetic.db');
const servers: ChildProcess[] = [];
let ceilingUrl = '';
let floorUrl = '';

/** Starts bench/<name>.ts on the synthetic database and answers its address once it listens. */
function start(name: 'ceiling' | 'floor'): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: database, PORT: '0' },
  });
  servers.push(child);
  return new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      const port = new RegExp(`${name} listening on (\\d+)`).exec(String(chunk))?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

beforeAll(async () => {
  await seedSynthetic(database, EVENTS);
  [ceilingUrl, floorUrl] = await Promise.all([start('ceiling'), start('floor')]);
});
afterAll(() => {
  for (const server of servers) server.kill();
});

describe('the benchmark', () => {
  it('generates the same synthetic timeline from the same seed, with the promised shape', async () => {
    const handle = await openDatabase(database);
    const count = (sql: string) => (handle.db.$client.prepare(sql).get() as { n: number }).n;
    expect(count('select count(*) as n from events')).toBe(EVENTS);
    expect(count('select count(*) as n from actors')).toBe(EVENTS / 100);
    const perEvent = (table: string) => handle.db.$client.prepare(`select min(n) as low, max(n) as high from (select count(*) as n from ${table} group by event_id)`).get();
    expect(perEvent('participations')).toEqual({ low: 2, high: 4 });
    expect(perEvent('citations')).toEqual({ low: 1, high: 3 });
    expect(handle.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    // The search index was filled for every event.
    expect(count("select count(*) as n from event_search")).toBe(EVENTS);
    await handle.close();
    const again = join(mkdtempSync(join(tmpdir(), 'timeline-bench-')), 'again.db');
    await seedSynthetic(again, 200);
    const first = join(mkdtempSync(join(tmpdir(), 'timeline-bench-')), 'first.db');
    await seedSynthetic(first, 200);
    const rows = async (path: string) => {
      const h = await openDatabase(path);
      const all = h.db.$client.prepare('select slug, title, start_iso, status from events order by id').all();
      await h.close();
      return all;
    };
    expect(await rows(again)).toEqual(await rows(first));
  });

  it.each(WORKLOADS.map((workload) => [workload.name, workload] as const))('%s: the ceiling and the floor return exactly what the GraphQL server does', async (_name, workload) => {
    const handle = await openDatabase(database);
    const yoga = createTimelineYoga({ database: handle });
    let slugs = 0;
    for (const request of workload.requests(EVENTS)) {
      const graphql = await Promise.resolve(
        yoga.fetch(new Request('http://timeline.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.graphql) })),
      ).then((response) => response.json() as Promise<{ data: unknown; errors?: unknown }>);
      const raw = (await (await fetch(`${ceilingUrl}${request.ceiling}`)).json()) as { data: unknown };
      const floor = (await (
        await fetch(`${floorUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.graphql) })
      ).json()) as { data: unknown; errors?: unknown };
      expect(graphql.errors).toBeUndefined();
      expect(floor.errors).toBeUndefined();
      expect(raw.data).toEqual(graphql.data);
      expect(floor.data).toEqual(graphql.data);
      slugs += JSON.stringify(graphql.data).split('"slug"').length - 1;
    }
    // The answers compared hold real rows, not empty pages.
    expect(slugs).toBeGreaterThanOrEqual(workload.requests(EVENTS).length);
    await handle.close();
  });
});
