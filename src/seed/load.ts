import { count, eq, inArray } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { TimelineDatabase, TimelineTransaction } from '../db/client.js';
import {
  actors,
  affiliations,
  articles,
  citations,
  eventRelations,
  events,
  participations,
  places,
  sources,
} from '../db/schema.js';
import type { SeedData } from './validate.js';

type Row = Record<string, unknown>;
type TableWithId = SQLiteTable & { id: SQLiteColumn };

interface SyncedTable {
  /** Database id of each record, by the record's natural key. */
  ids: Map<string, number>;
  /** Deletes the rows no seed record matched. */
  prune(): void;
  changes: number;
}

const keyOf = (row: Row, keyColumns: readonly string[]) => keyColumns.map((column) => String(row[column])).join('\u0000');

/**
 * Makes `table` hold exactly `rows`, matching existing rows by their natural key: unchanged rows are
 * left alone (so their ids stay and loading twice writes nothing), changed ones are updated in
 * place, new ones inserted. Stale rows are deleted only when `prune` is called, so that parents
 * are pruned after their children.
 */
function syncTable(tx: TimelineTransaction, table: TableWithId, keyColumns: readonly string[], rows: Row[]): SyncedTable {
  // Drizzle's builders are typed per table; this helper works on any of them.
  const anyTable = table as any;
  const existing = new Map<string, Row>();
  for (const row of tx.select().from(anyTable).all() as Row[]) existing.set(keyOf(row, keyColumns), row);

  const ids = new Map<string, number>();
  let changes = 0;
  for (const row of rows) {
    const key = keyOf(row, keyColumns);
    const current = existing.get(key);
    if (current === undefined) {
      const [inserted] = tx.insert(anyTable).values(row).returning({ id: table.id }).all() as { id: number }[];
      ids.set(key, inserted!.id);
      changes++;
      continue;
    }
    const id = current.id as number;
    ids.set(key, id);
    if (Object.entries(row).some(([column, value]) => (current[column] ?? null) !== (value ?? null))) {
      tx.update(anyTable).set(row).where(eq(table.id, id)).run();
      changes++;
    }
  }
  const kept = new Set(ids.values());
  const stale = [...existing.values()].map((row) => row.id as number).filter((id) => !kept.has(id));
  return {
    ids,
    get changes() {
      return changes + stale.length;
    },
    prune() {
      for (let start = 0; start < stale.length; start += 500) {
        tx.delete(anyTable).where(inArray(table.id, stale.slice(start, start + 500))).run();
      }
    },
  };
}

function idOf(ids: Map<string, number>, key: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`seed loader: no id for "${key}" (validation should have caught this)`);
  return id;
}

export interface SeedSummary {
  /** Rows inserted, updated or deleted; 0 when the database already matched the files. */
  changes: number;
  counts: Record<'actors' | 'places' | 'sources' | 'articles' | 'events' | 'citations', number>;
}

/** Loads validated seed data in one transaction: all of it, or (on any error) none of it. */
export function loadSeed(db: TimelineDatabase, data: SeedData): SeedSummary {
  return db.transaction((tx) => {
    const sourceRows = syncTable(tx, sources, ['slug'], data.sources.map(({ slug, name, description }) => ({ slug, name, description })));
    const actorRows = syncTable(tx, actors, ['slug'], data.actors.map(({ slug, name, kind, description }) => ({ slug, name, kind, description })));
    const actorId = (slug: string) => idOf(actorRows.ids, slug);
    const placeRows = syncTable(
      tx,
      places,
      ['slug'],
      data.places.map(({ slug, name, country }) => ({ slug, name, countryId: country ? actorId(country) : null })),
    );
    const articleRows = syncTable(
      tx,
      articles,
      ['slug'],
      data.articles.map((article) => ({
        slug: article.slug,
        title: article.title,
        sourceId: idOf(sourceRows.ids, article.source),
        publishedIso: article.publishedOn.iso,
        publishedPrecision: article.publishedOn.precision,
        publishedEarliest: article.publishedOn.earliest,
        publishedLatest: article.publishedOn.latest,
        dateNote: article.dateNote,
      })),
    );
    const eventRows = syncTable(
      tx,
      events,
      ['slug'],
      data.events.map((event) => ({
        slug: event.slug,
        title: event.title,
        summary: event.summary,
        kind: event.kind,
        status: event.status,
        startIso: event.start.iso,
        startPrecision: event.start.precision,
        startEarliest: event.start.earliest,
        startLatest: event.start.latest,
        endIso: event.end?.iso ?? null,
        endPrecision: event.end?.precision ?? null,
        endEarliest: event.end?.earliest ?? null,
        endLatest: event.end?.latest ?? null,
        earliest: event.start.earliest,
        latest: event.end?.latest ?? event.start.latest,
        dateBasis: event.dateBasis,
        dateNote: event.dateNote,
        placeId: event.place ? idOf(placeRows.ids, event.place) : null,
      })),
    );
    const eventId = (slug: string) => idOf(eventRows.ids, slug);

    const joinRows = [
      syncTable(
        tx,
        affiliations,
        ['memberId', 'organizationId'],
        data.actors.flatMap((actor) =>
          actor.affiliations.map((a) => ({ memberId: actorId(actor.slug), organizationId: actorId(a.actor), role: a.role })),
        ),
      ),
      syncTable(
        tx,
        participations,
        ['eventId', 'actorId'],
        data.events.flatMap((event) =>
          event.participants.map((p) => ({ eventId: eventId(event.slug), actorId: actorId(p.actor), role: p.role })),
        ),
      ),
      syncTable(
        tx,
        citations,
        ['eventId', 'articleId', 'quote'],
        data.events.flatMap((event) =>
          event.citations.map((c) => ({
            eventId: eventId(event.slug),
            articleId: idOf(articleRows.ids, c.article),
            quote: c.quote,
            creditedSourceId: c.credits ? idOf(sourceRows.ids, c.credits) : null,
          })),
        ),
      ),
      syncTable(
        tx,
        eventRelations,
        ['fromEventId', 'toEventId', 'type'],
        data.events.flatMap((event) =>
          event.related.map((r) => ({ fromEventId: eventId(event.slug), toEventId: eventId(r.event), type: r.type })),
        ),
      ),
    ];
    const synced = [...joinRows, eventRows, articleRows, placeRows, actorRows, sourceRows];
    for (const table of synced) table.prune();

    return {
      changes: synced.reduce((sum, table) => sum + table.changes, 0),
      counts: {
        actors: data.actors.length,
        places: data.places.length,
        sources: data.sources.length,
        articles: data.articles.length,
        events: data.events.length,
        citations: joinRows[2]!.ids.size,
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
