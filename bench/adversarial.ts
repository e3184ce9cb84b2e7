/**
 * Hostile queries that stay within every request limit (page size, complexity, depth, search
 * length) but make the database work hard: nested connections under filters, searches that match
 * almost everything or nothing, windows that reach the whole timeline. The attack script sends them
 * against a listening server; tests/pathological-queries.test.ts runs each against a synthetic
 * database; `npm run bench:adversarial` times them.
 */
export interface AdversarialQuery {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const COMMON_WORDS = 'talks summit visit trade security sanctions ministers alliance markets chips border envoy treaty drills exports tariffs';

export const ADVERSARIAL_QUERIES: readonly AdversarialQuery[] = [
  {
    name: 'search under a date window, nested',
    query: '{ actors(first: 10) { edges { node { events(filter: { search: "a", from: "2000" }) { edges { node { participants(first: 4) { edges { node { events(filter: { search: "talks", from: "2010" }) { edges { node { slug } } } } } } } } } } } } }',
  },
  {
    name: 'common word under a date window, nested',
    query: '{ actors(first: 10) { edges { node { events(filter: { search: "talks", from: "2000" }) { edges { node { participants(first: 4) { edges { node { events(filter: { search: "summit", from: "2010" }) { edges { node { slug } } } } } } } } } } } } }',
  },
  {
    name: "every actor's events, nested",
    query: '{ actors(first: 100) { edges { node { events(first: 100) { edges { node { participants(first: 3) { edges { node { events(first: 1) { edges { node { slug } } } } } } } } } } } } }',
  },
  {
    name: "every actor's events in a window, nested",
    query: '{ actors(first: 100) { edges { node { events(first: 100, filter: { from: "2000" }) { edges { node { participants(first: 3) { edges { node { events(first: 1, filter: { from: "2010", to: "2012" }, orderBy: DATE_DESC) { edges { node { slug } } } } } } } } } } } } }',
  },
  {
    name: 'a word no event has, nested under every actor',
    query: '{ actors(first: 100) { edges { node { events(first: 100, filter: { search: "zzzz" }) { totalCount edges { node { slug } } } } } } }',
  },
  {
    name: 'places of events, nested',
    query: '{ events(first: 20) { edges { node { place { events(first: 100) { edges { node { place { events(first: 20) { edges { node { slug } } } } } } } } } } } }',
  },
  {
    name: 'events of every place, nested through their places',
    query: '{ places(first: 100) { edges { node { events(first: 100) { edges { node { place { events(first: 5) { edges { node { slug } } } } } } } } } } }',
  },
  {
    name: 'citations credited to each outlet, nested',
    query: '{ sources(first: 20) { edges { node { creditedIn(first: 100) { edges { node { event { participants(first: 4) { edges { node { events(first: 5) { totalCount edges { node { slug } } } } } } } } } } } } } }',
  },
  {
    name: 'a word no event has, over the whole timeline',
    query: '{ events(first: 100, filter: { search: "zzzz" }) { totalCount edges { node { slug } } } }',
  },
  {
    name: 'a common word over the whole timeline, newest first',
    query: '{ events(first: 100, orderBy: DATE_DESC, filter: { search: "talks" }) { totalCount edges { node { slug } } } }',
  },
  {
    name: 'sixteen common words',
    query: 'query ($search: String!) { events(first: 100, filter: { search: $search, from: "1990" }) { totalCount edges { node { slug } } } }',
    variables: { search: COMMON_WORDS },
  },
  {
    name: 'search everything for a common word, deep page',
    query: '{ search(query: "talks", first: 100, after: null) { totalCount edges { node { __typename } } } }',
  },
  {
    name: 'a window reaching the whole timeline, newest first, nested',
    query: '{ events(first: 100, orderBy: DATE_DESC, filter: { from: "0001", to: "9999" }) { totalCount edges { node { participants { edges { node { events(first: 100, orderBy: DATE_DESC, filter: { from: "0001" }) { totalCount } } } } } } } }',
  },
  {
    name: 'actors by name search, with their events by search',
    query: '{ actors(first: 100, filter: { search: "ka" }) { edges { node { events(first: 100, filter: { search: "talks summit" }) { totalCount edges { node { slug } } } } } } }',
  },
];
