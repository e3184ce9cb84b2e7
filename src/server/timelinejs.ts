import { type ExecutionResult, execute, type GraphQLError, GraphQLEnumType, parse, validate } from 'graphql';
import type { DatabaseHandle } from '../db/client.js';
import type { TimelineContext } from '../schema/builder.js';
import { schema } from '../schema/index.js';
import { MAX_PAGE_SIZE } from '../schema/page-size.js';

/**
 * The timeline in Knight Lab TimelineJS3's JSON format (timeline.knightlab.com/docs/json-format.html),
 * filtered by the same conditions as the `events` query, and as of a day if asked (asOf), given as URL query parameters.
 */

/**
 * A TimelineJS date: only the parts the event's date really has, as strings without leading zeros,
 * and, for a date that is uncertain, approximate or has unspecified digits, how to show it honestly.
 */
export interface TimelineJsDate {
  year: string;
  month?: string;
  day?: string;
  display_date?: string;
}

export interface TimelineJsText {
  headline: string;
  text: string;
}

/**
 * TimelineJS shows a media `url` that contains `<blockquote>` as a quote, with `credit` under it.
 * A slide has no `credit` of its own: the format only has one on media.
 */
export interface TimelineJsMedia {
  url: string;
  credit: string;
  caption: string;
}

export interface TimelineJsSlide {
  unique_id: string;
  start_date: TimelineJsDate;
  end_date?: TimelineJsDate;
  text: TimelineJsText;
  group: string;
  media?: TimelineJsMedia;
}

export interface TimelineJsDocument {
  title: { text: TimelineJsText };
  events: TimelineJsSlide[];
}

