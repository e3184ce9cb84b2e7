import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DatabaseBusyError, DatabaseUnavailableError, isBusyError, isUnavailableError } from '../db/failures.js';

/** Exit codes of every command: sysexits' EX_USAGE-like 2 for a wrong call, EX_TEMPFAIL for "try again". */
export const EXIT = { failed: 1, usage: 2, busy: 75 } as const;

/** A failure the command explains in its message; printed as it is, without a stack. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Prints `message` and the usage on stderr and exits 2. */
export function usageFailure(usage: string, message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(EXIT.usage);
}

/**
 * The command line, parsed strictly with node's parseArgs. `--help` (or `-h`) prints the usage
 * and exits 0; an unknown option, a missing value or a stray argument prints what is wrong and
 * the usage, and exits 2.
 */
export function parseCommandLine<const T extends ParseArgsConfig>(usage: string, config: T, argv: string[] = process.argv.slice(2)): ReturnType<typeof parseArgs<T>> {
  const beforeSeparator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeSeparator.includes('--help') || beforeSeparator.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, args: argv }) as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    // parseArgs explains in its first sentence; the rest is advice about "--" that the usage covers.
    const [firstSentence] = (error as Error).message.split(/(?<=\.) /);
    return usageFailure(usage, firstSentence ?? (error as Error).message);
  }
}

/** A whole number option, at least `min`; anything else is a usage failure naming the option. */
export function wholeNumber(usage: string, name: string, text: string, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) usageFailure(usage, `--${name} must be a whole number of at least ${min}, not "${text}".`);
  return value;
}

/** One line for any error: the command's own explanation, a busy or unreachable database, or the error's first line. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CommandError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof DatabaseBusyError) return { message: error.message, exitCode: EXIT.busy };
  if (isBusyError(error)) {
    return { message: 'The database is busy: another process holds its write lock; nothing was written. Try again shortly.', exitCode: EXIT.busy };
  }
  if (isUnavailableError(error)) return { message: new DatabaseUnavailableError(undefined, { duringWrite: true }).message, exitCode: EXIT.busy };
  const text = error instanceof Error ? error.message : String(error);
  return { message: `Failed: ${text.split('\n')[0]}`, exitCode: EXIT.failed };
}

/**
 * Runs a command's body. Whatever goes wrong, in it or later in a callback, ends as one plain
 * line on stderr and a non-zero exit code, never a stack trace.
 */
export async function runCommand(main: () => unknown): Promise<void> {
  const fail = (error: unknown) => {
    const { message, exitCode } = describeFailure(error);
    console.error(message);
    process.exit(exitCode);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    await main();
  } catch (error) {
    fail(error);
  }
}
