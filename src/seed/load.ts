import { count, eq } from 'drizzle-orm';
import type { DatabaseHandle, TimelineTransaction } from '../db/client.js';
import { actors, events, revisions } from '../db/schema.js';
import { type Editor, recordRevision, same, writeChildren, type WriteResult } from '../editing/editor.js';
import { ENTITY_DEFINITIONS, type EntityDefinition, REFERENCE_KIND_OF, type ReferenceIds } from '../editing/entities.js';
import { writeRow } from '../editing/store.js';
import type { EntityType } from '../domain/vocabulary.js';
import { type SeedConflict, SeedConflictError } from './errors.js';
import { latestRevisionId, revisionsSinceMark, type RevisionSummary, SEED_AUTHOR, setSyncMark } from './sync-mark.js';
import type { SeedData } from './validate.js';

export interface SeedSummary {
  /** Records created, updated or deleted (or that would be, in a dry run); 0 when the database already matched the files. */
  changes: number;
  counts: Record<'actors' | 'places' | 'sources' | 'articles' | 'events' | 'citations', number>;
  /** Records changed outside the files that a forced load overwrote. */
  overwritten: SeedConflict[];
}

export interface LoadOptions {
  editor?: Editor;
  /** Overwrite records changed outside the seed files since they were last loaded or exported. */
  force?: boolean;
  /** Work out the load, conflicts included, and write nothing. */
  dryRun?: boolean;
}

/** Thrown to roll a dry run back; carries what the load would have done. */
class DryRun {
  constructor(readonly summary: SeedSummary) {}
}

/**
 * Makes the database hold exactly the seed data, in one transaction: all of it, or (on any error)
 * none of it. Records are matched by slug; unchanged ones are left alone, so loading twice writes
 * nothing. It uses the same record definitions as the API's writes, in two steps, because records
 * in the files may refer to ones further down: first every record's own row, then what belongs
 * to each (affiliations, participants, citations, links). Each change is recorded as a revision.
 *
 * A record the load would change, delete or re-create that was changed outside the files since
 * they were last loaded or exported (a revision after the sync mark) is a conflict: the load
 * refuses with a SeedConflictError naming every one, unless forced. A load moves the mark to its
 * own last revision.
 */
export async function loadSeed(database: DatabaseHandle, data: SeedData, { editor = { author: SEED_AUTHOR }, force = false, dryRun = false }: LoadOptions = {}): Promise<SeedSummary> {
  try {
    const summary = await database.write(async (tx) => {
      const summary = await writeSeed(tx, data, editor, force);
      if (dryRun) throw new DryRun(summary);
      await setSyncMark(tx, await latestRevisionId(tx), 'load');
      return summary;
    });
    if (summary.changes > 0) await database.refreshStatistics();
    return summary;
  } catch (error) {
    if (error instanceof DryRun) return error.summary;
    throw error;
  }
}

