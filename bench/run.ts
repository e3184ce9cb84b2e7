import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, usageFailure } from '../src/cli/command.js';
import {
  buildServer,
  CLIENT_TIMEOUT_MS,
  ensureDatabase,
  graphqlRequests,
  machine,
  measure,
  median,
  peakRssMb,
  resultsDir,
  SERVER_ARGS,
  SERVER_READY,
  start,
  startupMs,
  statementsPerRequest,
  stop,
} from './harness.js';
import { runPostgresBench } from './postgres/run.js';
import { type QmixRow, runQmix } from './qmix.js';
import { Q1_QUERY, WORKLOADS } from './workloads.js';

const USAGE = `Usage: npm run bench -- [--backend sqlite|postgres] [--sizes 10000,100000,1000000] [--seconds 5] [--rounds 2]
         [--connections 1,32] [--cache off|on] [--workers 1] [--workloads Q1,Q2,Q4,Q3]

Builds and starts the server on synthetic databases of each size and measures each workload
(autocannon) beside a bare ceiling server; results land in bench/results/. On PostgreSQL,
PostGraphile 5 over the same database takes its turn too (under Node 22, which
scripts/ensure-node22.sh installs into bench/.data/node22), and the databases live in a
cluster in bench/.data/postgres, started for the run and stopped after it.

  --backend B          sqlite (default): SQLite files; postgres: PostgreSQL databases

  --sizes N,...        database sizes in events (default 10000,100000,1000000)
  --seconds N          seconds per measurement (default 5)
  --rounds N           rounds per measurement (default 2)
  --connections N,...  concurrent connections (default 1,32)
  --cache off|on       the response cache (default off)
  --workers N          server processes (default 1)
  --workloads Q1,...   which workloads, in order (default Q1,Q2,Q4,Q3: search last, at a million
                       events its ceiling is slow enough to back up). Qmix (SQLite only): Zipf-drawn
                       requests from 10,210 distinct queries with one write a second, the response
                       cache on and off in turns (whatever --cache says), with the cache's hit rate
  --help               show this`;

