import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;

/**
 * How graphql-js answers a type test, in a fresh Node with the given NODE_ENV, after the server's
 * first import: its development mode throws for an object that looks like one of its own types
 * from another copy of graphql-js; production mode, whose type tests are plain instanceof, does not.
 */
function graphqlModeAfterFirstImport(nodeEnv: string | undefined): string {
  const env = { ...process.env };
  delete env.NODE_ENV;
  if (nodeEnv !== undefined) env.NODE_ENV = nodeEnv;
  const probe = `
    await import('./src/production-mode.ts');
    const { isObjectType } = await import('graphql');
    const lookalike = { [Symbol.toStringTag]: 'GraphQLObjectType' };
    try { isObjectType(lookalike); console.log('production', process.env.NODE_ENV); }
    catch { console.log('development', process.env.NODE_ENV); }`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT, env, encoding: 'utf8' }).trim();
}

describe('the server runs graphql-js in production mode', () => {
  it('unless NODE_ENV says otherwise', () => {
    expect(graphqlModeAfterFirstImport(undefined)).toBe('production production');
    expect(graphqlModeAfterFirstImport('development')).toBe('development development');
  });

  it('set by the entry point before anything else it imports can load graphql-js', () => {
    const firstImport = readFileSync(new URL('../src/main.ts', import.meta.url), 'utf8').match(/^import\s[^;]*?['"]([^'"]+)['"];/m)?.[1];
    expect(firstImport).toBe('./production-mode.js');
  });
});
