import { and, asc, eq, gt, inArray, isNotNull, ne } from 'drizzle-orm';
import type { TimelineTransaction } from '../db/client.js';
import { articles, citations, events } from '../db/schema.js';
import type { RecordIssue } from '../domain/errors.js';
import { anchorQuote, misquoteIssue, misquotes } from '../domain/quotes.js';
import type { EventRecord } from '../domain/records.js';
import type { ArticleTexts } from './entities.js';

/** The texts of the articles named, by slug, in one query: null for an article that keeps none. */
export async function articleTextsOf(tx: TimelineTransaction, slugs: string[]): Promise<ArticleTexts> {
  const unique = [...new Set(slugs)];
  const rows = unique.length === 0 ? [] : await tx.select({ slug: articles.slug, text: articles.text }).from(articles).where(inArray(articles.slug, unique));
  const texts = new Map(rows.map((row) => [row.slug, row.text]));
  return (slug) => texts.get(slug) ?? null;
}

/** Each citation whose quote is not in its article's text as written, with that article's wording. */
export async function misquotedCitations(tx: TimelineTransaction, event: Pick<EventRecord, 'citations'>, articleTexts: ArticleTexts): Promise<RecordIssue[]> {
  const issues: RecordIssue[] = [];
  for (const misquote of misquotes(event.citations, articleTexts)) {
    issues.push(misquoteIssue(misquote, await storedArticleWith(tx, misquote.quote, misquote.article)));
  }
  return issues;
}

/** Articles' texts are read this many at a time when looking for a quote in all of them. */
const TEXTS_PER_READ = 50;

/** The first article other than `articleSlug` whose text has the quote (only asked once a quote is refused). */
async function storedArticleWith(tx: TimelineTransaction, quote: string, articleSlug: string): Promise<string | undefined> {
  for (let after = 0; ; ) {
    const batch = await tx
      .select({ id: articles.id, slug: articles.slug, text: articles.text })
      .from(articles)
      .where(and(isNotNull(articles.text), ne(articles.slug, articleSlug), gt(articles.id, after)))
      .orderBy(asc(articles.id))
      .limit(TEXTS_PER_READ);
    const found = batch.find((row) => row.text!.includes(quote));
    if (found) return found.slug;
    if (batch.length < TEXTS_PER_READ) return undefined;
    after = batch.at(-1)!.id;
  }
}

/**
 * After an article's text changed: places every quote citing it anew, and names each citation
 * whose quote the new text no longer has (the write is then refused). Without text, quotes are unplaced.
 */
export async function placeQuotesAnew(tx: TimelineTransaction, articleId: number, text: string | null): Promise<RecordIssue[]> {
  const cited = await tx
    .select({ id: citations.id, quote: citations.quote, start: citations.quoteStart, prefix: citations.quotePrefix, suffix: citations.quoteSuffix, event: events.slug })
    .from(citations)
    .innerJoin(events, eq(events.id, citations.eventId))
    .where(eq(citations.articleId, articleId))
    .orderBy(asc(citations.id));
  const issues: RecordIssue[] = [];
  for (const citation of cited) {
    const anchor = text === null ? null : anchorQuote(text, citation.quote);
    if (text !== null && anchor === null) {
      issues.push({ path: 'text', message: `no longer has the quote an event "${citation.event}" citation makes: ${citation.quote}; change that citation first` });
      continue;
    }
    if ((anchor?.start ?? null) === citation.start && (anchor?.prefix ?? null) === citation.prefix && (anchor?.suffix ?? null) === citation.suffix) continue;
    await tx
      .update(citations)
      .set({ quoteStart: anchor?.start ?? null, quoteEnd: anchor?.end ?? null, quotePrefix: anchor?.prefix ?? null, quoteSuffix: anchor?.suffix ?? null })
      .where(eq(citations.id, citation.id));
  }
  return issues;
}
