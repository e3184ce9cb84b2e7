import { and, desc, eq } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import { revisions } from '../db/schema.js';
import {
  formatIssuePath,
  RecordConflictError,
  RecordNotFoundError,
  RecordValidationError,
  withArticle,
} from '../domain/errors.js';
import type { EventInput } from '../domain/records.js';
import type { EventStatus, RevisionAction } from '../domain/vocabulary.js';
import { type ArticleTexts, articleDefinition, type EntityDefinition, eventDefinition, type WriteContext } from './entities.js';
import { articleTextsOf, misquotedCitations, placeQuotesAnew } from './quotes.js';
import { databaseLookup, referenceIds, referenceIssues } from './references.js';
import { storedRelationCycleIssues } from './relation-cycles.js';
import { syncChildRows, writeRow } from './store.js';

export interface Editor {
  /** Who makes the change, as recorded in revisions: a token's name, or "seed". */
  author: string;
  /** When, as an ISO timestamp; defaults to now. */
  now?: () => string;
}

export interface CitationKey {
  article: string;
  quote: string;
}

export interface WriteResult<Input = unknown> {
  type: EntityDefinition['type'];
  id: number;
  slug: string;
  /** What was recorded, or null when the record already matched. */
  action: RevisionAction | null;
  before: Input | null;
  after: Input | null;
}

/** Validates `input` against the definition's schema; throws a RecordValidationError listing every issue. */
export function parseRecord<Parsed extends { slug: string }>(definition: EntityDefinition<unknown, Parsed>, input: unknown): Parsed {
  const result = definition.schema.safeParse(input);
  if (!result.success) {
    throw new RecordValidationError(
      result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
    );
  }
  return result.data;
}

export async function idBySlug(tx: TimelineTransaction, definition: EntityDefinition, slug: string): Promise<number | undefined> {
  const table = definition.table;
  const [row] = (await tx.select({ id: table.id }).from(table as never).where(eq(table.slug, slug))) as { id: number }[];
  return row?.id;
}

export async function recordRevision(tx: TimelineTransaction, editor: Editor, result: WriteResult, justification?: CitationKey) {
  await tx.insert(revisions)
    .values({
      entityType: result.type,
      entityId: result.id,
      entitySlug: result.slug,
      action: result.action!,
      author: editor.author,
      at: editor.now?.() ?? new Date().toISOString(),
      before: result.before === null ? null : JSON.stringify(result.before),
      after: result.after === null ? null : JSON.stringify(result.after),
      justification: justification ? JSON.stringify(await withArticleId(tx, justification)) : null,
    });
}

/**
 * A status change's justification, with its article's id: an article may be renamed later, and
 * what was known when (src/db/as-of.ts) must still find the article the change rests on.
 */
async function withArticleId(tx: TimelineTransaction, justification: CitationKey): Promise<CitationKey & { articleId?: number }> {
  const articleId = await idBySlug(tx, articleDefinition, justification.article);
  return articleId === undefined ? justification : { ...justification, articleId };
}

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface SaveOptions {
  mode: 'create' | 'update' | 'upsert';
  /** The slug the record has now, when an update renames it. */
  currentSlug?: string;
  /** For events whose status changes: the citation that justifies the change. */
  statusCitation?: CitationKey | null;
  /** Status changes without a justifying citation are refused unless this is false (the seed files carry none). */
  requireStatusCitation?: boolean;
  /** The id to give a new record (a restored record gets its old id back). */
  newId?: number;
  action?: RevisionAction;
}

