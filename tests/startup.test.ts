import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, serverCommand, type ServerProcess, startServer } from '../scripts/server-process.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'timeline-startup-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/** Runs the entry point with `env` and resolves with how it ended. */
async function startFailing(env: Record<string, string>) {
  try {
    await promisify(execFile)(...serverCommand(), {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', DATABASE_URL: join(scratch(), 'timeline.db'), ...env },
      timeout: 60_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('starting the server', () => {
  it.each([
    [{ PORT: 'abc' }, 'timeline: cannot start: PORT must be a whole number from 0 to 65535, not "abc"'],
    [{ WORKERS: 'many' }, 'timeline: cannot start: WORKERS must be a whole number from 1 to 64, not "many"'],
    [{ HOST: 'a b' }, 'timeline: cannot start: HOST must be a host name or an IP address, not "a b"'],
    [{ TIMELINE_TOKENS: '[{' }, 'timeline: cannot start: TIMELINE_TOKENS: not valid JSON'],
  ])('with a bad setting %o says which, in one line, and exits 1', async (env, message) => {
    const { code, stderr } = await startFailing(env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('binds HOST and logs the address it really bound', async () => {
    const server = await startServer({ HOST: '127.0.0.2', DATABASE_URL: join(scratch(), 'timeline.db') });
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/graphql$/);
    expect((await fetch(new URL('/health', server.url))).status).toBe(200);
    const elsewhere = new URL('/health', server.url);
    elsewhere.hostname = '127.0.0.1';
    await expect(fetch(elsewhere)).rejects.toThrow();
  });
});
