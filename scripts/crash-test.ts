import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inArray } from 'drizzle-orm';
import { parseCommandLine, runCommand, wholeNumber } from '../src/cli/command.js';
import { openDatabase } from '../src/db/client.js';
import { sources } from '../src/db/schema.js';
import { hashToken } from '../src/server/auth.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'crash-test-editor';

export interface CrashRound {
  round: number;
  acknowledged: number;
  killedAfterMs: number;
  integrity: string;
  missing: string[];
}

/** Starts the real server on `database`; resolves with its URL once it listens. */
function startServer(database: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: database,
      TIMELINE_TOKENS: JSON.stringify([{ name: 'crash-test', role: 'editor', sha256: hashToken(TOKEN) }]),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /GraphiQL at (http:\/\/[^\s/]+\/graphql)/.exec(output);
      if (match) resolve({ child, url: match[1]!.replace('localhost', '127.0.0.1') });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${output}`)));
  });
}

/** Writes sources as fast as `lanes` parallel clients can, recording each the API acknowledged. */
async function writeUntilKilled(url: string, round: number, lanes: number, acknowledged: Set<string>) {
  const lane = async (laneId: number) => {
    for (let n = 0; ; n++) {
      const slug = `crash-r${round}-l${laneId}-${n}`;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify({ query: `mutation { createSource(input: { slug: "${slug}", name: "Crash ${n}" }) { __typename } }` }),
        });
        const body = (await response.json()) as { data?: { createSource?: { __typename: string } } };
        if (body.data?.createSource?.__typename === 'MutationCreateSourceSuccess') acknowledged.add(slug);
      } catch {
        return; // the server is gone
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, (_, laneId) => lane(laneId)));
}

/**
 * Each round starts the server on the same database, writes, kills it with SIGKILL at a random
 * moment once the round's first write is acknowledged, then opens the database and checks that it
 * is sound and holds every acknowledged write.
 */
export async function runCrashRounds({ rounds, database, lanes = 8, log = () => {} }: {
  rounds: number;
  database: string;
  lanes?: number;
  log?: (line: string) => void;
}): Promise<CrashRound[]> {
  const results: CrashRound[] = [];
  const acknowledged = new Set<string>();
  for (let round = 1; round <= rounds; round++) {
    const { child, url } = await startServer(database);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const killedAfterMs = 100 + Math.floor(Math.random() * 400);
    const acknowledgedBefore = acknowledged.size;
    const writing = writeUntilKilled(url, round, lanes, acknowledged);
    // The random moment counts from the round's first acknowledged write, so that every round
    // kills a server in the middle of writing, however slowly a busy machine lets it start.
    for (const waitUntil = Date.now() + 10_000; acknowledged.size === acknowledgedBefore && Date.now() < waitUntil; ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
    child.kill('SIGKILL');
    await Promise.all([exited, writing]);

    const handle = await openDatabase(database);
    const integrity = handle.db.$client.pragma('integrity_check', { simple: true }) as string;
    const expected = [...acknowledged];
    const found = new Set<string>();
    await handle.read(async (tx) => {
      for (let start = 0; start < expected.length; start += 500) {
        const slice = expected.slice(start, start + 500);
        for (const row of await tx.select({ slug: sources.slug }).from(sources).where(inArray(sources.slug, slice))) found.add(row.slug);
      }
    });
    await handle.close();
    const result = { round, acknowledged: acknowledged.size, killedAfterMs, integrity, missing: expected.filter((slug) => !found.has(slug)) };
    results.push(result);
    log(`round ${round}: killed after ${killedAfterMs} ms; ${result.acknowledged} acknowledged writes so far, ${result.missing.length} missing; integrity_check ${integrity}`);
  }
  return results;
}

const USAGE = `Usage: npm run crash-test -- [--rounds 20]

Starts the server on a scratch database, writes to it, kills it with SIGKILL at a random moment,
and checks that every acknowledged write survived and integrity_check is ok; ROUNDS times.

  --rounds N   how many kill-and-check rounds (default 20)
  --help       show this`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseCommandLine(USAGE, { options: { rounds: { type: 'string', default: '20' } } });
  const rounds = wholeNumber(USAGE, 'rounds', values.rounds);
  await runCommand(async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'timeline-crash-')), 'timeline.db');
    const results = await runCrashRounds({ rounds, database, log: console.log });
    const failed = results.filter((result) => result.integrity !== 'ok' || result.missing.length > 0);
    console.log(failed.length === 0 ? `All ${results.length} rounds kept every acknowledged write.` : `${failed.length} rounds lost writes or integrity.`);
    process.exitCode = failed.length === 0 ? 0 : 1;
  });
}