/** Validates and writes one whole record with everything that belongs to it, recording a revision if it changed. */
export async function saveRecord<Input>(
  tx: TimelineTransaction,
  definition: EntityDefinition<Input, any>,
  input: unknown,
  editor: Editor,
  options: SaveOptions,
): Promise<WriteResult<Input>> {
  const record = parseRecord(definition, input);
  const references = definition.references(record);
  const lookup = await databaseLookup(tx, references);
  const issues = referenceIssues(references, lookup);
  let articleTexts: ArticleTexts = () => null;
  if (definition === (eventDefinition as EntityDefinition<any, any>)) {
    issues.push(...(await storedRelationCycleIssues(tx, record, { from: options.currentSlug ?? record.slug, to: record.slug })));
    articleTexts = await articleTextsOf(tx, record.citations.map((c: CitationKey) => c.article));
    issues.push(...(await misquotedCitations(tx, record, articleTexts)));
  }
  if (issues.length > 0) throw new RecordValidationError(issues);

  const currentSlug = options.currentSlug ?? record.slug;
  const existing = await idBySlug(tx, definition, currentSlug);
  if (existing === undefined && options.mode === 'update') throw new RecordNotFoundError(definition.type, currentSlug);
  if (existing !== undefined && options.mode === 'create') {
    throw new RecordConflictError(`There is already ${withArticle(definition.noun)} with the slug "${currentSlug}".`);
  }
  if (record.slug !== currentSlug && (await idBySlug(tx, definition, record.slug)) !== undefined) {
    throw new RecordConflictError(`There is already ${withArticle(definition.noun)} with the slug "${record.slug}".`);
  }

  const before = existing === undefined ? null : await definition.read(tx, existing);
  const ids = referenceIds(lookup);
  const { id } = await writeRow(tx, definition.table, existing, definition.row(record, ids), options.newId);
  await writeChildren(tx, definition, record, id, { ids, articleTexts });
  const after = await definition.read(tx, id);
  if (definition === (articleDefinition as EntityDefinition<any, any>) && (before as { text?: string } | null)?.text !== (after as { text?: string }).text) {
    const misplaced = await placeQuotesAnew(tx, id, (after as { text?: string }).text ?? null);
    if (misplaced.length > 0) throw new RecordValidationError(misplaced);
  }
  const changed = !same(before, after);
  const result: WriteResult<Input> = {
    type: definition.type,
    id,
    slug: record.slug,
    action: changed ? (options.action ?? (before === null ? 'CREATE' : 'UPDATE')) : null,
    before,
    after,
  };
  const justification = definition === (eventDefinition as EntityDefinition<any, any>)
    ? checkStatusChange(before as EventInput | null, after as EventInput, options)
    : undefined;
  if (changed) await recordRevision(tx, editor, result, justification);
  return result;
}

/** Writes the rows that belong to a record (an event's participants, citations, claim supports, links), in order. */
export async function writeChildren(tx: TimelineTransaction, definition: EntityDefinition<unknown, any>, record: unknown, id: number, context: WriteContext) {
  for (const child of definition.children(record, id, context)) {
    const rows = typeof child.rows === 'function' ? await child.rows(tx) : child.rows;
    await syncChildRows(tx, child.table, child.parentColumn, id, child.keyColumns, rows);
  }
}

/** A change of an event's status must name one of its citations as the reason. */
function checkStatusChange(before: EventInput | null, after: EventInput, options: SaveOptions): CitationKey | undefined {
  if (before === null || before.status === after.status) return undefined;
  const citation = options.statusCitation;
  if (!citation) {
    if (options.requireStatusCitation === false) return undefined;
    throw new RecordValidationError([
      {
        path: 'statusCitation',
        message: `changing the status from ${before.status as EventStatus} to ${after.status as EventStatus} needs the citation that justifies it`,
      },
    ]);
  }
  if (!after.citations.some((c) => c.article === citation.article && c.quote === citation.quote.trim())) {
    throw new RecordValidationError([
      { path: 'statusCitation', message: "is not one of the event's citations; add the citation first or with the change" },
    ]);
  }
  return { article: citation.article, quote: citation.quote.trim() };
}

/** Deletes a record (its own participants, citations and links go with it), recording what it was. */
export async function deleteRecord<Input>(tx: TimelineTransaction, definition: EntityDefinition<Input, any>, slug: string, editor: Editor): Promise<WriteResult<Input>> {
  const id = await idBySlug(tx, definition, slug);
  if (id === undefined) throw new RecordNotFoundError(definition.type, slug);
  const blocker = await definition.blockers(tx, id);
  if (blocker) throw new RecordConflictError(`Cannot delete: ${blocker}.`);
  const before = await definition.read(tx, id);
  await tx.delete(definition.table as never).where(eq(definition.table.id, id));
  const result: WriteResult<Input> = { type: definition.type, id, slug, action: 'DELETE', before, after: null };
  await recordRevision(tx, editor, result);
  return result;
}

