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
/** A passage is widened to whole words by at most this many characters a side (scripts without spaces have no word ends). */
const WIDEN_AT_MOST = 20;

/**
 * The edits (insertions, deletions, substitutions) a passage may differ from the quote by and still
 * be found as its closest: a third of the quote. The search costs time in proportion to it, and a
 * quote further from every passage is better shown the article's wording around its words.
 */
const errorBudget = (quote: string) => Math.min(quote.length, Math.max(4, Math.ceil(quote.length / 3)));

/**
 * The passage of `text` as written that differs least from `quote`, widened to whole words so that
 * an editor can find it in the article; for a quote unlike any passage, the text around the longest
 * word it shares with the article (or the article's opening). Never splits a character.
 */
export function closestPassage(text: string, quote: string): string {
  const [best] = search(text, quote, errorBudget(quote));
  let [start, end] = best ? [best.start, best.end] : aroundSharedWord(text, quote);
  const widenFrom = start;
  while (start > 0 && widenFrom - start < WIDEN_AT_MOST && WORD_CHARACTER.test(text[start - 1]!) && WORD_CHARACTER.test(text[start]!)) start--;
  const widenTo = end;
  while (end < text.length && end - widenTo < WIDEN_AT_MOST && WORD_CHARACTER.test(text[end]!) && WORD_CHARACTER.test(text[end - 1]!)) end++;
  // Offsets count UTF-16 units: keep a surrogate pair whole at either end.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start]!)) start--;
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end]!)) end++;
  return text.slice(start, end);
}

/** A window of the quote's length around the longest word of the quote that the text has. */
function aroundSharedWord(text: string, quote: string): [number, number] {
  const words = [...new Set(quote.match(/[\p{L}\p{N}]+/gu) ?? [])].sort((a, b) => b.length - a.length);
  const at = words.map((word) => text.indexOf(word)).find((index) => index >= 0) ?? 0;
  const start = Math.max(0, Math.min(at - Math.floor(quote.length / 2), text.length - quote.length));
  return [start, Math.min(text.length, start + quote.length)];
}

/** "U+201C": how a character is named in messages. */
export const codePoint = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
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

/** Misquotes of one write shown with the article's closest passage (each search costs up to a few hundred milliseconds). */
export const PASSAGES_SHOWN = 3;

/**
 * The issues for a write's misquotes, at each citation's quote: the first PASSAGES_SHOWN with the
 * article's closest passage and the article that has the quote (`foundIn`, in the same order), if any.
 */
export function misquoteIssues(found: Misquote[], foundIn: (string | undefined)[]) {
  return found.map((misquote, position) => ({
    path: `citations[${misquote.index}].quote`,
    message:
      position < PASSAGES_SHOWN
        ? misquoteMessage(misquote.article, misquote.text, misquote.quote, foundIn[position])
        : `is not in the text of the article "${misquote.article}" as written (the closest passage is shown for the first ${PASSAGES_SHOWN} such quotes only)`,
  }));
}