async function writeSeed(tx: TimelineTransaction, data: SeedData, editor: Editor, force: boolean): Promise<SeedSummary> {
  const recordsOf: Record<EntityType, { slug: string }[]> = {
    Source: data.sources,
    Actor: data.actors,
    Place: data.places,
    Article: data.articles,
    Event: data.events,
  };
  const outside = changesOutsideFiles(await revisionsSinceMark(tx));
  const ids = new Map<string, number>();
  const idOf: ReferenceIds = (kind, slug) => {
    const id = ids.get(`${kind}:${slug}`);
    if (id === undefined) throw new Error(`seed loader: no id for ${kind} "${slug}" (validation should have caught this)`);
    return id;
  };
  const written: { definition: EntityDefinition<unknown, any>; record: { slug: string }; id: number; before: unknown }[] = [];
  const stale: { definition: EntityDefinition<unknown, any>; id: number; slug: string }[] = [];

  for (const definition of ENTITY_DEFINITIONS as readonly EntityDefinition<unknown, any>[]) {
    const table = definition.table;
    const existing = new Map(
      ((await tx.select({ id: table.id, slug: table.slug }).from(table as never)) as { id: number; slug: string }[]).map((row) => [row.slug, row.id]),
    );
    for (const record of recordsOf[definition.type]) {
      const current = existing.get(record.slug);
      existing.delete(record.slug);
      const before = current === undefined ? null : await definition.read(tx, current);
      const { id } = await writeRow(tx, table, current, definition.row(record, idOf));
      ids.set(`${REFERENCE_KIND_OF[definition.type]}:${record.slug}`, id);
      written.push({ definition, record, id, before });
    }
    for (const [slug, id] of existing) stale.push({ definition, id, slug });
  }

  const texts = new Map(data.articles.map((article) => [article.slug, article.text ?? null]));
  const context = { ids: idOf, articleTexts: (slug: string) => texts.get(slug) ?? null };
  for (const { definition, record, id } of written) await writeChildren(tx, definition, record, id, context);

  let changes = 0;
  const conflicts: SeedConflict[] = [];
  for (const { definition, record, id, before } of written) {
    const after = await definition.read(tx, id);
    if (same(before, after)) continue;
    const conflict =
      before === null
        ? conflictWith(outside.bySlug.get(`${definition.type}:${record.slug}`), definition.type, record.slug, 're-create')
        : conflictWith(outside.byId.get(`${definition.type}:${id}`), definition.type, record.slug, 'overwrite');
    if (conflict) conflicts.push(conflict);
    const result: WriteResult = { type: definition.type, id, slug: record.slug, action: before === null ? 'CREATE' : 'UPDATE', before, after };
    await recordRevision(tx, editor, result);
    changes++;
  }

  // Records no longer in the files go last, dependents first (events before the places they used).
  for (const { definition, id, slug } of stale.reverse()) {
    const conflict = conflictWith(outside.byId.get(`${definition.type}:${id}`), definition.type, slug, 'delete');
    if (conflict) conflicts.push(conflict);
    const before = await definition.read(tx, id);
    await tx.delete(definition.table as never).where(eq(definition.table.id, id));
    await recordRevision(tx, editor, { type: definition.type, id, slug, action: 'DELETE', before, after: null });
    changes++;
  }
  if (conflicts.length > 0 && !force) throw new SeedConflictError(conflicts);

  return {
    changes,
    overwritten: conflicts,
    counts: seedCounts(data),
  };
}

export function seedCounts(data: SeedData): SeedSummary['counts'] {
  return {
    actors: data.actors.length,
    places: data.places.length,
    sources: data.sources.length,
    articles: data.articles.length,
    events: data.events.length,
    citations: data.events.reduce((sum, event) => sum + event.citations.length, 0),
  };
}

/** Revisions since the mark, by record id and by slug (a record deleted outside the files has only its slug left). */
function changesOutsideFiles(revisions: RevisionSummary[]) {
  const byId = new Map<string, RevisionSummary[]>();
  const bySlug = new Map<string, RevisionSummary[]>();
  const add = (map: Map<string, RevisionSummary[]>, key: string, revision: RevisionSummary) => {
    const list = map.get(key);
    if (list) list.push(revision);
    else map.set(key, [revision]);
  };
  for (const revision of revisions) {
    add(byId, `${revision.entityType}:${revision.entityId}`, revision);
    add(bySlug, `${revision.entityType}:${revision.entitySlug}`, revision);
  }
  return { byId, bySlug };
}

/** The conflict, if revisions made outside the files since the mark (oldest first) touched this record. */
function conflictWith(touching: RevisionSummary[] | undefined, type: EntityType, slug: string, load: SeedConflict['load']): SeedConflict | undefined {
  const latest = touching?.at(-1);
  return latest && { type, slug, load, action: latest.action, author: latest.author, at: latest.at, changes: touching!.length };
}

/** True when the database holds no timeline and never did (a fresh file): deleting every record through the API is not "empty". */
export async function isTimelineEmpty(database: DatabaseHandle): Promise<boolean> {
  return database.read(async (tx) => {
    const [row] = await tx.select({ events: count() }).from(events);
    const [actorRow] = await tx.select({ actors: count() }).from(actors);
    const [revisionRow] = await tx.select({ revisions: count() }).from(revisions);
    return (row?.events ?? 0) === 0 && (actorRow?.actors ?? 0) === 0 && (revisionRow?.revisions ?? 0) === 0;
  });
}
