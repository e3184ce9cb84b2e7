import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ADVERSARIAL_QUERIES } from '../bench/adversarial.js';
import { seedSynthetic } from '../bench/synthetic.js';
import { parseCommandLine, runCommand, wholeNumber } from '../src/cli/command.js';
import { hashToken, newTokenSecret } from '../src/server/auth.js';
import { post, projectRoot, type ServerProcess, startServer } from './server-process.js';

/** One scenario's outcome: what was sent, what went wrong, and how long /health took meanwhile. */
export interface AttackRow {
  scenario: string;
  requests: number;
  failures: number;
  worstHealthMs: number;
  /** What a failure was, for the first few. */
  notes: string[];
}

export interface AttackOptions {
  workers: number;
  /** Synthetic events in the database the cost scenarios run against. */
  events: number;
  /** How much of each scenario to run: 1 for the suite's short version, more for a longer one. */
  scale: number;
}

/** Probes GET /health every 50 ms until stopped; reports the slowest answer and any that was not 200. */
function watchHealth(url: string) {
  let worst = 0;
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(30_000) });
        await response.arrayBuffer();
        if (response.status !== 200) failures++;
      } catch {
        failures++;
      }
      worst = Math.max(worst, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return { worstMs: Math.round(worst), failures };
  };
}

async function scenario(name: string, url: string, run: (fail: (note: string) => void) => Promise<number>): Promise<AttackRow> {
  const notes: string[] = [];
  let failures = 0;
  const stopWatching = watchHealth(url);
  const requests = await run((note) => {
    failures++;
    if (notes.length < 5) notes.push(note);
  });
  const health = await stopWatching();
  if (health.failures > 0) notes.push(`/health failed ${health.failures} time(s)`);
  return { scenario: name, requests, failures: failures + health.failures, worstHealthMs: health.worstMs, notes };
}

const isSuccess = (answer: { body: any }, field: string) => String(answer.body?.data?.[field]?.__typename ?? '').endsWith('Success');

/** 8 editors writing at once (through every worker) while `npm run seed` runs beside them. */
function concurrentWriters(url: string, database: string, editor: string, scale: number) {
  return scenario('8 concurrent writers + npm run seed', url, async (fail) => {
    let requests = 0;
    const seedRun = new Promise<void>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/seed/cli.ts'], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: database } });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.once('exit', (code) => {
        // Loading, or refusing to overwrite the editors' changes, are both answers; a lock error or a stack is not.
        if (![0, 1].includes(code ?? -1) || /SQLITE_BUSY|database is locked|\n\s+at /.test(output)) fail(`npm run seed: ${output.trim().slice(0, 200)}`);
        resolve();
      });
    });
    const lanes = Array.from({ length: 8 }, async (_, lane) => {
      for (let round = 0; round < 10 * scale; round++) {
        const slug = `attack-${lane}-${round}-${Date.now()}`;
        requests++;
        const answer = await post(url, `mutation { createSource(input: { slug: "${slug}", name: "Outlet ${lane}.${round}" }) { __typename } }`, editor);
        if (!isSuccess(answer, 'createSource')) fail(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      }
    });
    await Promise.all([...lanes, seedRun]);
    return requests + 1;
  });
}

/** Opens a subscription over SSE; collects the payloads it is pushed. */
function openStream(url: string, query: string) {
  const payloads: any[] = [];
  let status = 0;
  let buffered = '';
  const req = request(`${url}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream' } });
  const started = new Promise<void>((resolve, reject) => {
    req.on('response', (response) => {
      status = response.statusCode ?? 0;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const data = /^data: (.*)$/m.exec(buffered.slice(0, end))?.[1];
          buffered = buffered.slice(end + 2);
          if (data) payloads.push(JSON.parse(data));
        }
      });
      resolve();
    });
    req.on('error', reject);
  });
  req.end();
  return { payloads, started, status: () => status, close: () => req.destroy() };
}

/** Subscribers on every worker each receive every write; a subscriber past the per-client cap is refused. */
function subscribers(url: string, editor: string, scale: number) {
  return scenario('subscribers across workers', url, async (fail) => {
    const streams = Array.from({ length: 10 }, () => openStream(url, 'subscription { timelineChanged { slug after } }'));
    await Promise.all(streams.map((stream) => stream.started));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const writes = 5 * scale;
    for (let i = 0; i < writes; i++) {
      const answer = await post(url, `mutation { updateEvent(slug: "camp-david-summit", patch: { summary: "Attack round ${i}." }) { __typename } }`, editor);
      if (!isSuccess(answer, 'updateEvent')) fail(`write ${i}: ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && streams.some((stream) => stream.payloads.length < writes)) await new Promise((resolve) => setTimeout(resolve, 50));
    streams.forEach((stream, index) => {
      const summaries = stream.payloads.map((payload) => payload.data?.timelineChanged?.after?.summary);
      const expected = Array.from({ length: writes }, (_, i) => `Attack round ${i}.`);
      if (JSON.stringify(summaries) !== JSON.stringify(expected)) fail(`subscriber ${index} heard ${summaries.length} of ${writes}`);
    });
    // One client opening far more streams than it may: the ones past the cap are refused, the server stays up.
    const flood = Array.from({ length: 60 }, () => openStream(url, 'subscription { timelineChanged { slug } }'));
    await Promise.all(flood.map((stream) => stream.started.catch(() => undefined)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refused = flood.filter((stream) => stream.payloads.some((payload) => payload.errors?.[0]?.extensions?.code === 'LIMIT_EXCEEDED')).length;
    if (refused === 0) fail('no stream past the per-client cap was refused');
    for (const stream of [...streams, ...flood]) stream.close();
    return streams.length + writes + flood.length;
  });
}

