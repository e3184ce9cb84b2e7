/** The four benchmark workloads: each a GraphQL request, and the ceiling server's equivalent. */
export interface Workload {
  name: string;
  description: string;
  /** Requests cycled through by each connection, as GraphQL bodies and as ceiling paths. */
  requests: (eventCount: number) => { graphql: { query: string; variables: Record<string, unknown> }; ceiling: string }[];
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

const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const spread = (count: number, max: number) => Array.from({ length: count }, (_, i) => 1 + Math.floor(((i * 7919) % count) * (max / count)));

export const WORKLOADS: Workload[] = [
  {
    name: 'Q1',
    description: 'timeline page: 50 events in a date window, participants and citations',
    requests: () =>
      ['2001', '2006-03', '2010', '2015-07', '2020'].map((from) => {
        const to = from.length === 4 ? from : `${from.slice(0, 4)}-12`;
        return { graphql: { query: Q1_QUERY, variables: { from, to, first: 50 } }, ceiling: `/q1?from=${from}&to=${to}&first=50` };
      }),
  },
  {
    name: 'Q2',
    description: 'actor page: the actor and its 20 latest events with citations',
    requests: (eventCount) =>
      spread(20, Math.max(10, Math.round(eventCount / 100))).map((n) => ({
        graphql: { query: Q2_QUERY, variables: { slug: `actor-${n}` } },
        ceiling: `/q2?slug=actor-${n}`,
      })),
  },
  {
    name: 'Q3',
    description: 'full-text search, 20 hits',
    requests: () =>
      ['treaty envoy', 'border drills', 'kari', 'sanctions markets', 'summit'].map((query) => ({
        graphql: { query: Q3_QUERY, variables: { query } },
        ceiling: `/q3?query=${encodeURIComponent(query)}`,
      })),
  },
  {
    name: 'Q4',
    description: 'node(id) lookups',
    requests: (eventCount) =>
      spread(100, eventCount).map((id) => ({
        graphql: { query: Q4_QUERY, variables: { id: globalId('Event', id) } },
        ceiling: `/q4?id=${id}`,
      })),
  },
];
