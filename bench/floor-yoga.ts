import Database from 'better-sqlite3';
import { createSchema, createYoga } from 'graphql-yoga';
import { handWrittenAnswers } from './hand-written.js';

/**
 * The floor: bare graphql-yoga, with its defaults, on the same node:http as the service, answering
 * the four workloads from the ceiling's hand-written statements: each root field returns the
 * ceiling's answer and graphql-js walks it with its default resolvers. What it costs beyond the
 * ceiling is Yoga and graphql-js; what the service costs beyond it is the service's own.
 */
export function createFloorYoga(database: Database.Database) {
  const answers = handWrittenAnswers(database);
  const schema = createSchema({
    typeDefs: /* GraphQL */ `
      scalar PartialDateString
      interface Node { id: ID! }
      type PartialDate { iso: String! precision: String! }
      type Source { slug: String! name: String! }
      type Article { title: String! source: Source! }
      type Citation { quote: String! article: Article! }
      type CitationEdge { node: Citation! }
      type CitationConnection { edges: [CitationEdge!]! }
      type ParticipantEdge { role: String! node: Actor! }
      type ParticipantConnection { edges: [ParticipantEdge!]! }
      type Event implements Node {
        id: ID!
        slug: String!
        title: String!
        startDate: PartialDate!
        participants(first: Int): ParticipantConnection!
        citations(first: Int): CitationConnection!
      }
      enum EventOrder { DATE_ASC DATE_DESC }
      type EventEdge { node: Event! }
      type EventConnection { edges: [EventEdge!]! }
      type Actor { slug: String! name: String! events(first: Int, orderBy: EventOrder): EventConnection! }
      union SearchResult = Event | Actor | Source
      type SearchEdge { node: SearchResult! }
      type SearchConnection { edges: [SearchEdge!]! }
      input EventFilter { from: PartialDateString, to: PartialDateString }
      type Query {
        events(filter: EventFilter!, first: Int!): EventConnection!
        actor(slug: String!): Actor
        search(query: String!, first: Int): SearchConnection!
        node(id: ID!): Node
      }
    `,
    resolvers: {
      Node: { __resolveType: () => 'Event' },
      SearchResult: { __resolveType: (node: { __typename: string }) => node.__typename },
      Query: {
        events: (_: unknown, { filter, first }: { filter: { from: string; to: string }; first: number }) => answers.timelinePage(filter.from, filter.to, first),
        actor: (_: unknown, { slug }: { slug: string }) => answers.actorPage(slug),
        search: (_: unknown, { query }: { query: string }) => answers.search(query),
        node: (_: unknown, { id }: { id: string }) => {
          const [type, key] = Buffer.from(id, 'base64').toString('utf8').split(':');
          return type === 'Event' ? answers.lookup(Number(key)) : null;
        },
      },
    },
  });
  return createYoga({ schema, logging: false });
}