const { values } = parseCommandLine(USAGE, {
  options: {
    backend: { type: 'string', default: 'sqlite' },
    sizes: { type: 'string', default: '10000,100000,1000000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '1,32' },
    cache: { type: 'string', default: 'off' },
    workers: { type: 'string', default: '1' },
    workloads: { type: 'string', default: 'Q1,Q2,Q4,Q3' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connectionCounts = values.connections.split(',').map(Number);
const workers = Number(values.workers);
const workloadNames = values.workloads.split(',');
const unknownWorkload = workloadNames.find((name) => name !== 'Qmix' && !WORKLOADS.some((w) => w.name === name));
if (unknownWorkload) usageFailure(USAGE, `--workloads: no workload "${unknownWorkload}"; there are ${[...WORKLOADS.map((w) => w.name), 'Qmix'].join(', ')}.`);
if (values.backend !== 'sqlite' && values.backend !== 'postgres') usageFailure(USAGE, `--backend must be sqlite or postgres, not "${values.backend}".`);
if (values.backend === 'postgres' && workloadNames.includes('Qmix')) usageFailure(USAGE, '--workloads: Qmix runs on SQLite only.');

/** Q1–Q4 on SQLite files, beside the SQLite ceiling (bench/ceiling.ts). */
async function runSqliteBench() {
  const rows: Record<string, unknown>[] = [];
  const runs: Record<string, unknown>[] = [];
  const qmixRows: QmixRow[] = [];
  for (const size of sizes) {
    const { path, seed } = await ensureDatabase(size);
    const serverStartupMs = await startupMs(path);
    const q1Statements = {
      first10: await statementsPerRequest(path, { query: Q1_QUERY, variables: { from: '2010', to: '2010', first: 10 } }),
      first100: await statementsPerRequest(path, { query: Q1_QUERY, variables: { from: '2010', to: '2010', first: 100 } }),
    };
    const sizeRun: Record<string, unknown> = { size, seed, startupMs: serverStartupMs, q1Statements, workloads: [] as unknown[], skipped: [] as string[] };
    // Unknown names were refused above; Qmix runs after these, with its own servers.
    for (const workload of workloadNames.filter((name) => name !== 'Qmix').map((name) => WORKLOADS.find((w) => w.name === name)!)) {
      const requests = workload.requests(size);
      const statements = await statementsPerRequest(path, requests[0]!.graphql);
      const graphqlLoad = graphqlRequests(workload, size);
      const ceilingRequests = requests.map((r) => ({ method: 'GET' as const, path: r.ceiling }));
      // Fresh servers for each workload, so that each one's peak memory is its own.
      const graphql = await start(SERVER_ARGS, { PORT: '0', DATABASE_URL: path, TIMELINE_RESPONSE_CACHE: values.cache, WORKERS: values.workers }, SERVER_READY);
      // With --workers N > 1, a one-worker server takes its turn too, so the scaling is measured side by side.
      const oneWorker = workers > 1 ? await start(SERVER_ARGS, { PORT: '0', DATABASE_URL: path, TIMELINE_RESPONSE_CACHE: values.cache, WORKERS: '1' }, SERVER_READY) : null;
      const ceiling = await start(['--import', 'tsx', 'bench/ceiling.ts'], { PORT: '0', DATABASE_URL: path }, /ceiling listening on (\d+)/);
      // The floor: bare Yoga answering with the ceiling's statements, so what the service adds to Yoga is measured.
      const floor = await start(['--import', 'tsx', 'bench/floor.ts'], { PORT: '0', DATABASE_URL: path }, /floor listening on (\d+)/);
      const workloadRows: Record<string, unknown>[] = [];
      let slowestP50 = 0;
      for (const connections of connectionCounts) {
        // A backlog that outlasts autocannon's 10 s timeout measures nothing but timeouts.
        if (slowestP50 * connections > CLIENT_TIMEOUT_MS / 2) {
          const reason = `${connections} requests queued at ${slowestP50} ms each would outlast the ${CLIENT_TIMEOUT_MS / 1000} s client timeout`;
          (sizeRun.skipped as string[]).push(`${workload.name} at ${connections} connections: ${reason}`);
          console.error(`${size} ${workload.name} c=${connections}: skipped, ${reason}`);
          continue;
        }
        // Warm-up, not counted; then the two servers take turns, so both see the same machine.
        await measure(graphql.base, graphqlLoad, connections, 1);
        await measure(ceiling.base, ceilingRequests, connections, 1);
        if (oneWorker) await measure(oneWorker.base, graphqlLoad, connections, 1);
        await measure(floor.base, graphqlLoad, connections, 1);
        const g: Awaited<ReturnType<typeof measure>>[] = [];
        const c: Awaited<ReturnType<typeof measure>>[] = [];
        const one: Awaited<ReturnType<typeof measure>>[] = [];
        const f: Awaited<ReturnType<typeof measure>>[] = [];
        for (let round = 0; round < rounds; round++) {
          g.push(await measure(graphql.base, graphqlLoad, connections, seconds));
          c.push(await measure(ceiling.base, ceilingRequests, connections, seconds));
          if (oneWorker) one.push(await measure(oneWorker.base, graphqlLoad, connections, seconds));
          f.push(await measure(floor.base, graphqlLoad, connections, seconds));
        }
        const row = {
          size,
          workload: workload.name,
          connections,
          rps: Math.round(median(g.map((m) => m.rps))),
          // autocannon's percentiles are whole milliseconds; the mean keeps the fraction.
          meanMs: Math.round(median(g.map((m) => m.mean)) * 100) / 100,
          p50: median(g.map((m) => m.p50)),
          p99: median(g.map((m) => m.p99)),
          ceilingRps: Math.round(median(c.map((m) => m.rps))),
          ceilingP99: median(c.map((m) => m.p99)),
          ratio: Math.round((median(g.map((m) => m.rps)) / median(c.map((m) => m.rps))) * 100) / 100,
          statements,
          floorRps: Math.round(median(f.map((m) => m.rps))),
          floorRatio: Math.round((median(g.map((m) => m.rps)) / median(f.map((m) => m.rps))) * 100) / 100,
          // What Yoga and graphql-js alone leave of the ceiling: the most any server on them could reach.
          floorOfCeiling: Math.round((median(f.map((m) => m.rps)) / median(c.map((m) => m.rps))) * 100) / 100,
          failures: [...g, ...c, ...one, ...f].reduce((sum, m) => sum + m.failures, 0),
          ...(oneWorker && {
            oneWorkerRps: Math.round(median(one.map((m) => m.rps))),
            workerScaling: Math.round((median(g.map((m) => m.rps)) / median(one.map((m) => m.rps))) * 100) / 100,
          }),
        };
        slowestP50 = Math.max(slowestP50, row.p50, median(c.map((m) => m.p50)));
        workloadRows.push(row);
        console.error(
          `${size} ${workload.name} c=${connections}: ${row.rps}/s p50 ${row.p50} ms p99 ${row.p99} ms; ceiling ${row.ceilingRps}/s; ratio ${row.ratio}` +
            `; floor ${row.floorRps}/s, ratio ${row.floorRatio}, floor ÷ ceiling ${row.floorOfCeiling}` +
            (oneWorker ? `; one worker ${row.oneWorkerRps}/s, scaling ${row.workerScaling}` : ''),
        );
      }
      const peakRss = { peakRssMb: peakRssMb(graphql.child.pid!), ceilingPeakRssMb: peakRssMb(ceiling.child.pid!) };
      for (const row of workloadRows) Object.assign(row, peakRss);
      rows.push(...workloadRows);
      (sizeRun.workloads as unknown[]).push(...workloadRows);
      await Promise.all([graphql, ceiling, oneWorker, floor].map((server) => server && stop(server.child)));
    }
    if (workloadNames.includes('Qmix')) {
      const mixRows = await runQmix({ size, databasePath: path, connectionCounts, rounds, seconds });
      qmixRows.push(...mixRows);
      sizeRun.qmix = mixRows;
    }
    runs.push(sizeRun);
  }

  const report = { at: new Date().toISOString(), machine: machine(), seconds, rounds, responseCache: values.cache, workers, runs };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${report.at.slice(0, 19).replaceAll(':', '-')}-cache-${values.cache}-workers-${values.workers}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const scalingColumns = workers > 1 ? [' one worker req/s | scaling |', '---:|---:|'] : ['', ''];
  const table = [
    `| events | workload | conns | req/s | p50 ms | p99 ms | ceiling req/s | ceiling p99 ms | ratio | floor req/s | floor ratio | floor ÷ ceiling | SQL/req | peak RSS MB (ceiling) |${scalingColumns[0]}`,
    `|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${scalingColumns[1]}`,
    ...rows.map(
      (r: any) =>
        `| ${r.size.toLocaleString('en')} | ${r.workload} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.ceilingRps} | ${r.ceilingP99} | ${r.ratio} | ${r.floorRps ?? ''} | ${r.floorRatio ?? ''} | ${r.floorOfCeiling ?? ''} | ${r.statements} | ${r.peakRssMb} (${r.ceilingPeakRssMb}) |` +
        (workers > 1 ? ` ${r.oneWorkerRps} | ${r.workerScaling} |` : ''),
    ),
  ];
  if (rows.length > 0) console.log(table.join('\n'));
  if (qmixRows.length > 0) {
    console.log(
      [
        '',
        '| events | Qmix | conns | distinct queries | req/s | p50 ms | p99 ms | cache hit rate | writes | failures |',
        '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        ...qmixRows.map((r) => `| ${r.size.toLocaleString('en')} | cache ${r.cache} | ${r.connections} | ${r.distinctQueries.toLocaleString('en')} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.hitRate} | ${r.writes} | ${r.failures} |`),
      ].join('\n'),
    );
  }
  for (const run of runs as any[]) {
    console.log(
      `${run.size.toLocaleString('en')} events: seeded at ${run.seed.rowsPerSecond.toLocaleString('en')} rows/s (${run.seed.seconds.toFixed(1)} s); ` +
        `server start-up ${run.startupMs} ms; Q1 statements first:10 ${run.q1Statements.first10}, first:100 ${run.q1Statements.first100}.`,
    );
    for (const skipped of run.skipped) console.log(`  skipped ${skipped}`);
  }
  console.log(`Response cache ${values.cache}, ${values.workers} worker(s). Machine: ${report.machine.cpus} × ${report.machine.cpu}, ${report.machine.memoryGb} GB, Node ${report.machine.node}. Results: ${file}`);
}

buildServer();
if (values.backend === 'postgres') {
  await runPostgresBench({ sizes, seconds, rounds, connectionCounts, cache: values.cache, workers, workloads: values.workloads.split(',') });
} else {
  await runSqliteBench();
}
