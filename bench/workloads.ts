import { parsePartialDate } from '../src/domain/partial-date.js';
import { searchWords } from '../src/db/search.js';

/** A GraphQL request body. */
export interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}

/**
 * The four benchmark workloads: each a request to the service, the ceiling servers' equivalent
 * path, and the equivalent PostGraphile request (bench/postgraphile/).
 */
export interface Workload {
  name: string;
  description: string;
  /** Requests cycled through by each connection: GraphQL bodies, ceiling paths, PostGraphile bodies. */
  requests: (eventCount: number) => { graphql: GraphqlBody; ceiling: string; postgraphile: GraphqlBody }[];
}

export const Q1_QUERY = /* GraphQL */ `
  query TimelinePage($from: PartialDateString!, $to: PartialDateString!, $first: Int!) {
    events(filter: { from: $from, to: $to }, first: $first) {
      edges {
        node {
          slug
          title
          startDate { iso precision }
          participants(first: 10) { edges { role node { name } } }
          citations(first: 5) { edges { node { quote article { title source { name } } } } }
        }
      }
    }
  }
`;

export const Q2_QUERY = /* GraphQL */ `
  query ActorPage($slug: String!) {
    actor(slug: $slug) {
      name
      events(first: 20, orderBy: DATE_DESC) {
        edges {
          node {
            slug
            title
            startDate { iso precision }
            citations(first: 5) { edges { node { quote article { title source { name } } } } }
          }
        }
      }
    }
  }
`;

export const Q3_QUERY = /* GraphQL */ `
  query Search($query: String!) {
    search(query: $query, first: 20) {
      edges { node { __typename ... on Event { slug title } ... on Actor { slug name } ... on Source { slug name } } }
    }
  }
`;

export const Q4_QUERY = /* GraphQL */ `
  query Lookup($id: ID!) {
    node(id: $id) { ... on Event { slug title startDate { iso precision } } }
  }
`;

/**
 * The same questions for PostGraphile 5 (Amber preset) over the same PostgreSQL database, with
 * bench/postgraphile/functions.sql: the date window is the SQL function events_in_window (given
 * the window's first and last days, as the service's filter computes them from partial dates),
 * an actor's latest events the computed column actors_latest_events, search the function
 * search_everything. Nested lists are PostGraphile's own connections over the foreign keys, in
 * primary key order, as the service's are.
 */
const POSTGRAPHILE_CITATIONS = 'citationsByEventId(first: 5) { nodes { quote articleByArticleId { title sourceBySourceId { name } } } }';

export const POSTGRAPHILE_Q1 = /* GraphQL */ `
  query TimelinePage($fromDay: String!, $toDay: String!, $first: Int!) {
    eventsInWindow(fromDay: $fromDay, toDay: $toDay, first: $first) {
      nodes {
        slug
        title
        startIso
        startPrecision
        participationsByEventId(first: 10) { nodes { role actorByActorId { name } } }
        ${POSTGRAPHILE_CITATIONS}
      }
    }
  }
`;

export const POSTGRAPHILE_Q2 = /* GraphQL */ `
  query ActorPage($slug: String!) {
    actorBySlug(slug: $slug) {
      name
      latestEvents(first: 20) { nodes { slug title startIso startPrecision ${POSTGRAPHILE_CITATIONS} } }
    }
  }
`;

export const POSTGRAPHILE_Q3 = /* GraphQL */ `
  query Search($words: [String]!) {
    searchEverything(words: $words, first: 20) { nodes { type slug label } }
  }
`;

export const POSTGRAPHILE_Q4 = /* GraphQL */ `
  query Lookup($id: ID!) {
    node(id: $id) { ... on Event { slug title startIso startPrecision } }
  }
`;

export const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
/** PostGraphile's node ids: base64 of the JSON [type, primary key]. */
const postgraphileId = (type: string, id: number) => Buffer.from(JSON.stringify([type, id])).toString('base64');
const spread = (count: number, max: number) => Array.from({ length: count }, (_, i) => 1 + Math.floor(((i * 7919) % count) * (max / count)));

export const WORKLOADS: Workload[] = [
  {
    name: 'Q1',
    description: 'timeline page: 50 events in a date window, participants and citations',
    requests: () =>
      ['2001', '2006-03', '2010', '2015-07', '2020'].map((from) => {
        const to = from.length === 4 ? from : `${from.slice(0, 4)}-12`;
        return {
          graphql: { query: Q1_QUERY, variables: { from, to, first: 50 } },
          ceiling: `/q1?from=${from}&to=${to}&first=50`,
          postgraphile: { query: POSTGRAPHILE_Q1, variables: { fromDay: parsePartialDate(from).earliest, toDay: parsePartialDate(to).latest, first: 50 } },
        };
      }),
  },
  {
    name: 'Q2',
    description: 'actor page: the actor and its 20 latest events with citations',
    requests: (eventCount) =>
      spread(20, Math.max(10, Math.round(eventCount / 100))).map((n) => ({
        graphql: { query: Q2_QUERY, variables: { slug: `actor-${n}` } },
        ceiling: `/q2?slug=actor-${n}`,
        postgraphile: { query: POSTGRAPHILE_Q2, variables: { slug: `actor-${n}` } },
      })),
  },
  {
    name: 'Q3',
    description: 'full-text search, 20 hits',
    requests: () =>
      ['treaty envoy', 'border drills', 'kari', 'sanctions markets', 'summit'].map((query) => ({
        graphql: { query: Q3_QUERY, variables: { query } },
        ceiling: `/q3?query=${encodeURIComponent(query)}`,
        postgraphile: { query: POSTGRAPHILE_Q3, variables: { words: searchWords(query) } },
      })),
  },
  {
    name: 'Q4',
    description: 'node(id) lookups',
    requests: (eventCount) =>
      spread(100, eventCount).map((id) => ({
        graphql: { query: Q4_QUERY, variables: { id: globalId('Event', id) } },
        ceiling: `/q4?id=${id}`,
        postgraphile: { query: POSTGRAPHILE_Q4, variables: { id: postgraphileId('Event', id) } },
      })),
  },
];
