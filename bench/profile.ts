import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { WORKLOADS } from './workloads.js';

// npm run bench:profile -- [--size 1000000] [--workload Q1] [--requests 500]
// Runs one workload in-process (no cache) under the V8 profiler, saves the .cpuprofile beside the
// results and prints where the time went, by package and by function.
const { values } = parseArgs({
  options: { size: { type: 'string', default: '1000000' }, workload: { type: 'string', default: 'Q1' }, requests: { type: 'string', default: '500' } },
});
const size = Number(values.size);
const workload = WORKLOADS.find((w) => w.name === values.workload)!;
const handle = openDatabase(fileURLToPath(new URL(`./.data/events-${size}.db`, import.meta.url)));
const yoga = createTimelineYoga({ db: handle.db, responseCache: false });
const bodies = workload.requests(size).map((r) => JSON.stringify(r.graphql));
const run = (i: number) =>
  Promise.resolve(yoga.fetch(new Request('http://profile/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i % bodies.length] }))).then((r) => r.text());
for (let i = 0; i < 100; i++) await run(i);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const started = performance.now();
const requests = Number(values.requests);
for (let i = 0; i < requests; i++) await run(i);
const elapsed = performance.now() - started;
const { profile } = await session.post('Profiler.stop');
const file = join(fileURLToPath(new URL('./results/', import.meta.url)), `${workload.name}-${size}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<number, number>();
profile.samples!.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
const tally = (key: (url: string, name: string, line: number) => string) => {
  const sums = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const { url, functionName, lineNumber } = nodes.get(id)!.callFrame;
    const k = key(url, functionName, lineNumber);
    sums.set(k, (sums.get(k) ?? 0) + time);
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
};
const where = (url: string) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/src/') ? 'project (src/)' : url ? 'node' : '(native, GC, SQLite)');
console.log(`${workload.name} at ${size.toLocaleString('en')} events: ${(elapsed / requests).toFixed(2)} ms per request over ${requests} requests. Profile: ${file}`);
console.log('By package:');
for (const [name, time] of tally((url) => where(url)).slice(0, 10)) console.log(`  ${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
console.log('By function:');
for (const [name, time] of tally((url, fn, line) => `${fn || '(anonymous)'} (${where(url)}:${line})`).slice(0, 12)) {
  console.log(`  ${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
}
handle.close();
