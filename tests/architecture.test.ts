import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

/** What each part of src/ may import of the others (docs/architecture.md). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  domain: [],
  db: ['domain'],
  editing: ['db', 'domain'],
  cli: ['db'],
  seed: ['db', 'domain', 'editing', 'cli', 'config', 'write-file-atomically'],
  schema: ['db', 'domain', 'editing', 'server'],
  server: ['db', 'editing', 'schema', 'write-file-atomically'],
  config: ['db'],
  'production-mode': [],
};

/** Modules only src/db may import: drivers, dialect cores and drizzle's driver modules. */
const DIALECT_MODULES = [/^better-sqlite3$/, /^pg$/, /^pg-/, /^postgres$/, /^drizzle-orm\/(sqlite-core|pg-core|better-sqlite3|node-postgres|postgres-js)(\/|$)/];

/** Synchronous query calls, which only SQLite has; `$client` is the driver itself. */
const SYNCHRONOUS_CALLS = /\.(sync|all|get|run)\(\s*\)|\b(db|tx)\.(all|get|run|values)\s*[<(]|\$client\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The part of src/ a file belongs to: its folder, or its own name for a file at the top. */
const partOf = (path: string) => relative(SRC, path).split('/')[0]!.replace(/\.ts$/, '');

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

const files = sourceFiles(SRC).map((path) => ({ path, part: partOf(path), text: readFileSync(path, 'utf8') }));

describe('architecture', () => {
  it('finds the source files it checks', () => {
    expect(files.filter((file) => file.part === 'schema').length).toBeGreaterThan(10);
    expect(files.some((file) => file.path.endsWith('src/db/postgres/client.ts'))).toBe(true);
  });

  it('keeps each part of src/ to the imports docs/architecture.md allows', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const allowed = MAY_IMPORT[file.part];
      if (!allowed) continue; // main.ts may import everything
      for (const specifier of importsOf(file.text)) {
        if (!specifier.startsWith('.')) continue;
        const target = partOf(join(file.path, '..', specifier).replace(/\.js$/, '.ts'));
        if (target !== file.part && !allowed.includes(target)) wrong.push(`${relative(SRC, file.path)} imports ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps drivers, dialect cores and synchronous queries inside src/db', () => {
    const wrong: string[] = [];
    for (const file of files) {
      if (file.part === 'db') continue;
      for (const specifier of importsOf(file.text)) {
        if (DIALECT_MODULES.some((pattern) => pattern.test(specifier))) wrong.push(`${relative(SRC, file.path)} imports ${specifier}`);
      }
      file.text.split('\n').forEach((line, index) => {
        if (SYNCHRONOUS_CALLS.test(line)) wrong.push(`${relative(SRC, file.path)}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(wrong).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    expect(SYNCHRONOUS_CALLS.test("tx.query.events.findFirst({ where: { id } }).sync()")).toBe(true);
    expect(SYNCHRONOUS_CALLS.test('const [row] = tx.select().from(events).all();')).toBe(true);
    expect(SYNCHRONOUS_CALLS.test('db.get(sql`select 1`);')).toBe(true);
    expect(SYNCHRONOUS_CALLS.test('const client = database.db.$client;')).toBe(true);
    expect(SYNCHRONOUS_CALLS.test('const viewer = viewers.get(request);')).toBe(false);
    expect(SYNCHRONOUS_CALLS.test('const rows = [...byId.values()];')).toBe(false);
    expect(importsOf("import Database from 'better-sqlite3';\nconst pg = await import('pg');")).toEqual(['better-sqlite3', 'pg']);
    expect(DIALECT_MODULES.some((pattern) => pattern.test('drizzle-orm/sqlite-core'))).toBe(true);
    expect(DIALECT_MODULES.some((pattern) => pattern.test('drizzle-orm'))).toBe(false);
  });
});