/** A query parameter the export cannot use; the response is a 400 that names it. */
class QueryParameterError extends Error {
  constructor(
    readonly parameter: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** The most events one export holds: a TimelineJS timeline is for reading, and the work stays bounded. */
export const MAX_EXPORT_EVENTS = 1_000;

const LIST_PARAMETERS = ['actors', 'kinds', 'statuses'] as const;
const SINGLE_PARAMETERS = ['from', 'to', 'place', 'search', 'asOf'] as const;
const TIMELINEJS_PARAMETERS: readonly string[] = [...LIST_PARAMETERS, ...SINGLE_PARAMETERS];

/** The GraphQL variables for the export query; each one is a query parameter of the same name. */
type TimelineJsFilter = Partial<Record<(typeof LIST_PARAMETERS)[number], string[]>> &
  Partial<Record<(typeof SINGLE_PARAMETERS)[number], string>>;

// The enum each list parameter's values must belong to, read from the schema so the two never drift.
const ENUM_OF_PARAMETER = { kinds: 'EventKind', statuses: 'EventStatus' } as const;

function enumType(name: string): GraphQLEnumType {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`The schema has no enum ${name}`);
  return type;
}

/**
 * Reads the filter from query parameters. Lists are comma-separated (`actors=china,south-korea`) or
 * repeated; an empty value means "not given"; enum values may be in any case (`kinds=summit`).
 */
function timelineJsFilterFromParameters(parameters: URLSearchParams): TimelineJsFilter {
  const filter: TimelineJsFilter = {};
  for (const name of new Set(parameters.keys())) {
    if (!TIMELINEJS_PARAMETERS.includes(name)) {
      throw new QueryParameterError(name, `Unknown query parameter "${name}"; the filters are ${TIMELINEJS_PARAMETERS.join(', ')}.`);
    }
    if (parameters.getAll(name).some((value) => value.includes('\u0000'))) {
      throw new QueryParameterError(name, `The parameter "${name}" holds a NUL character (%00), which no slug or date has.`);
    }
  }
  for (const name of LIST_PARAMETERS) {
    const values = parameters
      .getAll(name)
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter((value) => value !== '');
    if (values.length === 0) continue;
    filter[name] = name === 'actors' ? values : values.map((value) => enumValue(name, value));
  }
  for (const name of SINGLE_PARAMETERS) {
    const values = parameters.getAll(name).filter((value) => value.trim() !== '');
    if (values.length > 1) {
      throw new QueryParameterError(name, `Query parameter "${name}" is given ${values.length} times; give it once.`);
    }
    if (values[0] !== undefined) filter[name] = name === 'search' ? values[0] : values[0].trim();
  }
  return filter;
}

function enumValue(parameter: keyof typeof ENUM_OF_PARAMETER, value: string): string {
  const type = enumType(ENUM_OF_PARAMETER[parameter]);
  const known = type.getValues().map((enumValue) => enumValue.name);
  const name = value.toUpperCase();
  if (!known.includes(name)) {
    throw new QueryParameterError(parameter, `Query parameter "${parameter}": "${value}" is not one of ${known.join(', ')}.`);
  }
  return name;
}

const DATE_FIELDS = 'edtf iso precision earliest uncertain approximate';

const EXPORT_QUERY = parse(/* GraphQL */ `
  query TimelineJsExport(
    $from: PartialDateString
    $to: PartialDateString
    $actors: [String!]
    $kinds: [EventKind!]
    $statuses: [EventStatus!]
    $place: String
    $search: String
    $asOf: Date
    $after: String
  ) {
    events(
      asOf: $asOf
      filter: { from: $from, to: $to, actors: $actors, kinds: $kinds, statuses: $statuses, place: $place, search: $search }
      first: ${MAX_PAGE_SIZE}
      after: $after
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          slug
          title
          summary
          kind
          status
          startDate { ${DATE_FIELDS} }
          endDate { ${DATE_FIELDS} }
          participants(first: ${MAX_PAGE_SIZE}) { edges { node { slug name } } }
          citations(first: ${MAX_PAGE_SIZE}) {
            edges { node { quote article { title source { name } } creditedSource { name } } }
          }
        }
      }
    }
  }
`);

const queryProblems = validate(schema, EXPORT_QUERY);
if (queryProblems.length > 0) throw new Error(`The TimelineJS export query is invalid: ${queryProblems.join('; ')}`);

/** A PartialDate as the export reads it. */
export interface ExportedDate {
  edtf: string;
  iso: string;
  precision: 'YEAR' | 'MONTH' | 'DAY';
  earliest: string;
  uncertain: boolean;
  approximate: boolean;
}

interface ExportedEvent {
  slug: string;
  title: string;
  summary: string;
  kind: string;
  status: string;
  startDate: ExportedDate;
  endDate: ExportedDate | null;
  participants: { edges: { node: { slug: string; name: string } }[] };
  citations: {
    edges: { node: { quote: string; article: { title: string; source: { name: string } }; creditedSource: { name: string } | null } }[];
  };
}

interface ExportPage {
  events: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: ExportedEvent }[];
  };
}

/** Runs the export query through the schema, page after page, so filters behave exactly as in the API. */
async function fetchEvents(database: DatabaseHandle, filter: TimelineJsFilter): Promise<ExportedEvent[]> {
  // An anonymous reader, like any client without a token; a query needs no change streams.
  const contextValue: Omit<TimelineContext, 'changes' | 'clientAddress'> = { database, db: database.db, viewer: null };
  const found: ExportedEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const result = (await execute({
      schema,
      document: EXPORT_QUERY,
      variableValues: { ...filter, after },
      contextValue,
    })) as unknown as ExecutionResult<ExportPage>;
    if (result.errors?.length) throw parameterErrorOrItself(result.errors[0]!);
    const page = result.data!.events;
    if (page.totalCount > MAX_EXPORT_EVENTS) {
      throw new QueryParameterError(
        null,
        `${page.totalCount} events match; an export holds at most ${MAX_EXPORT_EVENTS}. Narrow it with from, to, actors, kinds, statuses, place or search.`,
      );
    }
    found.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return found;
    after = page.pageInfo.endCursor;
  }
}

/**
 * Turns an error the API reports about the filter into one about the query parameter: graphql-js
 * names the variable (`Variable "$from" got invalid value ...`), the resolvers name the argument
 * (`filter.to`). Anything else is a fault of the server and stays as it is.
 */
