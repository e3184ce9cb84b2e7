import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../src/seed/index.js';
import { createTokenSource, hashToken, type StoredToken } from '../src/server/auth.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase, TEST_BACKEND, TEST_TOKEN_STORE, TEST_TOKENS, type TestDatabase } from './helpers.js';
import { freshPostgresDatabase, type PostgresDatabase } from './postgres-database.js';
import { projectRoot, serverCommand } from '../scripts/server-process.js';

const STACK_FRAME = /^\s+at .+[:(]/m;
const scratch = () => mkdtempSync(join(tmpdir(), 'timeline-tokens-'));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function script(file: string, ...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file, ...args], { cwd: projectRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as Outcome;
    return { code, stdout, stderr };
  }
}

const mint = (file: string, ...args: string[]) => script('scripts/mint-token.ts', ...args, '--file', file);
const secretIn = (stdout: string) => {
  const secret = /^(tl_[A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
  expect(secret, stdout).toBeDefined();
  return secret!;
};

const WRITE = 'mutation { updateEvent(slug: "camp-david-summit", patch: { summary: "Written with a token." }) { __typename } }';
const READ = '{ event(slug: "camp-david-summit") { slug } }';

describe('an invalid token', () => {
  let database: TestDatabase;
  let yoga: ReturnType<typeof createTimelineYoga>;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDatabase(database);
    yoga = createTimelineYoga({ database, tokens: TEST_TOKEN_STORE });
  });
  afterAll(() => database.close());
  const post = async (query: string, authorization?: string) => {
    const response = await yoga.fetch(
      new Request('http://timeline.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
        body: JSON.stringify({ query }),
      }),
    );
    return (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };
  };

  it.each([
    ['unknown', 'Bearer not-a-token-anyone-minted'],
    ['malformed', 'Bearer'],
    ['in another scheme', `Basic ${TEST_TOKENS.editor}`],
  ])('(%s) is refused for a write with its own UNAUTHENTICATED message', async (_case, authorization) => {
    const answer = await post(WRITE, authorization);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.errors![0]!.message).toMatch(/^The token is not valid/);
  });

  it('differs from the message for a missing token', async () => {
    const answer = await post(WRITE);
    expect(answer.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(answer.errors![0]!.message).not.toMatch(/not valid/);
    expect(answer.errors![0]!.message).toMatch(/needs a token/);
  });

  it('still reads: reads are public', async () => {
    expect(await post(READ, 'Bearer not-a-token-anyone-minted')).toEqual({ data: { event: { slug: 'camp-david-summit' } } });
  });
});

describe('the token source', () => {
  const stored = (name: string, secret: string): StoredToken => ({ name, role: 'editor', sha256: hashToken(secret) });

  it('re-reads the file when it changes, at most once per interval', () => {
    const file = join(scratch(), 'tokens.json');
    writeFileSync(file, JSON.stringify([stored('alice', 'a')]));
    let now = 0;
    const source = createTokenSource({ file }, { now: () => now, log: () => {} });
    expect(source.current().map((token) => token.name)).toEqual(['alice']);
    writeFileSync(file, JSON.stringify([stored('alice', 'a'), stored('bob', 'b')]));
    now = 500;
    expect(source.current().map((token) => token.name)).toEqual(['alice']);
    now = 1_000;
    expect(source.current().map((token) => token.name)).toEqual(['alice', 'bob']);
  });

  it('keeps the last good list when a new version does not parse, and logs one line', () => {
    const file = join(scratch(), 'tokens.json');
    writeFileSync(file, JSON.stringify([stored('alice', 'a')]));
    let now = 0;
    const logged: string[] = [];
    const source = createTokenSource({ file }, { now: () => now, log: (line) => logged.push(line) });
    source.current();
    writeFileSync(file, '[{"name": "half a fi');
    for (now = 1_000; now <= 5_000; now += 1_000) expect(source.current().map((token) => token.name)).toEqual(['alice']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/tokens\.json.*keeping the 1 token/);
    expect(logged[0]).not.toContain('\n');
  });

  it('a removed file means no tokens', () => {
    const dir = scratch();
    const file = join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify([stored('alice', 'a')]));
    let now = 0;
    const source = createTokenSource({ file }, { now: () => now, log: () => {} });
    expect(source.current()).toHaveLength(1);
    rmSync(file);
    now = 1_000;
    expect(source.current()).toEqual([]);
  });
});

