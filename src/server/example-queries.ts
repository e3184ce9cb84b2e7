/**
 * Named example operations: GraphiQL opens on them, the README shows them, and a test runs each
 * against the seeded timeline.
 */
export const EXAMPLE_QUERIES = {
  CountryPair: /* GraphQL */ `
# Events that involve both China and South Korea, oldest first,
# with who took part and which articles say so.
query CountryPair {
  events(filter: { actors: ["china", "south-korea"] }, first: 20) {
    totalCount
    edges {
      node {
        slug
        title
        status
        startDate { iso precision }
        place { name }
        participants(first: 10) {
          edges { role node { name kind } }
        }
        citations(first: 5) {
          edges {
            node {
              quote
              article { title source { name } }
              creditedSource { name }
            }
          }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  ActorTimeline: /* GraphQL */ `
# Xi Jinping's timeline, latest first, and each event's other participants.
query ActorTimeline {
  actor(slug: "xi-jinping") {
    name
    description
    affiliations { role organization { name } }
    events(first: 10, orderBy: DATE_DESC) {
      totalCount
      edges {
        node {
          title
          status
          startDate { iso precision earliest latest }
          participants(first: 10) { edges { role node { slug name } } }
        }
      }
    }
  }
}`,
  EventCitations: /* GraphQL */ `
# Everything the articles say about the Asian Games meeting: who reports it, where each
# quote sits in its article, and which citations support each claim.
query EventCitations {
  event(slug: "xi-han-duck-soo-hangzhou-meeting") {
    title
    summary
    startDate { iso precision }
    dateBasis
    dateNote
    dateSupport { basis supportedBy { quote } }
    place { name }
    placeSupport { basis note supportedBy { quote } }
    reportedBy { articleCount outletCount independentOutlets { name } }
    participants(first: 10) {
      edges { role basis note node { name } supportedBy { quote } }
    }
    citations(first: 20) {
      totalCount
      edges {
        node {
          quote
          verified
          context { prefix exact suffix }
          article { title publishedOn { iso } source { name } }
          creditedSource { slug name }
        }
      }
    }
    related { type to { title status startDate { iso } } }
  }
}`,
  Search: /* GraphQL */ `
# Full-text search across events, actors and outlets.
query Search {
  search(query: "summit", first: 10) {
    totalCount
    edges {
      node {
        __typename
        ... on Event { title startDate { iso } }
        ... on Actor { name kind }
        ... on Source { name }
      }
    }
  }
}`,
} as const;

/** GraphiQL's tabs: one per example. */
export const EXAMPLE_TABS = Object.values(EXAMPLE_QUERIES).map((query) => ({ query: query.trim() }));
