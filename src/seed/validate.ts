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
import { SeedError, type SeedProblem } from './errors.js';
import type { RawSeed, SeedListName } from './files.js';

export interface SeedData {
  actors: ActorRecord[];
  places: PlaceRecord[];
  sources: SourceRecord[];
  articles: ArticleRecord[];
  events: EventRecord[];
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join('');
}

/** Checks every record and every reference between records; throws a SeedError listing all problems. */
export function validateSeed(raw: RawSeed): SeedData {
  const problems: SeedProblem[] = [];

  function parseList<T extends { slug: string }>(list: SeedListName, schema: z.ZodType<T>): Map<string, T> {
    const { file, records } = raw[list];
    const bySlug = new Map<string, T>();
    records.forEach((record, index) => {
      const slug = (record as { slug?: unknown } | null)?.slug;
      const label = typeof slug === 'string' ? `${list}[${index}] "${slug}"` : `${list}[${index}]`;
      const result = schema.safeParse(record);
      if (!result.success) {
        for (const issue of result.error.issues) {
          const where = formatPath(issue.path);
          problems.push({ file, record: label, message: where ? `${where}: ${issue.message}` : issue.message });
        }
        return;
      }
      if (bySlug.has(result.data.slug)) {
        problems.push({ file, record: label, message: `duplicate slug "${result.data.slug}"` });
        return;
      }
      bySlug.set(result.data.slug, result.data);
    });
    return bySlug;
  }

  const actors = parseList('actors', actorRecord);
  const places = parseList('places', placeRecord);
  const sources = parseList('sources', sourceRecord);
  const articles = parseList('articles', articleRecord);
  const events = parseList('events', eventRecord);

  function reference(list: SeedListName, owner: string, field: string, kind: string, target: string, known: Map<string, unknown>) {
    if (!known.has(target)) {
      problems.push({ file: raw[list].file, record: `${list} "${owner}"`, message: `${field}: unknown ${kind} "${target}"` });
      return false;
    }
    return true;
  }

  function unique(list: SeedListName, owner: string, field: string, keys: string[], what: string) {
    const seen = new Set<string>();
    keys.forEach((key, index) => {
      if (seen.has(key)) {
        problems.push({ file: raw[list].file, record: `${list} "${owner}"`, message: `${field}[${index}]: duplicate ${what}` });
      }
      seen.add(key);
    });
  }

  for (const actor of actors.values()) {
    actor.affiliations.forEach((affiliation, index) => {
      reference('actors', actor.slug, `affiliations[${index}].actor`, 'actor', affiliation.actor, actors);
      if (affiliation.actor === actor.slug) {
        problems.push({ file: raw.actors.file, record: `actors "${actor.slug}"`, message: `affiliations[${index}].actor: an actor cannot be affiliated with itself` });
      }
    });
    unique('actors', actor.slug, 'affiliations', actor.affiliations.map((a) => a.actor), 'affiliation with the same actor');
  }

  for (const place of places.values()) {
    if (place.country && reference('places', place.slug, 'country', 'actor', place.country, actors)) {
      const kind = actors.get(place.country)?.kind;
      if (kind !== 'COUNTRY') {
        problems.push({ file: raw.places.file, record: `places "${place.slug}"`, message: `country: "${place.country}" is a ${kind}, not a COUNTRY` });
      }
    }
  }

  for (const article of articles.values()) {
    reference('articles', article.slug, 'source', 'source', article.source, sources);
  }

  for (const event of events.values()) {
    if (event.place) reference('events', event.slug, 'place', 'place', event.place, places);
    event.participants.forEach((participant, index) => {
      reference('events', event.slug, `participants[${index}].actor`, 'actor', participant.actor, actors);
    });
    unique('events', event.slug, 'participants', event.participants.map((p) => p.actor), 'participant');
    event.citations.forEach((citation, index) => {
      reference('events', event.slug, `citations[${index}].article`, 'article', citation.article, articles);
      if (citation.credits) reference('events', event.slug, `citations[${index}].credits`, 'source', citation.credits, sources);
    });
    unique('events', event.slug, 'citations', event.citations.map((c) => `${c.article}\n${c.quote}`), 'citation (same article and quote)');
    event.related.forEach((relation, index) => {
      reference('events', event.slug, `related[${index}].event`, 'event', relation.event, events);
      if (relation.event === event.slug) {
        problems.push({ file: raw.events.file, record: `events "${event.slug}"`, message: `related[${index}].event: an event cannot relate to itself` });
      }
    });
    unique('events', event.slug, 'related', event.related.map((r) => `${r.type} ${r.event}`), 'relation');
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