/** A subscription far past the depth limit, and one at the limit while writes arrive. */
function deepSubscriptions(url: string, editor: string) {
  return scenario('deep subscriptions + writes', url, async (fail) => {
    let selection = 'slug';
    for (let i = 0; i < 30; i++) selection = `participants(first: 100) { edges { node { events(first: 100) { edges { node { ${selection} } } } } } }`;
    const deep = openStream(url, `subscription { timelineChanged { event { ${selection} } } }`);
    await deep.started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!deep.payloads.some((payload) => payload.errors?.[0]?.extensions?.code === 'LIMIT_EXCEEDED')) fail('a 60-deep subscription was not refused');
    deep.close();
    const heavy = openStream(url, 'subscription { timelineChanged { event { participants(first: 100) { edges { node { events(first: 100) { edges { node { slug citations(first: 20) { edges { node { quote } } } } } } } } } } } }');
    await heavy.started;
    for (let i = 0; i < 3; i++) await post(url, `mutation { updateEvent(slug: "camp-david-summit", patch: { summary: "Deep round ${i}." }) { __typename } }`, editor);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (heavy.payloads.length !== 3 && !heavy.payloads.some((payload) => payload.errors)) fail(`the heavy subscriber got ${heavy.payloads.length} of 3 pushes`);
    heavy.close();
    return 5;
  });
}

/** Queries built to be expensive: each must be answered or refused with a code, never a 5xx or a frozen server. */
function costlyQueries(url: string, scale: number) {
  return scenario(`costly queries`, url, async (fail) => {
    const ids = Array.from({ length: 4000 }, (_, i) => Buffer.from(`Event:${i + 1}`).toString('base64'));
    // Written out by hand: JSON.stringify itself cannot go this deep.
    const deepVariables = `{"query":"query ($v: JSON) { __typename }","variables":{"v":${'['.repeat(5000)}1${']'.repeat(5000)}}}`;
    const queries: { name: string; query: string; variables?: unknown; body?: string }[] = [
      ...ADVERSARIAL_QUERIES,
      { name: 'nodes(ids:) with 4,000 ids', query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } },
      { name: 'revisions of everything', query: '{ events(first: 100) { edges { node { revisions(first: 100) { edges { node { before after } } } } } } }' },
      { name: 'variables 5,000 deep', query: '', body: deepVariables },
    ];
    let requests = 0;
    for (let round = 0; round < scale; round++) {
      await Promise.all(
        queries.map(async ({ name, query, variables, body }) => {
          requests++;
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
            body: body ?? JSON.stringify({ query, variables }),
            signal: AbortSignal.timeout(60_000),
          }).catch((error: Error) => ({ status: 0, text: async () => error.message }));
          const text = await response.text();
          if (response.status >= 500 && !/"code":"(TIMEOUT|DATABASE_BUSY)"/.test(text)) fail(`${name}: ${response.status} ${text.slice(0, 160)}`);
          else if (/\n\s+at |\/work\/|node_modules/.test(text)) fail(`${name}: the answer leaks a stack or a path`);
          else if (response.status !== 200 && !/"code":"[A-Z_]+"/.test(text)) fail(`${name}: ${response.status} without an error code`);
        }),
      );
    }
    return requests;
  });
}

