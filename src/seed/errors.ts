export interface SeedProblem {
  file: string;
  /** Which record: its slug where it has one, else its place in the list. */
  record: string;
  message: string;
}

/** Seed data that cannot be loaded; nothing was written. */
export class SeedError extends Error {
  constructor(readonly problems: SeedProblem[]) {
    super(
      `Seed data rejected, database unchanged (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  ${problem.file} › ${problem.record}: ${problem.message}`).join('\n'),
    );
    this.name = 'SeedError';
  }
}
