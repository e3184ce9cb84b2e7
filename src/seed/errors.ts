import type { EntityType, RevisionAction } from '../domain/vocabulary.js';

export interface SeedProblem {
  file: string;
  /** The line (1-based) in the file, where the problem can be placed. */
  line?: number;
  /** Which record: its slug where it has one, else its place in the list. */
  record: string;
  message: string;
}

/** Seed data that cannot be loaded; nothing was written. */
export class SeedError extends Error {
  constructor(readonly problems: SeedProblem[]) {
    super(
      `Seed data rejected, database unchanged (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  ${problem.file}${problem.line === undefined ? '' : `:${problem.line}`} › ${problem.record}: ${problem.message}`).join('\n'),
    );
    this.name = 'SeedError';
  }
}

/** A record changed outside the seed files (through the API) since they were last loaded or exported. */
export interface SeedConflict {
  type: EntityType;
  slug: string;
  /** What the load would do to it. */
  load: 'overwrite' | 'delete' | 're-create';
  /** The latest change made outside the files: what it was, by whom, when. */
  action: RevisionAction;
  author: string;
  at: string;
  /** How many such changes there are since the last load or export. */
  changes: number;
}

const DONE: Record<RevisionAction, string> = { CREATE: 'created', UPDATE: 'edited', DELETE: 'deleted', RESTORE: 'restored' };

export function describeConflict(conflict: SeedConflict): string {
  const more = conflict.changes > 1 ? `, ${conflict.changes} changes in all` : '';
  return `${conflict.type} "${conflict.slug}": ${DONE[conflict.action]} by ${conflict.author} at ${conflict.at}${more} (loading would ${conflict.load} it)`;
}

/** Loading would undo changes made outside the seed files; nothing was written. */
export class SeedConflictError extends Error {
  constructor(readonly conflicts: SeedConflict[]) {
    const count = conflicts.length === 1 ? '1 record' : `${conflicts.length} records`;
    super(
      `Seed files not loaded, database unchanged: ${count} changed outside the seed files since they were last loaded or exported:\n` +
        conflicts.map((conflict) => `  ${describeConflict(conflict)}`).join('\n') +
        '\nTo keep those changes, run `npm run export` first (it writes the database into the seed files; review with git diff), ' +
        'then load again. To discard them, run `npm run seed -- --force` (their revisions keep what they were).',
    );
    this.name = 'SeedConflictError';
  }
}
