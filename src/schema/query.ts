import { and, inArray } from 'drizzle-orm';
import { eventFilterCondition } from '../db/event-filters.js';
import type { Dialect } from '../db/client.js';
import { actors, articles, events, places, sources } from '../db/schema.js';
import { MAX_SEARCH_LENGTH, matchesSearch } from '../db/search.js';
import { ActorConnection } from './actor.js';
import { ArticleConnection, articleOrderBy } from './article.js';
import { builder } from './builder.js';
import { badInput } from './errors.js';
import {
  AS_OF_DESCRIPTION,
  asOfSelectionsOf,
  claimAsOf,
  EventFilterInput,
  EventOrder,
  checkedEventFilter,
  eventOrderBy,
  eventWhere,
  withRequestAsOf,
} from './event-filter.js';
import { EventConnection } from './event.js';
import { PlaceConnection } from './place.js';
import { SourceConnection } from './source.js';
import { ActorKind } from './vocabulary.js';

const byName = { name: 'asc', id: 'asc' } as const;

const ActorFilterInput = builder.inputType('ActorFilter', {
  description: 'All given conditions must hold. An empty list places no restriction.',
  fields: (t) => ({
    kinds: t.field({ type: [ActorKind] }),
    search: t.string({ description: 'Words that must all appear in the name or description.' }),
  }),
});

type ActorFilter = typeof ActorFilterInput.$inferInput | null | undefined;

function actorCondition(dialect: Dialect, table: typeof actors, filter: ActorFilter) {
  if (filter?.search != null && filter.search.length > MAX_SEARCH_LENGTH) {
    throw badInput(`filter.search is longer than ${MAX_SEARCH_LENGTH} characters.`, 'filter.search');
  }
  return and(
    filter?.kinds?.length ? inArray(table.kind, filter.kinds) : undefined,
    filter?.search != null ? matchesSearch(dialect, 'actors', table.id, filter.search) : undefined,
  );
}

builder.queryFields((t) => ({
  events: t.drizzleConnection({
    type: 'events',
    description: 'The timeline: events in date order, filtered as asked, as of a day if asked.',
    args: {
      filter: t.arg({ type: EventFilterInput }),
      orderBy: t.arg({ type: EventOrder, defaultValue: 'DATE_ASC' }),
      asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }),
    },
    // Both await the same check of the filter's slugs, made once before either query runs.
    totalCount: async (_root, args, context) => {
      claimAsOf(context, args.asOf);
      const filter = withRequestAsOf(await checkedEventFilter(args.filter, context), context);
      return context.db.$count(events, eventFilterCondition(context.database.dialect, events, filter));
    },
    resolve: async (query, _root, args, context) => {
      claimAsOf(context, args.asOf);
      const filter = await checkedEventFilter(args.filter, context);
      return context.db.query.events.findMany(query({ where: eventWhere(context.database.dialect, filter, context), orderBy: eventOrderBy(args.orderBy) }));
    },
  }, EventConnection),
  actors: t.drizzleConnection({
    type: 'actors',
    description: 'People, countries, organisations and companies, by name.',
    args: { filter: t.arg({ type: ActorFilterInput }) },
    totalCount: (_root, args, context) => context.db.$count(actors, actorCondition(context.database.dialect, actors, args.filter)),
    resolve: (query, _root, args, context) => {
      const filtered = actorCondition(context.database.dialect, actors, args.filter) !== undefined;
      return context.db.query.actors.findMany(
        query({
          where: filtered ? { RAW: (table) => actorCondition(context.database.dialect, table, args.filter)! } : undefined,
          orderBy: byName,
        }),
      );
    },
  }, ActorConnection),
  sources: t.drizzleConnection({
    type: 'sources',
    description: 'Outlets, by name.',
    totalCount: (_root, _args, context) => context.db.$count(sources),
    resolve: (query, _root, _args, context) => context.db.query.sources.findMany(query({ orderBy: byName })),
  }, SourceConnection),
  articles: t.drizzleConnection({
    type: 'articles',
    description: 'Articles, oldest first.',
    totalCount: (_root, _args, context) => context.db.$count(articles),
    resolve: (query, _root, _args, context) => context.db.query.articles.findMany(query({ orderBy: articleOrderBy })),
  }, ArticleConnection),
  places: t.drizzleConnection({
    type: 'places',
    description: 'Places, by name.',
    totalCount: (_root, _args, context) => context.db.$count(places),
    resolve: (query, _root, _args, context) => context.db.query.places.findMany(query({ orderBy: byName })),
  }, PlaceConnection),

}));

type SluggedTable = 'events' | 'actors' | 'sources' | 'articles' | 'places';

builder.queryFields((t) => {
  const lookUpBySlug = <Table extends SluggedTable>(table: Table, noun: string) =>
    t.drizzleField({
      type: table,
      nullable: true,
      description: `The ${noun} with this slug, or null.`,
      args: { slug: t.arg.string({ required: true }) },
      resolve: async (query, _root, args, context) => {
        // Every slugged table's finder takes the same query; TypeScript cannot see that through the union.
        const finder = context.db.query[table] as unknown as { findFirst(config: unknown): Promise<unknown> };
        return ((await finder.findFirst(query({ where: { slug: args.slug } } as never))) ?? null) as never;
      },
    });
  return {
    event: t.drizzleField({
      type: 'events',
      nullable: true,
      description: 'The event with this slug, or null; as of a day, null also when no article published by then cites it.',
      args: { slug: t.arg.string({ required: true }), asOf: t.arg({ type: 'Date', description: AS_OF_DESCRIPTION }) },
      resolve: async (query, _root, args, context) => {
        claimAsOf(context, args.asOf);
        return (await context.db.query.events.findFirst(query({ where: { slug: args.slug, ...asOfSelectionsOf(context).events } }))) ?? null;
      },
    }),
    actor: lookUpBySlug('actors', 'actor'),
    source: lookUpBySlug('sources', 'outlet'),
    article: lookUpBySlug('articles', 'article'),
    place: lookUpBySlug('places', 'place'),
  };
});