/** Sends raw bytes and resolves with what the server answered and how long it kept the connection. */
function rawExchange(port: number, bytes: string, { trickle = false } = {}): Promise<{ answer: string; heldMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      if (!trickle) return void socket.write(bytes);
      let sent = 0;
      timer = setInterval(() => {
        if (sent < bytes.length && !socket.destroyed) socket.write(bytes[sent++]!);
      }, 1000);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, heldMs: performance.now() - started });
    });
    socket.on('error', () => undefined);
    // Long enough to see any timeout the server has; a real attacker waits forever.
    setTimeout(() => socket.destroy(), 60_000).unref();
  });
}

/** Slow and malformed clients: each is cut off or refused, and the server keeps answering others. */
function slowAndMalformedClients(url: string, scale: number) {
  return scenario('slow and malformed clients', url, async (fail) => {
    const port = Number(new URL(url).port);
    const body = JSON.stringify({ query: '{ __typename }' });
    const slow = Array.from({ length: 20 * scale }, (_, i) =>
      i % 2 === 0
        ? rawExchange(port, 'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(100), { trickle: true })
        : rawExchange(port, `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`.slice(0, 90) + body, { trickle: true }),
    );
    const malformed = ['x:99999', '[::1', 'a b', '%', 'localhost/evil'].map((host) => rawExchange(port, `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    for (const { answer } of await Promise.all(malformed)) {
      if (!answer.startsWith('HTTP/1.1 400')) fail(`malformed Host: ${answer.split('\r\n')[0]}`);
      if (/\n\s+at |\/work\//.test(answer)) fail('malformed Host: the answer leaks a stack or a path');
    }
    for (const { heldMs } of await Promise.all(slow)) {
      if (heldMs > 20_000) fail(`a slow client was held ${Math.round(heldMs)} ms`);
    }
    return slow.length + malformed.length;
  });
}

export async function runAttack(options: AttackOptions): Promise<AttackRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-attack-'));
  const secret = newTokenSecret();
  const tokens = JSON.stringify([{ name: 'attack-editor', role: 'editor', sha256: hashToken(secret) }]);
  const database = join(dir, 'timeline.db');
  const synthetic = join(dir, 'synthetic.db');
  await seedSynthetic(synthetic, options.events);
  const servers: ServerProcess[] = [];
  try {
    const timeline = await startServer({ WORKERS: String(options.workers), DATABASE_URL: database, TIMELINE_TOKENS: tokens });
    servers.push(timeline);
    const large = await startServer({ WORKERS: String(options.workers), DATABASE_URL: synthetic, TIMELINE_RESPONSE_CACHE: 'off' });
    servers.push(large);
    return [
      await concurrentWriters(timeline.url, database, secret, options.scale),
      await subscribers(timeline.url, secret, options.scale),
      await deepSubscriptions(timeline.url, secret),
      await costlyQueries(large.url, options.scale),
      await slowAndMalformedClients(timeline.url, options.scale),
    ];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

export function formatAttackTable(rows: AttackRow[]): string {
  const lines = ['| scenario | requests | failures | worst /health (ms) |', '|---|---:|---:|---:|'];
  for (const row of rows) lines.push(`| ${row.scenario} | ${row.requests} | ${row.failures} | ${row.worstHealthMs} |`);
  const notes = rows.flatMap((row) => row.notes.map((note) => `- ${row.scenario}: ${note}`));
  return [...lines, ...notes].join('\n');
}

const USAGE = `Usage: npm run attack -- [--workers N] [--events N] [--scale N]

Starts the server (WORKERS=N) on a seeded database and on a synthetic one of N events, runs the
concurrency, subscription, cost and slow-client scenarios against them, and prints a table of
requests, failures and the slowest /health answer meanwhile. Exits 1 if anything failed.

  --workers N   server processes (default 2)
  --events N    synthetic events for the cost scenarios (default 100000)
  --scale N     repeat each scenario's load N times (default 3)
  --help        this text`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseCommandLine(USAGE, {
    options: { workers: { type: 'string', default: '2' }, events: { type: 'string', default: '100000' }, scale: { type: 'string', default: '3' } },
  });
  await runCommand(async () => {
    const rows = await runAttack({
      workers: wholeNumber(USAGE, 'workers', values.workers),
      events: wholeNumber(USAGE, 'events', values.events, 0),
      scale: wholeNumber(USAGE, 'scale', values.scale),
    });
    console.log(formatAttackTable(rows));
    process.exitCode = rows.some((row) => row.failures > 0) ? 1 : 0;
  });
}
