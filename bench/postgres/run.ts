import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import pg from 'pg';
import {
  CLIENT_TIMEOUT_MS,
  dataDir,
  graphqlRequests,
  machine,
  measure,
  median,
  peakRssMb,
  resultsDir,
  SERVER_ARGS,
  SERVER_READY,
  type Started,
  start,
  startupMs,
  statementsPerRequest,
  stop,
} from '../harness.js';
import { installPostGraphileFunctions, node22Binary, POSTGRAPHILE_ARGS, POSTGRAPHILE_READY } from '../postgraphile/setup.js';
import { Q1_QUERY, WORKLOADS } from '../workloads.js';
import { type BenchCluster, startBenchCluster, withClient } from './cluster.js';
import { type PostgresSeedSummary, seedPostgresSynthetic } from './seed.js';

export interface PostgresBenchOptions {
  sizes: number[];
  seconds: number;
  rounds: number;
  connectionCounts: number[];
  cache: string;
  workers: number;
  workloads: string[];
}

const clusterDir = join(dataDir, 'postgres');

/**
 * The database `events_<size>` on the bench cluster, seeded on first use; its seeding figures
 * are kept beside the cluster, written only once seeding has finished, so a database without
 * them (a seed that was interrupted) is dropped and seeded again.
 */
export async function ensurePostgresDatabase(cluster: BenchCluster, size: number) {
  const name = `events_${size}`;
  const facts = join(clusterDir, `${name}.seed.json`);
  const exists = await withClient(cluster.adminUrl, async (client) => (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
  if (!exists || !existsSync(facts)) {
    await withClient(cluster.adminUrl, async (client) => {
      await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await client.query(`create database ${pg.escapeIdentifier(name)}`);
    });
    console.error(`Seeding ${size.toLocaleString('en')} events into PostgreSQL...`);
    let shown = 0;
    const summary = await seedPostgresSynthetic(cluster.url(name), size, {
      onProgress: (done, total) => {
        const percent = Math.floor((done / total) * 100);
        if (percent >= shown + 10 || done === total) {
          shown = percent;
          console.error(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} events (${percent}%)`);
        }
      },
      log: (line) => console.error(`  ${line}`),
    });
    console.error(`  seeded in ${summary.seconds.toFixed(1)} s`);
    writeFileSync(facts, JSON.stringify(summary));
  }
  return { url: cluster.url(name), seed: JSON.parse(readFileSync(facts, 'utf8')) as PostgresSeedSummary };
}

type Measurement = Awaited<ReturnType<typeof measure>>;

/** The first of `requests` that the server at `base` does not answer with data (an HTTP error or GraphQL errors), as a message. */
async function firstRefusal(base: string, requests: autocannon.Request[]): Promise<string | null> {
  for (const request of requests) {
    const body = request.body as string | undefined;
    const response = await fetch(`${base}${request.path}`, { method: request.method, headers: request.headers as Record<string, string> | undefined, body });
    const text = await response.text();
    const errors = response.ok ? (JSON.parse(text) as { errors?: { message: string }[] }).errors : [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }];
    const asked = body === undefined ? request.path : JSON.stringify((JSON.parse(body) as { variables: unknown }).variables);
    if (errors?.length) return `${asked} gets "${errors.map((error) => error.message).join(' ')}"`;
  }
  return null;
}
const rounded = (value: number) => Math.round(value * 100) / 100;

/**
 * Q1–Q4 on PostgreSQL databases of each size, the service (on Node 20, as `npm start` runs it),
 * the PostgreSQL ceiling (bench/postgres/ceiling.ts) and PostGraphile (bench/postgraphile/, on
 * Node 22) taking turns on the same database; prints the table and writes
 * bench/results/postgres-*.json.
 */
export async function runPostgresBench(options: PostgresBenchOptions) {
  const node22 = node22Binary();
  const postgraphileNode = execFileSync(node22, ['--version'], { encoding: 'utf8' }).trim();
  const cluster = await startBenchCluster(clusterDir, (line) => console.error(line));
  const rows: Record<string, unknown>[] = [];
  const runs: Record<string, unknown>[] = [];
  try {
    for (const size of options.sizes) {
      const { url, seed } = await ensurePostgresDatabase(cluster, size);
      await installPostGraphileFunctions(url);
      const serverStartupMs = await startupMs(url);
      const q1Statements = {
        first10: await statementsPerRequest(url, { query: Q1_QUERY, variables: { from: '2010', to: '2010', first: 10 } }),
        first100: await statementsPerRequest(url, { query: Q1_QUERY, variables: { from: '2010', to: '2010', first: 100 } }),
      };
      const sizeRun = { size, seed, startupMs: serverStartupMs, q1Statements, workloads: [] as unknown[], skipped: [] as string[] };
      for (const workload of options.workloads.map((name) => WORKLOADS.find((w) => w.name === name)!)) {
        const requests = workload.requests(size);
        const loads = {
          service: graphqlRequests(workload, size),
          ceiling: requests.map((r) => ({ method: 'GET' as const, path: r.ceiling })),
          postgraphile: graphqlRequests(workload, size, 'postgraphile'),
        };
        // Fresh servers for each workload, so that each one's peak memory is its own.
        const servers: Record<keyof typeof loads, Started> = {
          service: await start(SERVER_ARGS, { PORT: '0', DATABASE_URL: url, TIMELINE_RESPONSE_CACHE: options.cache, WORKERS: String(options.workers) }, SERVER_READY),
          ceiling: await start(['--import', 'tsx', 'bench/postgres/ceiling.ts'], { PORT: '0', DATABASE_URL: url }, /ceiling listening on (\d+)/),
          postgraphile: await start(POSTGRAPHILE_ARGS, { PORT: '0', DATABASE_URL: url, NODE_ENV: 'production' }, POSTGRAPHILE_READY, node22),
        };
        const names = Object.keys(loads) as (keyof typeof loads)[];
        // A server that answers with errors (a limit, a timeout) would be measured at the speed of its refusals.
        const refusals = (await Promise.all(names.map(async (name) => ((await firstRefusal(servers[name].base, loads[name])) ?? '').replace(/^(?=.)/, `${name}: `)))).filter(Boolean);
        if (refusals.length > 0) {
          const reason = `not measured, as ${refusals.join('; ')}`;
          sizeRun.skipped.push(`${workload.name}: ${reason}`);
          console.error(`${size} ${workload.name}: ${reason}`);
          await Promise.all(names.map((name) => stop(servers[name].child)));
          continue;
        }
        const statements = await statementsPerRequest(url, requests[0]!.graphql);
        const workloadRows: Record<string, unknown>[] = [];
        let slowestP50 = 0;
        for (const connections of options.connectionCounts) {
          // A backlog that outlasts autocannon's 10 s timeout measures nothing but timeouts.
          if (slowestP50 * connections > CLIENT_TIMEOUT_MS / 2) {
            const reason = `${connections} requests queued at ${slowestP50} ms each would outlast the ${CLIENT_TIMEOUT_MS / 1000} s client timeout`;
            sizeRun.skipped.push(`${workload.name} at ${connections} connections: ${reason}`);
            console.error(`${size} ${workload.name} c=${connections}: skipped, ${reason}`);
            continue;
          }
          // Warm-up, not counted; then the three servers take turns, so all see the same machine.
          for (const name of names) await measure(servers[name].base, loads[name], connections, 1);
          const runsOf: Record<keyof typeof loads, Measurement[]> = { service: [], ceiling: [], postgraphile: [] };
          for (let round = 0; round < options.rounds; round++) {
            for (const name of names) runsOf[name].push(await measure(servers[name].base, loads[name], connections, options.seconds));
          }
          const rps = (name: keyof typeof loads) => median(runsOf[name].map((m) => m.rps));
          const row = {
            size,
            workload: workload.name,
            connections,
            rps: Math.round(rps('service')),
            // autocannon's percentiles are whole milliseconds; the mean keeps the fraction.
            meanMs: rounded(median(runsOf.service.map((m) => m.mean))),
            p50: median(runsOf.service.map((m) => m.p50)),
            p99: median(runsOf.service.map((m) => m.p99)),
            ceilingRps: Math.round(rps('ceiling')),
            ceilingP99: median(runsOf.ceiling.map((m) => m.p99)),
            postgraphileRps: Math.round(rps('postgraphile')),
            postgraphileP50: median(runsOf.postgraphile.map((m) => m.p50)),
            postgraphileP99: median(runsOf.postgraphile.map((m) => m.p99)),
            ratio: rounded(rps('service') / rps('ceiling')),
            postgraphileRatio: rounded(rps('service') / rps('postgraphile')),
            statements,
            failures: names.reduce((sum, name) => sum + runsOf[name].reduce((s, m) => s + m.failures, 0), 0),
          };
          slowestP50 = Math.max(slowestP50, ...names.map((name) => median(runsOf[name].map((m) => m.p50))));
          workloadRows.push(row);
          console.error(
            `${size} ${workload.name} c=${connections}: ${row.rps}/s p50 ${row.p50} ms p99 ${row.p99} ms; ceiling ${row.ceilingRps}/s; ` +
              `PostGraphile ${row.postgraphileRps}/s p99 ${row.postgraphileP99} ms; service/ceiling ${row.ratio}, service/PostGraphile ${row.postgraphileRatio}`,
          );
        }
        const peakRss = {
          peakRssMb: peakRssMb(servers.service.child.pid!),
          ceilingPeakRssMb: peakRssMb(servers.ceiling.child.pid!),
          postgraphilePeakRssMb: peakRssMb(servers.postgraphile.child.pid!),
        };
        for (const row of workloadRows) Object.assign(row, peakRss);
        rows.push(...workloadRows);
        sizeRun.workloads.push(...workloadRows);
        await Promise.all(names.map((name) => stop(servers[name].child)));
      }
      runs.push(sizeRun);
    }
  } finally {
    await cluster.stop();
  }

  const report = {
    at: new Date().toISOString(),
    backend: 'postgres',
    machine: machine(),
    postgres: cluster.version,
    postgraphileNode,
    seconds: options.seconds,
    rounds: options.rounds,
    responseCache: options.cache,
    workers: options.workers,
    runs,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `postgres-${report.at.slice(0, 19).replaceAll(':', '-')}-cache-${options.cache}-workers-${options.workers}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const table = [
    '| events | workload | conns | req/s | p50 ms | p99 ms | ceiling req/s | ceiling p99 ms | PostGraphile req/s | PostGraphile p99 ms | service/ceiling | service/PostGraphile | SQL/req | peak RSS MB (ceiling, PostGraphile) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r: any) =>
        `| ${r.size.toLocaleString('en')} | ${r.workload} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.ceilingRps} | ${r.ceilingP99} | ` +
        `${r.postgraphileRps} | ${r.postgraphileP99} | ${r.ratio} | ${r.postgraphileRatio} | ${r.statements} | ${r.peakRssMb} (${r.ceilingPeakRssMb}, ${r.postgraphilePeakRssMb}) |`,
    ),
  ];
  console.log(table.join('\n'));
  for (const run of runs as any[]) {
    console.log(
      `${run.size.toLocaleString('en')} events: seeded by COPY at ${run.seed.rowsPerSecond.toLocaleString('en')} rows/s (${run.seed.seconds.toFixed(1)} s); ` +
        `server start-up ${run.startupMs} ms; Q1 statements first:10 ${run.q1Statements.first10}, first:100 ${run.q1Statements.first100}.`,
    );
    for (const skipped of run.skipped) console.log(`  skipped ${skipped}`);
  }
  console.log(
    `PostgreSQL ${report.postgres}; response cache ${options.cache}, ${options.workers} worker(s); PostGraphile on Node ${postgraphileNode}. ` +
      `Machine: ${report.machine.cpus} × ${report.machine.cpu}, ${report.machine.memoryGb} GB, Node ${report.machine.node}. Results: ${file}`,
  );
}
