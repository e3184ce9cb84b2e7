import fc from 'fast-check';

/** Values a hostile client might send where the schema expects something else, or something sane. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '"', '"unbalanced', '((', ')', 'NEAR(xi han)', 'xi AND', 'OR', '*', '^xi', 'title:xi', '{title}: x', '-',
    "x' OR 1=1; --", '\u0000\u0001\u001f', '😀🇰🇷', '\uD800', '   ', 'camp-david-summit', 'china', 'south-korea',
    '2023', '2023-09', '2023-09-23', '2023-02-30', '2023-13', '0000', '9999-12-31', '-1',
  ),
  fc.integer({ min: 1000, max: 20_000 }).map((length) => 'x'.repeat(length)),
);

const base64 = (text: string) => Buffer.from(text).toString('base64');

const forgedCursor = fc.oneof(
  hostileString.map(base64),
  fc.constantFrom('DC:S:x', 'DC:N:NaN', 'DC:T:[1,2,3,4,5]', 'DC:J:{', 'OffsetConnection:-5', 'OffsetConnection:99999999999').map(base64),
  hostileString,
);

const forgedId = fc.oneof(
  fc.tuple(fc.constantFrom('Event', 'Actor', 'Source', 'Article', 'Place', 'Citation', 'Nope', ''), fc.oneof(fc.integer(), hostileString)).map(([type, id]) =>
    base64(`${type}:${id}`),
  ),
  hostileString,
);

const hostileNumber = fc.oneof(
  fc.integer({ min: -5, max: 120 }),
  fc.integer(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e20, -0, 0.5, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true }),
);

const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), forgedCursor, forgedId);
const hostileValue = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('slug', 'title', 'start', 'from', 'to', 'actors', 'kinds', 'x'), leaf, { maxKeys: 4 }) },
);

const partialDate = fc.oneof(fc.constantFrom('1992', '2014-07', '2023-09-23', '2023-02-30', '2023-13', '0000', '10000'), hostileString);
const slugLike = fc.oneof(fc.constantFrom('camp-david-summit', 'china', 'south-korea', 'xi-jinping', 'bloomberg', 'seoul', 'hangzhou'), hostileString);
const enumLike = (values: string[]) => fc.oneof(fc.constantFrom(...values), hostileString);

const eventFilter = fc.record(
  {
    from: partialDate,
    to: partialDate,
    actors: fc.array(slugLike, { maxLength: 4 }),
    kinds: fc.array(enumLike(['SUMMIT', 'MEETING', 'VISIT']), { maxLength: 3 }),
    statuses: fc.array(enumLike(['OCCURRED', 'PROPOSED']), { maxLength: 2 }),
    place: slugLike,
    search: hostileString,
  },
  { requiredKeys: [] },
);

const eventRecord = fc.record(
  {
    slug: slugLike,
    title: hostileString,
    summary: hostileString,
    kind: enumLike(['SUMMIT', 'MEETING']),
    status: enumLike(['OCCURRED', 'PROPOSED', 'SCHEDULED']),
    start: partialDate,
    end: partialDate,
    dateBasis: enumLike(['STATED', 'RESOLVED']),
    dateNote: hostileString,
    place: slugLike,
    participants: fc.array(fc.record({ actor: slugLike, role: enumLike(['HOST', 'VISITOR']) }), { maxLength: 3 }),
    citations: fc.array(fc.record({ article: fc.oneof(fc.constant('bloomberg-south-korea-seeks-xi-visit'), hostileString), quote: hostileString, credits: slugLike }), { maxLength: 3 }),
    related: fc.array(fc.record({ type: enumLike(['PRECEDES']), event: slugLike }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** Mostly a value of the variable's kind (still hostile within it), sometimes any value at all. */
const BY_NAME: Record<string, fc.Arbitrary<unknown>> = {
  f: hostileNumber,
  l: hostileNumber,
  a: forgedCursor,
  b: forgedCursor,
  s: slugLike,
  e: slugLike,
  q: hostileString,
  o: enumLike(['DATE_ASC', 'DATE_DESC']),
  id: forgedId,
  ids: fc.array(forgedId, { maxLength: 5 }),
  filter: eventFilter,
  input: eventRecord,
  patch: eventRecord,
  because: fc.record({ article: slugLike, quote: hostileString }),
};
const variable = (name: string) => fc.oneof({ weight: 4, arbitrary: BY_NAME[name] ?? hostileValue }, { weight: 1, arbitrary: hostileValue });

