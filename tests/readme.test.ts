import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';

const source = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
// CommonMark, as GitHub renders it: a stray fence turns the sections after it into one code block.
const tokens = new MarkdownIt('commonmark').parse(source, {});

describe('README.md renders as written', () => {
  it('renders every "## " line of the source as a heading', () => {
    const sourceHeadings = source.split('\n').filter((line) => line.startsWith('## ')).map((line) => line.slice(3).trim());
    const renderedHeadings = tokens.flatMap((token, index) =>
      token.type === 'heading_open' && token.tag === 'h2' ? [tokens[index + 1]!.content.trim()] : [],
    );
    expect(sourceHeadings.length).toBeGreaterThan(5);
    expect(renderedHeadings).toEqual(sourceHeadings);
  });

  it('closes every code fence it opens', () => {
    const lines = source.split('\n');
    for (const fence of tokens.filter((token) => token.type === 'fence')) {
      const [, end] = fence.map!;
      // markdown-it runs an unclosed fence to the end of the document; a closed one ends on its closing line.
      const closing = lines[end - 1]!.trim();
      expect(closing, `fence opened on line ${fence.map![0] + 1}`).toMatch(/^(`{3,}|~{3,})$/);
      expect(end, `fence opened on line ${fence.map![0] + 1} runs to the end`).toBeLessThan(lines.length);
    }
    // Every fence line of the source is an opener or a closer of a rendered fence, never a stray one.
    const fenceLines = lines.filter((line) => /^\s{0,3}(`{3,}|~{3,})/.test(line)).length;
    expect(fenceLines).toBe(2 * tokens.filter((token) => token.type === 'fence').length);
  });
});
