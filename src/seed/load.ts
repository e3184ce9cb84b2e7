import { count, eq } from 'drizzle-orm';
import type { TimelineDatabase } from '../db/client.js';
import { actors, events } from '../db/schema.js';
import { type Editor, inTransaction, recordRevision, same, type WriteResult } from '../editing/editor.js';
import { ENTITY_DEFINITIONS, type EntityDefinition, REFERENCE_KIND_OF, type ReferenceIds } from '../editing/entities.js';
import { syncChildRows, writeRow } from '../editing/store.js';
import type { EntityType } from '../domain/vocabulary.js';
import type { SeedData } from './validate.js';

export interface SeedSummary {
  /** Records created, updated or deleted; 0 when the database already matched the files. */
  changes: number;
  counts: Record<'actors' | 'places' | 'sources' | 'articles' | 'events' | 'citations', number>;
}

/**
 * Makes the database hold exactly the seed data, in one transaction: all of it, or (on any error)
 * none of it. Records are matched by slug; unchanged ones are left alone, so loading twice writes
 * nothing. It uses the same record definitions as the API's writes, in two steps, because records
 * in the files may refer to ones further down: first every record's own row, then what belongs
 * to each (affiliations, participants, citations, links). Each change is recorded as a revision.
 */
export function loadSeed(db: TimelineDatabase, data: SeedData, editor: Editor = { author: 'seed' }): SeedSummary {
  const recordsOf: Record<EntityType, { slug: string }[]> = {
    Source: data.sources,
    Actor: data.actors,
    Place: data.places,
    Article: data.articles,
    Event: data.events,
  };
  return inTransaction(db, (tx) => {
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
        (tx.select({ id: table.id, slug: table.slug }).from(table as never).all() as { id: number; slug: string }[]).map((row) => [row.slug, row.id]),
      );
      for (const record of recordsOf[definition.type]) {
        const current = existing.get(record.slug);
        existing.delete(record.slug);
        const before = current === undefined ? null : definition.read(tx, current);
        const { id } = writeRow(tx, table, current, definition.row(record, idOf));
        ids.set(`${REFERENCE_KIND_OF[definition.type]}:${record.slug}`, id);
        written.push({ definition, record, id, before });
      }
      for (const [slug, id] of existing) stale.push({ definition, id, slug });
    }

    for (const { definition, record, id } of written) {
      for (const child of definition.children(record, id, idOf)) {
        syncChildRows(tx, child.table, child.parentColumn, id, child.keyColumns, child.rows);
      }
    }

    let changes = 0;
    for (const { definition, record, id, before } of written) {
      const after = definition.read(tx, id);
      if (same(before, after)) continue;
      const result: WriteResult = { type: definition.type, id, slug: record.slug, action: before === null ? 'CREATE' : 'UPDATE', before, after };
      recordRevision(tx, editor, result);
      changes++;
    }

    // Records no longer in the files go last, dependents first (events before the places they used).
    for (const { definition, id, slug } of stale.reverse()) {
      const before = definition.read(tx, id);
      tx.delete(definition.table as never).where(eq(definition.table.id, id)).run();
      recordRevision(tx, editor, { type: definition.type, id, slug, action: 'DELETE', before, after: null });
      changes++;
    }

    return {
      changes,
      counts: {
        actors: data.actors.length,
        places: data.places.length,
        sources: data.sources.length,
        articles: data.articles.length,
        events: data.events.length,
        citations: data.events.reduce((sum, event) => sum + event.citations.length, 0),
      },
    };
  });
}

/** True when the database holds no timeline yet (a fresh file). */
export function isTimelineEmpty(db: TimelineDatabase): boolean {
  const [row] = db.select({ events: count() }).from(events).all();
  const [actorRow] = db.select({ actors: count() }).from(actors).all();
  return (row?.events ?? 0) === 0 && (actorRow?.actors ?? 0) === 0;
}
