import { sql } from 'drizzle-orm';
import { withinStatementBudget } from '../db/statement-budget.js';
import { builder } from './builder.js';
import { RevisionConnection, revisionHistory } from './editing-types.js';
import { sharedConnection } from './connections.js';
import { PartialDateRef, storedPartialDate } from './partial-date.js';

/** Oldest first; the id breaks ties so that cursors are stable. */
export const articleOrderBy = { publishedEarliest: 'asc', publishedLatest: 'asc', id: 'asc' } as const;

interface QuoteContextShape {
  prefix: string;
  exact: string;
  suffix: string;
  start: number;
  end: number;
}

const QuoteContext = builder.objectRef<QuoteContextShape>('QuoteContext').implement({
  description:
    "Where a quote sits in its article's text, as a W3C Web Annotation TextQuoteSelector (prefix, exact, suffix) with a TextPositionSelector's offsets, counted in characters (Unicode code points).",
  fields: (t) => ({
    prefix: t.exposeString('prefix', { description: 'Up to 40 characters of the text just before the quote.' }),
    exact: t.exposeString('exact', { description: 'The quote, as the text has it.' }),
    suffix: t.exposeString('suffix', { description: 'Up to 40 characters of the text just after the quote.' }),
    start: t.exposeInt('start', { description: 'Where the quote begins in the text, from 0.' }),
    end: t.exposeInt('end', { description: 'Where it ends (exclusive).' }),
  }),
});

export const CitationRef = builder.drizzleNode('citations', {
  name: 'Citation',
  description: "An article's support for an event: a short verbatim quote, and whom the article credits.",
  id: { column: (citation) => citation.id },
  // Its event's id always: an answer showing a citation depends on that event (src/server/answer-reads.ts).
  select: { columns: { id: true, eventId: true } },
  fields: (t) => ({
    quote: t.exposeString('quote'),
    verified: t.boolean({
      description: "True when the quote was found, character for character, in the article's text as it was written; false when the article keeps no text to check it against.",
      select: { columns: { quoteStart: true } },
      resolve: (citation) => citation.quoteStart !== null,
    }),
    context: t.field({
      type: QuoteContext,
      nullable: true,
      description: "The quote with the article's text around it; null when it is not verified.",
      select: { columns: { quote: true, quotePrefix: true, quoteSuffix: true, quoteStart: true, quoteEnd: true } },
      resolve: (citation) =>
        citation.quoteStart === null
          ? null
          : { prefix: citation.quotePrefix ?? '', exact: citation.quote, suffix: citation.quoteSuffix ?? '', start: citation.quoteStart, end: citation.quoteEnd ?? citation.quoteStart },
    }),
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
  // As Event's: the id and slug, and the columns the selected fields read; never the text, which
  // only quote checks read.
  select: { columns: { id: true, slug: true } },
  fields: (t) => ({
    hasText: t.boolean({
      description: "Whether the article's text is kept, so that its citations' quotes are checked against it.",
      select: { extras: { hasText: (article) => sql<boolean>`${article.text} is not null` } },
      resolve: (article) => Boolean((article as { hasText?: unknown }).hasText),
    }),
    slug: t.exposeString('slug'),
    title: t.exposeString('title'),
    source: t.relation('source'),
    publishedOn: t.field({
      type: PartialDateRef,
      description: 'As precisely as the text allows.',
      select: { columns: { publishedIso: true, publishedPrecision: true, publishedEarliest: true, publishedLatest: true } },
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
