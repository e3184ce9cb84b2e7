import { getSchemaConfig, queryFromInfo } from '@pothos/plugin-drizzle';
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import type { TimelineContext } from './builder.js';
import { builder } from './builder.js';
import { countSearchHits, MAX_SEARCH_LENGTH, type SearchHit, type SearchHitType, searchEverything } from '../db/search.js';
import { ActorRef } from './actor.js';
import { badInput } from './errors.js';
import { EventRef } from './event.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size.js';
import { SourceRef } from './source.js';

const hitType = Symbol('search hit type');
type Tagged = { [hitType]: SearchHitType };

const SearchResult = builder.unionType('SearchResult', {
  types: [EventRef, ActorRef, SourceRef],
  resolveType: (record) => (record as unknown as Tagged)[hitType],
});

/**
 * Loads the records behind `hits`, one query per kind of record on the page, each with what the
 * document selects of that kind (so nothing is fetched again field by field), in the hits' order.
 */
async function loadHits(context: TimelineContext, info: GraphQLResolveInfo, hits: SearchHit[]) {
  const idsOf = (type: SearchHitType) => hits.filter((hit) => hit.type === type).map((hit) => hit.id);
  // Typed as the plain query it extends: the rows keep their id, which is all this function reads.
  const selected = (typeName: SearchHitType) =>
    queryFromInfo({ config: getSchemaConfig(builder), context, info, typeName, path: ['edges', 'node'], where: { id: { in: idsOf(typeName) } } }) as {
      where: { id: { in: number[] } };
    };
  const query = context.db.query;
  const [eventRows, actorRows, sourceRows] = await Promise.all([
    idsOf('Event').length ? query.events.findMany(selected('Event')) : [],
    idsOf('Actor').length ? query.actors.findMany(selected('Actor')) : [],
    idsOf('Source').length ? query.sources.findMany(selected('Source')) : [],
  ]);
  type Hit = (typeof eventRows)[number] | (typeof actorRows)[number] | (typeof sourceRows)[number];
  const byKey = new Map<string, Hit>();
  for (const [type, rows] of [['Event', eventRows], ['Actor', actorRows], ['Source', sourceRows]] as const) {
    for (const row of rows) byKey.set(`${type}:${row.id}`, Object.assign(row, { [hitType]: type }));
  }
  // A record deleted between the two queries is simply left out.
  return hits.flatMap((hit) => byKey.get(`${hit.type}:${hit.id}`) ?? []);
}

builder.queryField('search', (t) =>
  t.connection(
    {
      type: SearchResult,
      description:
        'Full-text search over event titles, summaries and quotes, and actor and source names and descriptions, ' +
        'for a search box that completes as you type: every word must match, the last one as the start of a word ' +
        '("Xi Jin" finds Xi Jinping). Title and name matches come first, then summaries and descriptions, then quotes. ' +
        'The text is read as plain words, never as query syntax.',
      args: { query: t.arg.string({ required: true }) },
      resolve: async (_root, args, context, info) => {
        if (args.query.length > MAX_SEARCH_LENGTH) {
          throw badInput(`query is longer than ${MAX_SEARCH_LENGTH} characters.`, 'query');
        }
        const totalCount = await countSearchHits(context.database, args.query);
        return resolveOffsetConnection(
          { args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE, totalCount },
          async ({ limit, offset }) => loadHits(context, info, await searchEverything(context.database, args.query, { limit, offset })),
        ).then((connection) => ({ ...connection, totalCount }));
      },
    },
    {
      name: 'SearchResultConnection',
      fields: (t) => ({
        totalCount: t.int({ resolve: (connection) => (connection as { totalCount?: number }).totalCount ?? 0 }),
      }),
    },
  ),
);
