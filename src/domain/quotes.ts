import search from 'approx-string-match';

/**
 * Where a verbatim quote sits in its article's text, as a W3C Web Annotation TextQuoteSelector
 * (`exact` with up to CONTEXT_CHARACTERS of `prefix` and `suffix`) and TextPositionSelector
 * (`start`, `end`), counted in characters (Unicode code points) as the specification counts them.
 */
export interface QuoteAnchor {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

export const CONTEXT_CHARACTERS = 40;

const characters = (text: string) => [...text];

/** The quote's first occurrence in `text`, character for character, or null when the text does not contain it. */
export function anchorQuote(text: string, quote: string): QuoteAnchor | null {
  const at = text.indexOf(quote);
  if (quote === '' || at < 0) return null;
  const before = characters(text.slice(0, at));
  const after = characters(text.slice(at + quote.length));
  const start = before.length;
  return {
    exact: quote,
    prefix: before.slice(-CONTEXT_CHARACTERS).join(''),
    suffix: after.slice(0, CONTEXT_CHARACTERS).join(''),
    start,
    end: start + characters(quote).length,
  };
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The passage of `text` as written that differs least from `quote` (insertions, deletions,
 * substitutions), widened to whole words so that an editor can find it in the article.
 */
export function closestPassage(text: string, quote: string): string {
  const [best] = search(text, quote, quote.length);
  if (!best) return '';
  let { start, end } = best;
  while (start > 0 && WORD_CHARACTER.test(text[start - 1]!) && WORD_CHARACTER.test(text[start]!)) start--;
  while (end < text.length && WORD_CHARACTER.test(text[end]!) && WORD_CHARACTER.test(text[end - 1]!)) end++;
  return text.slice(start, end);
}

const codePoint = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const shown = (character: string) => (/\s/u.test(character) ? codePoint(character) : `${character} (${codePoint(character)})`);

/**
 * Where a quote of the same length as the passage first differs from it, in words an editor can act
 * on ("the text has “ (U+201C) where the quote has \" (U+0022)"); null when the lengths differ.
 */
export function firstDifference(passage: string, quote: string): string | null {
  const written = characters(passage);
  const typed = characters(quote);
  if (written.length !== typed.length) return null;
  const index = written.findIndex((character, i) => character !== typed[i]);
  if (index < 0) return null;
  return `the text has ${shown(written[index]!)} where the quote has ${shown(typed[index]!)}`;
}

/**
 * Why a quote is refused: it is not in its article's text as written. Shows the article's closest
 * passage, where the two first differ when that can be told, and the article it is in, if another.
 */
export function misquoteMessage(articleSlug: string, text: string, quote: string, foundIn?: string): string {
  const passage = closestPassage(text, quote);
  const difference = firstDifference(passage, quote);
  return [
    `is not in the text of the article "${articleSlug}" as written`,
    difference ? ` (${difference})` : '',
    foundIn ? `; it is in the article "${foundIn}"` : '',
    `; the article's closest passage is: ${passage}`,
  ].join('');
}

export interface Misquote {
  /** Where the citation sits in the event's list. */
  index: number;
  article: string;
  quote: string;
  /** The article's text, which lacks the quote. */
  text: string;
}

/**
 * The citations whose quote is not, character for character, in their article's text. A citation
 * of an article that keeps no text cannot be checked, and is left unverified rather than refused.
 */
export function misquotes(citations: readonly { article: string; quote: string }[], articleTexts: (slug: string) => string | null): Misquote[] {
  return citations.flatMap(({ article, quote }, index) => {
    const text = articleTexts(article);
    return text === null || text.includes(quote) ? [] : [{ index, article, quote, text }];
  });
}

/** The issue for a misquote, at the citation's quote. */
export const misquoteIssue = (misquote: Misquote, foundIn: string | undefined) => ({
  path: `citations[${misquote.index}].quote`,
  message: misquoteMessage(misquote.article, misquote.text, misquote.quote, foundIn),
});