/** Operations over every entry point, with every argument a variable the fuzzer fills. */
export const OPERATIONS = [
  'query ($f: Int, $a: String, $l: Int, $b: String, $filter: EventFilter, $o: EventOrder) { events(first: $f, after: $a, last: $l, before: $b, filter: $filter, orderBy: $o) { totalCount edges { cursor node { slug startDate { iso } participants(first: $f) { totalCount edges { role node { slug } } } citations(first: 3) { edges { node { quote } } } } } pageInfo { endCursor } } }',
  'query ($f: Int, $a: String, $filter: ActorFilter) { actors(first: $f, after: $a, filter: $filter) { totalCount edges { node { slug events(first: $f) { totalCount } } } } }',
  'query ($s: String!, $f: Int, $filter: EventFilter) { actor(slug: $s) { name events(first: $f, filter: $filter) { edges { node { title } } } } }',
  'query ($s: String!) { event(slug: $s) { title related { to { slug } } citations { totalCount } } source(slug: $s) { name } article(slug: $s) { title } place(slug: $s) { name } }',
  'query ($q: String!, $f: Int, $a: String) { search(query: $q, first: $f, after: $a) { totalCount edges { node { __typename ... on Event { slug } } } } }',
  'query ($id: ID!, $ids: [ID!]!) { node(id: $id) { id } nodes(ids: $ids) { id } }',
  'query ($f: Int, $a: String, $b: String, $l: Int) { sources(first: $f, after: $a) { totalCount } articles(last: $l, before: $b) { totalCount } places(first: $f) { totalCount } }',
  'mutation ($input: EventInput!) { createEvent(input: $input) { __typename ... on Error { message } } }',
  'mutation ($s: String!, $patch: EventPatch!, $because: CitationKeyInput) { updateEvent(slug: $s, patch: $patch, statusCitation: $because) { __typename ... on Error { message } } }',
  'mutation ($s: String!, $input: ActorInput!) { createActor(input: $input) { __typename } deleteEvent(slug: $s) { __typename } }',
  'mutation ($id: ID!, $patch: CitationPatch!) { updateCitation(id: $id, patch: $patch) { __typename ... on Error { message } } }',
  'mutation ($e: String!, $a: String!) { addParticipant(event: $e, actor: $a, role: HOST) { __typename ... on Error { message } } }',
];

const VARIABLE = /\$(\w+)/g;

export interface FuzzRequest {
  query: string;
  variables: Record<string, unknown>;
}

/** One request: an operation with hostile variables, or (now and then) a mangled document. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...OPERATIONS).chain((query) => {
      const names = [...new Set([...query.matchAll(VARIABLE)].map((match) => match[1]!))];
      return fc.record(Object.fromEntries(names.map((name) => [name, variable(name)]))).map((variables) => ({ query, variables }));
    }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OPERATIONS), fc.nat(), fc.string({ maxLength: 5 })).map(([query, at, text]) => ({
      query: query.slice(0, at % query.length) + text + query.slice((at % query.length) + text.length),
      variables: {},
    })) },
);

/** A stack, a path, or either database's own words: drizzle's "Failed query", SQLite's and PostgreSQL's errors. */
const LEAKS =
  /\n\s+at |node_modules|\/work\/|SqliteError|better-sqlite3|Failed query|DatabaseError|duplicate key value|violates [\w-]+( key)? constraint|invalid input syntax|syntax error at or near|invalid byte sequence|node-postgres/;

/** What every answer must be, whatever was sent: well-formed, never a server error, and leaking nothing. */
export function answerProblems(status: number, text: string): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status}`);
  let body: { data?: unknown; errors?: { message?: unknown }[] };
  try {
    body = JSON.parse(text);
  } catch {
    return [...problems, `not JSON: ${text.slice(0, 200)}`];
  }
  if (!('data' in body) && !Array.isArray(body.errors)) problems.push('neither data nor errors');
  for (const error of body.errors ?? []) {
    if (typeof error.message !== 'string') problems.push('an error without a message');
    if (LEAKS.test(String(error.message))) problems.push(`leaks: ${error.message}`);
  }
  if (/"stack"|originalError/.test(text)) problems.push('leaks a stack');
  return problems;
}
