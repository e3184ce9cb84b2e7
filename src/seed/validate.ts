import type { z } from 'zod';
import {
  type ActorRecord,
  type ArticleRecord,
  actorRecord,
  articleRecord,
  type EventRecord,
  eventRecord,
  type PlaceRecord,
  placeRecord,
  type SourceRecord,
  sourceRecord,
} from '../domain/records.js';
import { formatIssuePath } from '../domain/errors.js';
import { misquoteIssues, misquotes, PASSAGES_SHOWN } from '../domain/quotes.js';
import { ENTITY_DEFINITIONS, type EntityDefinition, REFERENCE_KIND_OF } from '../editing/entities.js';
import { type ReferenceLookup, referenceIssues } from '../editing/references.js';
import { linkCyclesInOrder } from '../editing/relation-cycles.js';
import { SeedError, type SeedProblem } from './errors.js';
import type { RawSeed, SeedListName } from './files.js';

export interface SeedData {
  actors: ActorRecord[];
  places: PlaceRecord[];
  sources: SourceRecord[];
  articles: ArticleRecord[];
  events: EventRecord[];
}

/** Checks every record and every reference between records; throws a SeedError listing all problems. */
export function validateSeed(raw: RawSeed): SeedData {
  // Problems with the files themselves come first; the records of every readable file are still checked.
  const problems: SeedProblem[] = Object.values(raw).flatMap((list) => list.problems ?? []);
  /** Where each accepted record stands in its list, by list and slug. */
  const indexOf = new Map<string, number>();

  function parseList<T extends { slug: string }>(list: SeedListName, schema: z.ZodType<T>): Map<string, T> {
    const { file, records, lineOf } = raw[list];
    const bySlug = new Map<string, T>();
    records.forEach((record, index) => {
      const slug = (record as { slug?: unknown } | null)?.slug;
      const label = typeof slug === 'string' ? `${list}[${index}] "${slug}"` : `${list}[${index}]`;
      const result = schema.safeParse(record);
      if (!result.success) {
        for (const issue of result.error.issues) {
          const where = formatIssuePath(issue.path);
          problems.push({ file, line: lineOf?.(index, issue.path), record: label, message: where ? `${where}: ${issue.message}` : issue.message });
        }
        return;
      }
      if (bySlug.has(result.data.slug)) {
        problems.push({ file, line: lineOf?.(index, ['slug']), record: label, message: `duplicate slug "${result.data.slug}"` });
        return;
      }
      bySlug.set(result.data.slug, result.data);
      indexOf.set(`${list}:${result.data.slug}`, index);
    });
    return bySlug;
  }

  const actors = parseList('actors', actorRecord);
  const places = parseList('places', placeRecord);
  const sources = parseList('sources', sourceRecord);
  const articles = parseList('articles', articleRecord);
  const events = parseList('events', eventRecord);

  // The same reference checks as the API's writes, against the records in the files.
  const known = { actor: actors, place: places, source: sources, article: articles, event: events } as const;
  const lookup: ReferenceLookup = (kind, slug) => {
    const record = known[kind].get(slug);
    return record && { actorKind: kind === 'actor' ? (record as ActorRecord).kind : undefined };
  };
  const listOf = { Source: 'sources', Actor: 'actors', Place: 'places', Article: 'articles', Event: 'events' } as const;
  const listOfKind = { actor: 'actors', place: 'places', source: 'sources', article: 'articles', event: 'events' } as const;
  const linkCycles = linkCyclesInOrder();
  for (const definition of ENTITY_DEFINITIONS as readonly EntityDefinition<unknown, any>[]) {
    const list = listOf[definition.type];
    for (const record of known[REFERENCE_KIND_OF[definition.type]].values()) {
      // A file that is not valid YAML has unknown records, not none: references into it are not checked.
      const references = definition.references(record).filter((reference) => !raw[listOfKind[reference.kind]].unreadable);
      const index = indexOf.get(`${list}:${record.slug}`)!;
      for (const issue of [...referenceIssues(references, lookup), ...linkCycles(definition.type, record)]) {
        problems.push({
          file: raw[list].file,
          line: raw[list].lineOf?.(index, issue.path),
          record: `${list}[${index}] "${record.slug}"`,
          message: `${issue.path}: ${issue.message}`,
        });
      }
    }
  }

  // Every quote against its article's text, as the API's writes check them.
  const textOf = (slug: string) => articles.get(slug)?.text ?? null;
  const otherArticleWith = (quote: string, slug: string) => [...articles.values()].find((a) => a.slug !== slug && a.text?.includes(quote))?.slug;
  for (const event of events.values()) {
    const index = indexOf.get(`events:${event.slug}`)!;
    const found = misquotes(event.citations, textOf);
    const foundIn = found.slice(0, PASSAGES_SHOWN).map((misquote) => otherArticleWith(misquote.quote, misquote.article));
    for (const issue of misquoteIssues(found, foundIn)) {
      problems.push({ file: raw.events.file, line: raw.events.lineOf?.(index, issue.path), record: `events[${index}] "${event.slug}"`, message: `${issue.path}: ${issue.message}` });
    }
  }

  if (problems.length > 0) throw new SeedError(problems);
  return {
    actors: [...actors.values()],
    places: [...places.values()],
    sources: [...sources.values()],
    articles: [...articles.values()],
    events: [...events.values()],
  };
}
