import { inArray } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import { actors } from '../db/schema.js';
import { notACountry, type RecordIssue, unknownReference } from '../domain/errors.js';
import { REFERENCE_TABLES, type Reference, type ReferenceIds, type ReferenceKind } from './entities.js';

/** What is known of a referenced record: its id, once written, and an actor's kind. */
export interface KnownRecord {
  id?: number;
  actorKind?: string;
}

export type ReferenceLookup = (kind: ReferenceKind, slug: string) => KnownRecord | undefined;

/** The problems with `references`: each unknown slug, and a country that is not a COUNTRY. */
export function referenceIssues(references: Reference[], lookup: ReferenceLookup): RecordIssue[] {
  const issues: RecordIssue[] = [];
  for (const reference of references) {
    const known = lookup(reference.kind, reference.slug);
    if (!known) {
      issues.push({ path: reference.path, message: unknownReference(reference.kind, reference.slug) });
    } else if (reference.mustBeCountry && known.actorKind !== 'COUNTRY') {
      issues.push({ path: reference.path, message: notACountry(reference.slug, String(known.actorKind)) });
    }
  }
  return issues;
}

/** Looks the referenced records up in the database, in one query per kind. */
export async function databaseLookup(tx: TimelineTransaction, references: Reference[]): Promise<ReferenceLookup> {
  const found = new Map<string, KnownRecord>();
  const kinds = new Set(references.map((reference) => reference.kind));
  for (const kind of kinds) {
    const slugs = [...new Set(references.filter((r) => r.kind === kind).map((r) => r.slug))];
    const table = REFERENCE_TABLES[kind];
    if (kind === 'actor') {
      for (const row of await tx.select({ id: actors.id, slug: actors.slug, kind: actors.kind }).from(actors).where(inArray(actors.slug, slugs))) {
        found.set(`actor:${row.slug}`, { id: row.id, actorKind: row.kind });
      }
    } else {
      for (const row of await tx.select({ id: table.id, slug: table.slug }).from(table as typeof actors).where(inArray(table.slug, slugs))) {
        found.set(`${kind}:${row.slug}`, { id: row.id });
      }
    }
  }
  return (kind, slug) => found.get(`${kind}:${slug}`);
}

/** Ids for references already known to exist. */
export function referenceIds(lookup: ReferenceLookup): ReferenceIds {
  return (kind, slug) => {
    const id = lookup(kind, slug)?.id;
    if (id === undefined) throw new Error(`no id for ${kind} "${slug}": references must be checked before writing`);
    return id;
  };
}
