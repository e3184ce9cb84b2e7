import { and, asc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import { articles, citations, events } from '../db/schema.js';
import type { RecordIssue } from '../domain/errors.js';
import { anchorQuote, misquoteIssues, misquotes, PASSAGES_SHOWN } from '../domain/quotes.js';
import type { EventRecord } from '../domain/records.js';
import type { ArticleTexts } from './entities.js';

/** The texts of the articles named, by slug, in one query: null for an article that keeps none. */
export async function articleTextsOf(tx: TimelineTransaction, slugs: string[]): Promise<ArticleTexts> {
  const unique = [...new Set(slugs)];
  const rows = unique.length === 0 ? [] : await tx.select({ slug: articles.slug, text: articles.text }).from(articles).where(inArray(articles.slug, unique));
  const texts = new Map(rows.map((row) => [row.slug, row.text]));
  return (slug) => texts.get(slug) ?? null;
}

/** Each citation whose quote is not in its article's text as written, the first few with that article's wording. */
export async function misquotedCitations(tx: TimelineTransaction, event: Pick<EventRecord, 'citations'>, articleTexts: ArticleTexts): Promise<RecordIssue[]> {
  const found = misquotes(event.citations, articleTexts);
  const foundIn: (string | undefined)[] = [];
  for (const misquote of found.slice(0, PASSAGES_SHOWN)) foundIn.push(await storedArticleWith(tx, misquote.quote, misquote.article));
  return misquoteIssues(found, foundIn);
}

/** The first article other than `articleSlug` whose text has the quote (asked only once a quote is refused). */
async function storedArticleWith(tx: TimelineTransaction, quote: string, articleSlug: string): Promise<string | undefined> {
  // replace() and length() mean the same in both dialects: the text loses characters when it holds the quote.
  const [found] = await tx
    .select({ slug: articles.slug })
    .from(articles)
    .where(and(isNotNull(articles.text), ne(articles.slug, articleSlug), sql`length(replace(${articles.text}, ${quote}, '')) < length(${articles.text})`))
    .orderBy(asc(articles.id))
    .limit(1);
  return found?.slug;
}

/**
 * After an article's text changed: places every quote citing it anew, and names each citation
 * whose quote the new text no longer has (the write is then refused). A text cited is never removed.
 */
export async function placeQuotesAnew(tx: TimelineTransaction, articleId: number, text: string | null): Promise<RecordIssue[]> {
  const cited = await tx
    .select({ id: citations.id, quote: citations.quote, start: citations.quoteStart, prefix: citations.quotePrefix, suffix: citations.quoteSuffix, event: events.slug })
    .from(citations)
    .innerJoin(events, eq(events.id, citations.eventId))
    .where(eq(citations.articleId, articleId))
    .orderBy(asc(citations.id));
  if (text === null && cited.length > 0) {
    // Its citations were checked against the text; without it, any quote would pass.
    return [{ path: 'text', message: `cannot be removed while ${cited.length} citation(s) quote the article (of the event "${cited[0]!.event}"${cited.length > 1 ? ' and others' : ''}); remove those citations first` }];
  }
  const issues: RecordIssue[] = [];
  for (const citation of cited) {
    const anchor = anchorQuote(text!, citation.quote);
    if (anchor === null) {
      issues.push({ path: 'text', message: `no longer has the quote an event "${citation.event}" citation makes: ${citation.quote}; change that citation first` });
    } else if (anchor.start !== citation.start || anchor.prefix !== citation.prefix || anchor.suffix !== citation.suffix) {
      await tx
        .update(citations)
        .set({ quoteStart: anchor.start, quoteEnd: anchor.end, quotePrefix: anchor.prefix, quoteSuffix: anchor.suffix })
        .where(eq(citations.id, citation.id));
    }
  }
  return issues;
}
