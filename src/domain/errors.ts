/** One problem with a record: where in it (like "participants[0].actor"), and what. */
export interface RecordIssue {
  path: string;
  message: string;
}

/** A record that fails validation; nothing was written. */
export class RecordValidationError extends Error {
  constructor(readonly issues: RecordIssue[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
    this.name = 'RecordValidationError';
  }
}

export class RecordNotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly slug: string,
    /** For records not named by a slug alone: what was looked for, in a sentence. */
    message = `No ${entity.toLowerCase()} has the slug "${slug}".`,
  ) {
    super(message);
    this.name = 'RecordNotFoundError';
  }
}

/** A write that would clash with what is stored: a taken slug, or records that still depend on this one. */
export class RecordConflictError extends Error {
  override name = 'RecordConflictError';
}

export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

export const unknownReference = (kind: string, slug: string) => `unknown ${kind} "${slug}"`;
export const notACountry = (slug: string, kind: string) => `"${slug}" is a ${kind}, not a COUNTRY`;

/** "an event", "a place". */
export const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
