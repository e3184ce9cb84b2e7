import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML, { type Document, LineCounter } from 'yaml';
import { DEFAULT_ARTICLES_DIR } from '../config.js';
import type { SeedProblem } from './errors.js';

export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../../seed', import.meta.url));

/** The seed files and the top-level lists each holds. */
export const SEED_FILES = {
  'actors.yaml': ['actors'],
  'places.yaml': ['places'],
  'sources.yaml': ['sources', 'articles'],
  'events.yaml': ['events'],
} as const;

export type SeedFileName = keyof typeof SEED_FILES;
export type SeedListName = (typeof SEED_FILES)[SeedFileName][number];

/** Where a problem sits inside a record: field names and list indexes, or the same written "citations[0].quote". */
export type RecordPath = readonly PropertyKey[] | string;

export interface RawList {
  file: SeedFileName;
  records: unknown[];
  /** Problems with the file itself (unreadable, not YAML, not a mapping of lists), on its first list only. */
  problems?: SeedProblem[];
  /** True when the file could not be read as YAML: its records are unknown, not absent. */
  unreadable?: boolean;
  /** The line (1-based) of the record at `index`, or of the field `path` inside it, as far as it exists. */
  lineOf?: (index: number, path?: RecordPath) => number | undefined;
}

/** Each top-level list as written, with the file it came from. */
export type RawSeed = Record<SeedListName, RawList>;

/**
 * Reads every seed file, and the text file each article names (`text: <file>`, relative to
 * `articlesDir`). Problems with the files themselves do not stop the others from being read:
 * they travel with the lists, so validation reports them together with every other problem.
 */
export function readSeedFiles(dir: string = DEFAULT_SEED_DIR, articlesDir: string = DEFAULT_ARTICLES_DIR): RawSeed {
  const raw: Partial<RawSeed> = {};
  for (const [file, lists] of Object.entries(SEED_FILES) as [SeedFileName, readonly SeedListName[]][]) {
    const parsed = parseSeedFile(file, dir, lists);
    lists.forEach((list, index) => {
      raw[list] = {
        file,
        records: parsed.lists[list] ?? [],
        problems: index === 0 ? parsed.problems : [],
        unreadable: parsed.unreadable,
        lineOf: (recordIndex, path) => parsed.lineOf([list, recordIndex, ...pathSegments(path)]),
      };
    });
  }
  readArticleTexts(raw.articles!, articlesDir);
  return raw as RawSeed;
}

/**
 * Replaces each article's `text: <file>` with the file's text, keeping the name as `textFile`,
 * so that validation checks every quote against the text and an export can name the file again.
 */
function readArticleTexts(list: RawList, articlesDir: string) {
  const problem = (index: number, field: string, message: string) =>
    list.problems!.push({ file: list.file, line: list.lineOf?.(index, [field]), record: `articles[${index}]`, message: `${field}: ${message}` });
  list.records = list.records.map((record, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
    const { text, textFile, ...rest } = record as Record<string, unknown>;
    if (textFile !== undefined) problem(index, 'textFile', 'is not a seed file field; name the text file with text: <file>');
    if (typeof text !== 'string') return text === undefined ? rest : record;
    if (text.trim() === '' || isAbsolute(text) || text.split(/[\\/]/).includes('..')) {
      problem(index, 'text', `must name a file inside the articles directory (${articlesDir}), like "000_111c21645aef6a9b.txt"`);
      return rest;
    }
    try {
      return { ...rest, text: readFileSync(join(articlesDir, text), 'utf8'), textFile: text };
    } catch (error) {
      problem(index, 'text', `cannot read ${join(articlesDir, text)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); set TIMELINE_ARTICLES_DIR to the folder that holds the articles' texts`);
      return rest;
    }
  });
}

interface ParsedFile {
  lists: Partial<Record<SeedListName, unknown[]>>;
  problems: SeedProblem[];
  unreadable: boolean;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

function parseSeedFile(file: SeedFileName, dir: string, lists: readonly SeedListName[]): ParsedFile {
  const problem = (message: string, line?: number): SeedProblem => ({ file, line, record: '(file)', message });
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    return { lists: {}, problems: [problem(`cannot be read: ${(error as Error).message}`)], unreadable: true, lineOf: () => undefined };
  }
  const lineCounter = new LineCounter();
  const document = YAML.parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: false, lineCounter });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: readonly PropertyKey[]) => nearestLine(document, path, lineAt);
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => problem(`is not valid YAML: ${error.message}`, lineAt(error.pos[0])));
    return { lists: {}, problems, unreadable: true, lineOf };
  }
  const value: unknown = document.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value) || value === null) {
    return { lists: {}, problems: [problem('must be a mapping of lists', lineOf([]))], unreadable: true, lineOf };
  }
  const problems: SeedProblem[] = [];
  const found: ParsedFile['lists'] = {};
  for (const [key, records] of Object.entries(value)) {
    if (!(lists as readonly string[]).includes(key)) {
      problems.push({ file, line: lineOf([key]), record: key, message: `unknown list; ${file} holds ${lists.map((list) => `"${list}"`).join(' and ')}` });
    } else if (!Array.isArray(records)) {
      problems.push({ file, line: lineOf([key]), record: key, message: `"${key}" must be a list` });
    } else {
      found[key as SeedListName] = records;
    }
  }
  return { lists: found, problems, unreadable: false, lineOf };
}

/** The line of the node at `path`, or of the deepest part of the path that exists. */
function nearestLine(document: Document, path: readonly PropertyKey[], lineAt: (offset: number) => number): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return lineAt(range[0]);
  }
  return undefined;
}

/** "citations[0].quote" as ["citations", 0, "quote"]. */
function pathSegments(path: RecordPath | undefined): PropertyKey[] {
  if (path === undefined) return [];
  if (typeof path !== 'string') return [...path];
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] === undefined ? match[1]! : Number(match[2])));
}
