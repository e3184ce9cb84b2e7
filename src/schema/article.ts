import { withinStatementBudget } from '../db/statement-budget.js';
import { builder } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { PartialDateRef, storedPartialDate } from './partial-date.js';

/** Oldest first; the id breaks ties so that cursors are stable. */
export const articleOrderBy = { publishedEarliest: 'asc', publishedLatest: 'asc', id: 'asc' } as const;

export const CitationRef = builder.drizzleNode('citations', {
  name: 'Citation',
  description: "An article's support for an event: a short verbatim quote, and whom the article credits.",
  id: { column: (citation) => citation.id },
  fields: (t) => ({
    quote: t.exposeString('quote'),
    article: t.relation('article'),
    creditedSource: t.relation('creditedSource', {
      nullable: true,
      description: 'The outlet the article credits for this ("according to Reuters"), if any.',
    }),
    event: t.relation('event'),
  }),
});

export const CitationConnection = sharedConnection(CitationRef, 'Citation');

export const ArticleRef = builder.drizzleNode('articles', {
  name: 'Article',
  id: { column: (article) => article.id },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    source: t.relation('source'),
    publishedOn: t.field({
      type: PartialDateRef,
      description: 'As precisely as the text allows.',
      resolve: (article) =>
        storedPartialDate(article.publishedIso, article.publishedPrecision, article.publishedEarliest, article.publishedLatest)!,
    }),
    revisions: t.relatedConnection('revisions', revisionHistory, RevisionConnection),
    dateNote: t.exposeString('dateNote', { description: 'How the publication date was established.' }),
    citations: t.relatedConnection(
      'citations',
      { totalCount: true, query: (_args, context) => ({ where: { RAW: (table) => withinStatementBudget(context.database.dialect, table.id) }, orderBy: { id: 'asc' } }) },
      CitationConnection,
    ),
  }),
});

export const ArticleConnection = sharedConnection(ArticleRef, 'Article');