/** Brings a deleted record back, with its old id, from the revision that recorded its deletion. */
export async function restoreRecord<Input>(tx: TimelineTransaction, definition: EntityDefinition<Input, any>, slug: string, editor: Editor): Promise<WriteResult<Input>> {
  if ((await idBySlug(tx, definition, slug)) !== undefined) {
    throw new RecordConflictError(`The ${definition.noun} "${slug}" exists; only a deleted record can be restored.`);
  }
  const [last] = await tx
    .select()
    .from(revisions)
    .where(and(eq(revisions.entityType, definition.type), eq(revisions.entitySlug, slug)))
    .orderBy(desc(revisions.id))
    .limit(1);
  if (!last || last.action !== 'DELETE' || last.before === null) throw new RecordNotFoundError(definition.type, slug);
  const idTaken = (await tx.select({ id: definition.table.id }).from(definition.table as never).where(eq(definition.table.id, last.entityId))).length > 0;
  return saveRecord(tx, definition, JSON.parse(last.before), editor, {
    mode: 'create',
    newId: idTaken ? undefined : last.entityId,
    action: 'RESTORE',
  });
}

/** The stored record with this slug, in the seed files' shape; NotFound if there is none. */
export async function readRecord<Input>(tx: TimelineTransaction, definition: EntityDefinition<Input, any>, slug: string): Promise<Input> {
  const id = await idBySlug(tx, definition as EntityDefinition, slug);
  if (id === undefined) throw new RecordNotFoundError(definition.type, slug);
  return definition.read(tx, id);
}

/** Edits an event's record with `change` and saves it: citations, participants and links are parts of events. */
export async function editEvent(
  tx: TimelineTransaction,
  slug: string,
  editor: Editor,
  change: (record: EventInput) => EventInput,
  statusCitation?: CitationKey | null,
): Promise<WriteResult<EventInput>> {
  const record = await readRecord(tx, eventDefinition, slug);
  return saveRecord(tx, eventDefinition, change(record), editor, { mode: 'update', currentSlug: slug, statusCitation });
}

/** The event a citation belongs to, and where it sits among the event's citations. */
export async function locateCitation(tx: TimelineTransaction, citationId: number): Promise<{ eventSlug: string; index: number }> {
  const citation = await tx.query.citations.findFirst({ where: { id: citationId }, with: { event: true, article: true } });
  if (!citation) throw new RecordNotFoundError('Citation', String(citationId));
  const record = await eventDefinition.read(tx, citation.eventId);
  const index = record.citations.findIndex((c) => c.article === citation.article.slug && c.quote === citation.quote);
  return { eventSlug: citation.event.slug, index };
}

/** Where the citations with these ids sit in the event's record; a ValidationError for an id that is not one of its citations. */
export async function citationIndexes(tx: TimelineTransaction, eventSlug: string, ids: number[], field = 'supportedBy'): Promise<number[]> {
  const event = await tx.query.events.findFirst({ where: { slug: eventSlug }, with: { citations: { columns: { id: true }, orderBy: { id: 'asc' } } } });
  if (!event) throw new RecordNotFoundError('Event', eventSlug);
  const order = event.citations.map((citation) => citation.id);
  const issues = ids.flatMap((id, position) =>
    order.includes(id) ? [] : [{ path: `${field}[${position}]`, message: `is not a citation of the event "${eventSlug}"` }],
  );
  if (issues.length > 0) throw new RecordValidationError(issues);
  return ids.map((id) => order.indexOf(id));
}

/** The id of an event's citation, found by article and quote (as stored: trimmed) after a write. */
export async function citationId(tx: TimelineTransaction, eventId: number, key: CitationKey): Promise<number> {
  const citation = await tx.query.citations.findFirst({ where: { eventId, quote: key.quote.trim(), article: { slug: key.article } } });
  if (!citation) throw new RecordNotFoundError('Citation', `${key.article} ${key.quote}`);
  return citation.id;
}

