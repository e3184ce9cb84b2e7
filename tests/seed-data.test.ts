import { describe, expect, it } from 'vitest';
import { readSeedFiles } from '../src/seed/files.js';
import { validateSeed } from '../src/seed/validate.js';

const data = validateSeed(readSeedFiles());
const eventBySlug = new Map(data.events.map((event) => [event.slug, event]));

describe('the seed data', () => {
  it('keeps the text of every article, and quotes each character for character', () => {
    // The articles themselves are not part of the project: the seed files name their files beside it.
    for (const article of data.articles) expect(article.textFile, article.slug).toMatch(/^\d{3}_[0-9a-f]{16}\.txt$/);
    const texts = new Map(data.articles.map((article) => [article.slug, article.text!]));
    const misquoted = data.events.flatMap((event) => event.citations.filter((c) => !texts.get(c.article)!.includes(c.quote)).map((c) => `${event.slug}: ${c.quote}`));
    expect(misquoted).toEqual([]);
  });

  it('cites every event with a non-empty quote', () => {
    for (const event of data.events) {
      expect(event.citations.length, event.slug).toBeGreaterThan(0);
      for (const citation of event.citations) expect(citation.quote.trim(), event.slug).not.toBe('');
    }
  });

  it.each([
    ['xi-state-visit-to-seoul-2014', '2014-07', 'MONTH', 'OCCURRED'],
    ['china-japan-south-korea-summit-2019', '2019', 'YEAR', 'OCCURRED'],
    ['camp-david-summit', '2023-08-18', 'DAY', 'OCCURRED'],
    ['xi-han-duck-soo-hangzhou-meeting', '2023-09-23', 'DAY', 'OCCURRED'],
  ])('dates %s as %s (%s)', (slug, iso, precision, status) => {
    const event = eventBySlug.get(slug)!;
    expect(event.start).toMatchObject({ iso, precision });
    expect(event.status).toBe(status);
  });

  it('marks the Camp David day as an outside fact, since the articles only say "August"', () => {
    const campDavid = eventBySlug.get('camp-david-summit')!;
    expect(campDavid.dateBasis).toBe('OUTSIDE');
    expect(campDavid.dateNote).toMatch(/August/);
  });

  it('cites both articles for the events both report', () => {
    for (const slug of ['xi-state-visit-to-seoul-2014', 'china-japan-south-korea-summit-2019', 'camp-david-summit', 'xi-han-duck-soo-hangzhou-meeting']) {
      const articles = new Set(eventBySlug.get(slug)!.citations.map((citation) => citation.article));
      expect(articles.size, slug).toBe(2);
    }
  });

  it('does not call events that had not happened by September 2023 OCCURRED', () => {
    expect(eventBySlug.get('xi-visit-to-south-korea')).toMatchObject({ status: 'PROPOSED', start: { iso: '2024', precision: 'YEAR' } });
    expect(eventBySlug.get('trilateral-summit-revival')!.status).toBe('PROPOSED');
    expect(eventBySlug.get('trilateral-senior-officials-meeting-seoul')).toMatchObject({ status: 'SCHEDULED', start: { iso: '2023-09-26' } });
    const latestPublication = data.articles.map((article) => article.publishedOn.latest).sort().at(-1)!;
    for (const event of data.events.filter((candidate) => candidate.start.earliest > latestPublication)) {
      expect(['PROPOSED', 'SCHEDULED'], event.slug).toContain(event.status);
    }
  });

  it('credits the outlets the articles credit', () => {
    const credited = new Set(data.events.flatMap((event) => event.citations.flatMap((citation) => citation.credits ?? [])));
    expect([...credited].sort()).toEqual(['bloomberg', 'cctv', 'mbn', 'reuters', 'south-china-morning-post', 'xinhua', 'yonhap']);
  });

  it('names every outlet and the key actors by their plain slugs', () => {
    const sources = data.sources.map((source) => source.slug);
    expect(sources).toEqual(expect.arrayContaining(['bloomberg', 'yonhap', 'mbn', 'xinhua', 'cctv', 'reuters', 'south-china-morning-post']));
    const actors = new Map(data.actors.map((actor) => [actor.slug, actor]));
    for (const slug of ['xi-jinping', 'south-korea', 'united-states', 'han-duck-soo', 'cho-tae-yong', 'kolmar-korea']) {
      expect(actors.has(slug), slug).toBe(true);
    }
    expect(actors.get('han-duck-soo')!.affiliations).toContainEqual({ actor: 'south-korea', role: 'Prime minister' });
    expect(actors.get('cho-tae-yong')!.affiliations).toContainEqual({ actor: 'south-korea', role: 'National security adviser' });
    expect(actors.get('kolmar-korea')).toMatchObject({ kind: 'COMPANY', affiliations: [{ actor: 'south-korea' }] });
  });
});