describe('token scripts', () => {
  it('token:mint refuses an existing name unless --replace, leaving the file as it was', async () => {
    const file = join(scratch(), 'tokens.json');
    const first = secretIn((await mint(file, 'alice', 'editor')).stdout);
    const before = readFileSync(file, 'utf8');
    const refused = await mint(file, 'alice', 'admin');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/"alice" exists.*--replace/);
    expect(refused.stderr).not.toMatch(STACK_FRAME);
    expect(readFileSync(file, 'utf8')).toBe(before);

    const replaced = await mint(file, 'alice', 'admin', '--replace');
    expect(replaced.code).toBe(0);
    const second = secretIn(replaced.stdout);
    const tokens = JSON.parse(readFileSync(file, 'utf8')) as StoredToken[];
    expect(tokens).toEqual([{ name: 'alice', role: 'admin', sha256: hashToken(second) }]);
    expect(tokens[0]!.sha256).not.toBe(hashToken(first));
  });

  it('token:mint writes a new file in place of the old (never half a file), mode 600, leaving no temporary file', async () => {
    const dir = scratch();
    const file = join(dir, 'tokens.json');
    await mint(file, 'alice', 'editor');
    const inode = statSync(file).ino;
    await mint(file, 'bob', 'reader');
    expect(statSync(file).ino).not.toBe(inode);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('token:list shows names and roles, never the hashes', async () => {
    const file = join(scratch(), 'tokens.json');
    await mint(file, 'alice', 'editor');
    await mint(file, 'bob', 'admin');
    const { code, stdout } = await script('scripts/list-tokens.ts', '--file', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^alice\s+editor/m);
    expect(stdout).toMatch(/^bob\s+admin/m);
    for (const token of JSON.parse(readFileSync(file, 'utf8')) as StoredToken[]) expect(stdout).not.toContain(token.sha256);
  });

  it('token:revoke removes a name, and refuses one that does not exist', async () => {
    const file = join(scratch(), 'tokens.json');
    await mint(file, 'alice', 'editor');
    await mint(file, 'bob', 'admin');
    const revoked = await script('scripts/revoke-token.ts', 'alice', '--file', file);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked "alice"/);
    expect((JSON.parse(readFileSync(file, 'utf8')) as StoredToken[]).map((token) => token.name)).toEqual(['bob']);
    const unknown = await script('scripts/revoke-token.ts', 'carol', '--file', file);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no token named "carol"/);
    expect(unknown.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('a running server', () => {
  let child: ChildProcess | undefined;
  let postgres: PostgresDatabase | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      // Its connections must be gone before its PostgreSQL database can be dropped.
      await exited;
    }
    child = undefined;
    await postgres?.drop();
    postgres = undefined;
  });

  it('accepts a token minted after it started and refuses it, with the invalid-token message, once revoked: no restart', async () => {
    const dir = scratch();
    const tokens = join(dir, 'tokens.json');
    writeFileSync(tokens, '[]\n');
    if (TEST_BACKEND === 'postgres') postgres = await freshPostgresDatabase();
    child = spawn(...serverCommand(), {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', DATABASE_URL: postgres?.url ?? join(dir, 'timeline.db'), TIMELINE_TOKENS_FILE: tokens, TIMELINE_TOKENS: '' },
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk) => {
        output += chunk;
        const match = /http:\/\/[^\s/]+:(\d+)\/graphql/.exec(output);
        if (match) resolve(`http://127.0.0.1:${match[1]}/graphql`);
      });
      child!.once('exit', (code) => reject(new Error(`exited early (${code}): ${output}`)));
    });
    const write = async (secret: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: WRITE }),
      });
      return (await response.json()) as { data?: { updateEvent: { __typename: string } }; errors?: { message: string }[] };
    };
    /** Asks until `accept` holds for the answer, for at most 3 s. */
    const eventually = async (secret: string, accept: (answer: Awaited<ReturnType<typeof write>>) => boolean) => {
      const started = Date.now();
      for (;;) {
        const answer = await write(secret);
        if (accept(answer) || Date.now() - started > 3_000) return { answer, ms: Date.now() - started };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const secret = secretIn((await mint(tokens, 'alice', 'editor')).stdout);
    const accepted = await eventually(secret, (answer) => answer.data?.updateEvent.__typename === 'MutationUpdateEventSuccess');
    expect(accepted.answer).toEqual({ data: { updateEvent: { __typename: 'MutationUpdateEventSuccess' } } });

    expect((await script('scripts/revoke-token.ts', 'alice', '--file', tokens)).code).toBe(0);
    const refused = await eventually(secret, (answer) => answer.errors !== undefined);
    expect(refused.answer.errors?.[0]?.message).toMatch(/^The token is not valid/);
  }, 30_000);
});
