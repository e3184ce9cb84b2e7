import { withinStatementBudget } from '../db/statement-budget.js';
import { ArticleConnection, CitationConnection, articleOrderBy } from './article.js';
import { builder } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';

export const SourceRef = builder.drizzleNode('sources', {
  name: 'Source',
  description: 'An outlet: a news agency, newspaper or broadcaster.',
  id: { column: (source) => source.id },
  // As Event's: the id and slug, and the columns the selected fields read.
  select: { columns: { id: true, slug: true } },
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    revisions: t.relatedConnection('revisions', revisionHistory, RevisionConnection),
    articles: t.relatedConnection(
      'articles',
      {
        description: 'Articles this outlet published.',
        totalCount: true,
        query: (_args, context) => ({ where: { RAW: (table) => withinStatementBudget(context.database.dialect, table.id) }, orderBy: articleOrderBy }),
      },
      ArticleConnection,
    ),
    creditedIn: t.relatedConnection(
      'creditedIn',
      {
        description: 'Citations whose article credits this outlet ("Yonhap News agency reported").',
        totalCount: true,
        query: (_args, context) => ({ where: { RAW: (table) => withinStatementBudget(context.database.dialect, table.id) }, orderBy: { id: 'asc' } }),
      },
      CitationConnection,
    ),
  }),
});

export const SourceConnection = sharedConnection(SourceRef, 'Source');
