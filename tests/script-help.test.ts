import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const STACK_FRAME = /^\s+at .+[:(]/m;

/** Every npm script that runs a command-line program with tsx (the server's watch mode aside). */
const scripts = Object.entries(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts as Record<string, string>)
  .map(([name, command]) => [name, /^tsx (\S+\.ts)$/.exec(command)?.[1]] as const)
  .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

async function run(file: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file, ...args], { cwd: projectRoot, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('every script', () => {
  it('covers the command-line scripts', () => {
    expect(scripts.map(([name]) => name)).toEqual(
      expect.arrayContaining(['seed', 'export', 'token:mint', 'token:list', 'token:revoke', 'backup', 'crash-test', 'fuzz', 'soak', 'bench', 'bench:profile', 'seed:synthetic', 'schema:print']),
    );
  });

  it.concurrent.each(scripts)('npm run %s -- --help prints its usage and exits 0; an unknown option gets the usage and exit 2', async (name, file) => {
    const help = await run(file, '--help');
    expect(help.stderr).not.toMatch(STACK_FRAME);
    expect(help.stdout).toMatch(new RegExp(`^Usage: npm run ${name}\\b`, 'm'));
    expect(help.code).toBe(0);
    const unknown = await run(file, '--no-such-option');
    expect(unknown.stderr).toMatch(/--no-such-option/);
    expect(unknown.stderr).toMatch(new RegExp(`^Usage: npm run ${name}\\b`, 'm'));
    expect(unknown.stderr).not.toMatch(STACK_FRAME);
    expect(unknown.code).toBe(2);
  }, 200_000);
});
