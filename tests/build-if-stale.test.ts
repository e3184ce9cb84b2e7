import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUILD_STAMP, buildStatus } from '../scripts/build-if-stale.mjs';

const BUILT_AT = new Date('2026-12-01T12:00:00Z');
const EARLIER = new Date('2026-12-01T11:00:00Z');
const LATER = new Date('2026-12-01T13:00:00Z');

let root: string;

/** Writes `path` under the fixture root, dated `at`, and dates its folders the same way. */
function file(path: string, at = EARLIER) {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, at, at);
}

function dateFolders(at: Date, ...folders: string[]) {
  for (const folder of folders) utimesSync(join(root, folder), at, at);
}

/** A project as `npm start` finds it after a build: sources older than the build's stamp. */
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'timeline-build-'));
  for (const source of ['src/main.ts', 'src/server/http.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']) file(source);
  dateFolders(EARLIER, 'src', 'src/server');
  file('dist/main.js', BUILT_AT);
  file(BUILD_STAMP, BUILT_AT);
  return () => rmSync(root, { recursive: true, force: true });
});

describe('whether npm start must build', () => {
  it('is up to date after a build', () => {
    expect(buildStatus(root)).toEqual({ stale: false, reason: 'up to date' });
  });

  it.each(['src/server/http.ts', 'tsconfig.build.json', 'package-lock.json', 'package.json'])('is stale once %s changes', (source) => {
    file(source, LATER);
    expect(buildStatus(root)).toEqual({ stale: true, reason: `${source} changed since the last build` });
  });

  it('is stale once a source file is added or removed (its folder changes)', () => {
    dateFolders(LATER, 'src/server');
    expect(buildStatus(root)).toEqual({ stale: true, reason: 'src/server changed since the last build' });
  });

  it('is stale without dist/main.js, or without the record of a finished build', () => {
    rmSync(join(root, BUILD_STAMP));
    expect(buildStatus(root)).toEqual({ stale: true, reason: 'no build has finished yet' });
    file(BUILD_STAMP, BUILT_AT);
    rmSync(join(root, 'dist/main.js'));
    expect(buildStatus(root)).toEqual({ stale: true, reason: 'dist/main.js is missing' });
  });

  it('ignores files that are not sources', () => {
    file('README.md', LATER);
    file('tests/x.test.ts', LATER);
    file('data/timeline.db', LATER);
    expect(buildStatus(root).stale).toBe(false);
  });
});
