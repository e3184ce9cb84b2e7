// npm start's prestart: builds dist/ (npm run build) only when a source changed since the last
// finished build, so a start without changes skips the ~15 s compile. Plain JavaScript, so that
// deciding costs no compiler start-up either.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written after each build this script finishes, dated when that build began. */
export const BUILD_STAMP = 'dist/.build-stamp';
const BUILT_ENTRY = 'dist/main.js';

/** What the build reads: everything under src/ (folders too: adding or removing a file dates them), the tsconfigs and package files. */
function sources(root) {
  const found = [];
  const folders = [join(root, 'src')];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    found.push(folder);
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      (entry.isDirectory() ? folders : found).push(join(folder, entry.name));
    }
  }
  for (const name of readdirSync(root)) {
    if (/^tsconfig.*\.json$/.test(name) || name === 'package.json' || name === 'package-lock.json') found.push(join(root, name));
  }
  return found;
}

/** Whether dist/ must be built again, and why: `{ stale, reason }`. */
export function buildStatus(root) {
  if (!existsSync(join(root, BUILT_ENTRY))) return { stale: true, reason: `${BUILT_ENTRY} is missing` };
  const stamp = join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return { stale: true, reason: 'no build has finished yet' };
  const builtAt = statSync(stamp).mtimeMs;
  for (const source of sources(root)) {
    if (statSync(source).mtimeMs > builtAt) return { stale: true, reason: `${relative(root, source)} changed since the last build` };
  }
  return { stale: false, reason: 'up to date' };
}

function buildIfStale(root) {
  const { stale, reason } = buildStatus(root);
  if (!stale) {
    console.log(`build: ${reason}`);
    return 0;
  }
  console.log(`build: stale (${reason}); building`);
  const startedAt = new Date();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;
  // Dated when the build began: a source saved while it ran still counts as newer.
  writeFileSync(join(root, BUILD_STAMP), `${startedAt.toISOString()}\n`);
  utimesSync(join(root, BUILD_STAMP), startedAt, startedAt);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = buildIfStale(fileURLToPath(new URL('..', import.meta.url)));
}
