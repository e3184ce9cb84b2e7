import type { sources } from '../db/schema.js';
import { builder } from './builder.js';
import { asOfSelectionsOf } from './event-filter.js';
import { EventRef } from './event.js';
import { SourceRef } from './source.js';

type Outlet = typeof sources.$inferSelect;

/** What the rule reads of one citation: its article with the article's publisher, and the outlet it credits. */
export interface ReportingCitation {
  articleId: number;
  article: { source: Outlet };
  creditedSource: Outlet | null;
}

export interface Reporting {
  articleCount: number;
  outlets: Outlet[];
  independentOutlets: Outlet[];
}

/** Each outlet once, by name (compared as plain strings, not by locale), then id. */
function distinctByName(outlets: Outlet[]): Outlet[] {
  const byId = new Map(outlets.map((outlet) => [outlet.id, outlet]));
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}

/**
 * How an event's citations report it. Every publisher of a citing article and every credited
 * outlet is involved; the independent origins are the outlets the reporting comes from: the
 * credited outlet ("according to Reuters"), or else the article's own publisher. So an article
 * whose citations all credit other outlets only relays them.
 */
export function reportingOf(citations: readonly ReportingCitation[]): Reporting {
  return {
    articleCount: new Set(citations.map((citation) => citation.articleId)).size,
    outlets: distinctByName(citations.flatMap((citation) => [citation.article.source, ...(citation.creditedSource ? [citation.creditedSource] : [])])),
    independentOutlets: distinctByName(citations.map((citation) => citation.creditedSource ?? citation.article.source)),
  };
}

const ReportingRef = builder.objectRef<Reporting>('Reporting').implement({
  description: 'How many articles report an event, through which outlets, and which outlets it originates from.',
  fields: (t) => ({
    articleCount: t.exposeInt('articleCount', { description: 'The distinct articles the citations come from.' }),
    outletCount: t.int({ description: 'How many outlets are involved: the length of outlets.', resolve: (reporting) => reporting.outlets.length }),
    outlets: t.field({
      type: [SourceRef],
      description: "Every outlet involved, once: the citing articles' publishers and the outlets they credit. By name, then id.",
      resolve: (reporting) => reporting.outlets,
    }),
    independentOutlets: t.field({
      type: [SourceRef],
      description:
        "The outlets the reporting originates from: each citation's credited outlet, or its article's publisher when it credits none. " +
        'An article that only relays other outlets adds none of its own. By name, then id.',
      resolve: (reporting) => reporting.independentOutlets,
    }),
  }),
});

// The citations load in the event's own statement, whatever the page size, with their outlets
// whole: a Source's columns are read from those rows. Reporting is no drizzle type, so a Source
// field that needs more (its articles, its revisions) has the plugin load those Sources again by
// id: one statement for the whole page. (Planning them with nestedSelection saves it, but with
// plugin-drizzle 0.20.0 yields Sources holding only their id when this field must run its own
// query, as when the event's citations connection is planned first.)
// (drizzleObjectFields, since drizzleObjectField's callback type refuses a plain t.field.)
builder.drizzleObjectFields(EventRef, (t) => ({
  reportedBy: t.field({
    type: ReportingRef,
    description:
      'How the cited articles report this event: how many articles, through which outlets, from which independent origins; ' +
      'as of a day, through the citations known then.',
    select: (_args, context) => ({
      with: {
        citations: {
          where: asOfSelectionsOf(context).citations,
          columns: { articleId: true },
          with: { article: { columns: { id: true }, with: { source: true } }, creditedSource: true },
        },
      },
    }),
    resolve: (event) => reportingOf((event as typeof event & { citations: ReportingCitation[] }).citations),
  }),
}));