function parameterErrorOrItself(error: GraphQLError): Error {
  const variable = /^Variable "\$(\w+)" got invalid value/.exec(error.message);
  if (variable && TIMELINEJS_PARAMETERS.includes(variable[1]!)) {
    const parameter = variable[1]!;
    return new QueryParameterError(parameter, error.message.replace(variable[0], `Query parameter "${parameter}" has invalid value`));
  }
  const argument = error.extensions?.argument;
  if (error.extensions?.code === 'BAD_USER_INPUT' && typeof argument === 'string' && argument.startsWith('filter.')) {
    const parameter = argument.slice('filter.'.length);
    return new QueryParameterError(parameter, `Query parameter "${parameter}": ${error.message.replaceAll('filter.', '')}`);
  }
  if (error.extensions?.code === 'BAD_USER_INPUT' && argument === 'asOf') {
    return new QueryParameterError('asOf', `Query parameter "asOf": ${error.message.replace(/^asOf: /, '')}`);
  }
  return error;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const PARTS_OF_PRECISION = { YEAR: 1, MONTH: 2, DAY: 3 } as const;

/**
 * A date as a reader should see it: "2014?" for an uncertain year, "c. September 2023" for an
 * approximate month ("c. September 2023?" when both), "2010s" for "201X".
 */
export function displayDate(date: ExportedDate): string {
  const [year, month, day] = date.earliest.split('-').map(Number) as [number, number, number];
  const spelled = date.iso.includes('X')
    ? `${year}s`
    : [date.precision === 'DAY' ? String(day) : '', date.precision === 'YEAR' ? '' : MONTH_NAMES[month - 1], String(year)].filter(Boolean).join(' ');
  return `${date.approximate ? 'c. ' : ''}${spelled}${date.uncertain ? '?' : ''}`;
}

/**
 * { year: "2014", month: "7" } for "2014-07": only the known parts, without leading zeros as in the
 * docs' examples, from the first day the date can mean ("201X" is placed at 2010). A date that is
 * uncertain, approximate or has unspecified digits also says so in display_date, which TimelineJS shows.
 */
export function timelineJsDate(date: ExportedDate): TimelineJsDate {
  const [year, month, day] = date.earliest.split('-').slice(0, PARTS_OF_PRECISION[date.precision]);
  const qualified = date.uncertain || date.approximate || date.iso.includes('X');
  return {
    year: String(Number(year)),
    ...(month === undefined ? {} : { month: String(Number(month)) }),
    ...(day === undefined ? {} : { day: String(Number(day)) }),
    ...(qualified ? { display_date: displayDate(date) } : {}),
  };
}

/** "STATE_VISIT" → "State visit": for a slide's group (TimelineJS shows it as a row label) and statuses. */
export function sentenceCase(value: string): string {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Headlines and texts are HTML in TimelineJS; the timeline's words are plain text. (Never used in attributes.) */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

type ExportedCitation = ExportedEvent['citations']['edges'][number]['node'];

/** "Bloomberg, citing Yonhap": the outlet that published the article, and the one it credits. */
export function citationCredit(citation: ExportedCitation): string {
  const publisher = citation.article.source.name;
  const credited = citation.creditedSource?.name;
  return credited && credited !== publisher ? `${publisher}, citing ${credited}` : publisher;
}

function statusNote(status: string): string {
  if (status === 'OCCURRED') return '';
  const description = enumType('EventStatus').getValue(status)?.description ?? '';
  return `<p><strong>${escapeHtml(sentenceCase(status))}.</strong> ${escapeHtml(description)}</p>`;
}

/** How many further citations a slide's text quotes; the API has them all. */
const FURTHER_CITATIONS_SHOWN = 3;

function slideOf(event: ExportedEvent): TimelineJsSlide {
  const citations = event.citations.edges.map((edge) => edge.node);
  // The featured quote is the first that credits an outlet (the most specific attribution), or the first.
  const featured = citations.find((citation) => citation.creditedSource) ?? citations[0];
  const others = citations.filter((citation) => citation !== featured);
  const alsoCited = others
    .slice(0, FURTHER_CITATIONS_SHOWN)
    .map((citation) => `<p>Also: <q>${escapeHtml(shorten(citation.quote, 160))}</q> (${escapeHtml(citationCredit(citation))})</p>`);
  if (others.length > FURTHER_CITATIONS_SHOWN) {
    const more = others.length - FURTHER_CITATIONS_SHOWN;
    alsoCited.push(`<p>…and ${more} more ${more === 1 ? 'citation' : 'citations'}.</p>`);
  }
  return {
    unique_id: event.slug,
    start_date: timelineJsDate(event.startDate),
    ...(event.endDate ? { end_date: timelineJsDate(event.endDate) } : {}),
    text: {
      headline: escapeHtml(event.title),
      text: [`<p>${escapeHtml(event.summary)}</p>`, statusNote(event.status), ...alsoCited].join(''),
    },
    group: sentenceCase(event.kind),
    ...(featured
      ? {
          media: {
            url: `<blockquote>${escapeHtml(shorten(featured.quote, 280))}</blockquote>`,
            credit: escapeHtml(citationCredit(featured)),
            caption: `<em>${escapeHtml(featured.article.title)}</em>`,
          },
        }
      : {}),
  };
}

/** Names of the filtered actors, read from the events' participants (each event involves them all). */
function actorNames(slugs: string[], events: ExportedEvent[]): string[] {
  const names = new Map(events.flatMap((event) => event.participants.edges.map(({ node }) => [node.slug, node.name] as const)));
  return slugs.map((slug) => names.get(slug) ?? slug);
}

function titleSlide(filter: TimelineJsFilter, events: ExportedEvent[]): TimelineJsDocument['title'] {
  const conditions = [
    filter.actors ? `involving ${actorNames(filter.actors, events).join(' and ')}` : '',
    filter.from ? `from ${filter.from}` : '',
    filter.to ? `until ${filter.to}` : '',
    filter.kinds ? `of kind ${filter.kinds.map(sentenceCase).join(', ').toLowerCase()}` : '',
    filter.statuses ? `${filter.statuses.map(sentenceCase).join(' or ').toLowerCase()}` : '',
    filter.place ? `at ${filter.place}` : '',
    filter.search ? `matching “${filter.search}”` : '',
  ].filter(Boolean);
  const count = `${events.length} ${events.length === 1 ? 'event' : 'events'}`;
  return {
    text: {
      headline: 'Timeline',
      text: escapeHtml(
        `${count}${conditions.length ? ` ${conditions.join(', ')}` : ''}, as the cited articles ${filter.asOf ? `published by ${filter.asOf} ` : ''}report them.`,
      ),
    },
  };
}

/** The TimelineJS document for `filter`; throws QueryParameterError when the API rejects a value. */
async function timelineJsDocument(database: DatabaseHandle, filter: TimelineJsFilter): Promise<TimelineJsDocument> {
  const events = await fetchEvents(database, filter);
  return { title: titleSlide(filter, events), events: events.map(slideOf) };
}

/** GET /timelinejs.json?actors=china,south-korea&from=2014: the document, or a 400 naming the bad parameter. */
export async function timelineJsResponse(
  url: URL,
  database: DatabaseHandle,
  ResponseClass: typeof Response,
): Promise<Response> {
  // Any page may embed the timeline (TimelineJS fetches it from its own origin); it is public and read-only.
  const headers = { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' };
  try {
    const document = await timelineJsDocument(database, timelineJsFilterFromParameters(url.searchParams));
    return new ResponseClass(JSON.stringify(document), { status: 200, headers });
  } catch (error) {
    if (!(error instanceof QueryParameterError)) throw error;
    const body = { errors: [{ message: error.message, parameter: error.parameter }] };
    return new ResponseClass(JSON.stringify(body), { status: 400, headers });
  }
}
