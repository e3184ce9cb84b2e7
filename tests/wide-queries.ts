import { NINETIES_EVENT, TEST_TOKENS } from './helpers.js';

/**
 * A wide set of queries, which reaches each record's fields and lists from every side, and every
 * write the API offers that changes a record: for tests that compare two servers' answers.
 */

const EVENT_FIELDS = /* GraphQL */ `
  id slug title summary kind status
  startDate { iso precision } endDate { iso }
  place { slug name country { name } }
  participants(first: 20) { totalCount edges { role node { slug name } } }
  citations(first: 20) { totalCount edges { node { id quote verified article { slug title source { name } } creditedSource { name } } } }
  related { type to { slug title startDate { iso } } }
  relatedFrom { type from { slug title } }
  reportedBy { articleCount outletCount outlets { slug name } independentOutlets { name } }
  disputes { field actor { name } claims { value rank place { name } citations { quote } } }
  dateSupport { basis supportedBy { quote } }
  revisions(last: 2) { totalCount edges { node { action author } } }
`;

export const QUERIES: Record<string, string> = {
  campDavid: `{ event(slug: "camp-david-summit") { ${EVENT_FIELDS} } }`,
  protest: `{ event(slug: "china-protests-camp-david-statement") { ${EVENT_FIELDS} } }`,
  hangzhou: `{ event(slug: "xi-han-duck-soo-hangzhou-meeting") { ${EVENT_FIELDS} } }`,
  ties: `{ event(slug: "china-south-korea-diplomatic-ties") { ${EVENT_FIELDS} } }`,
  newEvent: `{ event(slug: "ties-in-the-nineties") { ${EVENT_FIELDS} } }`,
  china: '{ actor(slug: "china") { name description events(first: 50) { totalCount edges { role node { slug title startDate { iso } } } } affiliations { role organization { name } } members { role member { name } } } }',
  unitedStates: '{ actor(slug: "united-states") { name events(first: 50, orderBy: DATE_DESC) { totalCount edges { role node { slug title } } } } }',
  netherlands: '{ actor(slug: "netherlands") { name events(first: 50) { totalCount edges { node { title } } } } }',
  placeHangzhou: '{ place(slug: "hangzhou") { name country { name } events(first: 20) { totalCount edges { node { slug title } } } } }',
  placeSeoul: '{ place(slug: "seoul") { name events(first: 20) { totalCount edges { node { slug } } } } }',
  bloomberg: '{ source(slug: "bloomberg") { name articles(first: 10) { totalCount edges { node { slug title } } } creditedIn(first: 10) { totalCount edges { node { quote event { slug } } } } } }',
  yonhap: '{ source(slug: "yonhap") { name creditedIn(first: 10) { totalCount edges { node { quote event { slug title } } } } } }',
  article: '{ article(slug: "south-korea-china-relations-yoon-seeks-xi-visit") { title publishedOn { iso } source { name } citations(first: 50) { totalCount edges { node { quote event { slug title } } } } } }',
  nineties: '{ events(filter: { from: "1990", to: "1999" }) { totalCount edges { node { slug title participants(first: 5) { edges { node { name } } } } } } }',
  lateSeptember: '{ events(filter: { from: "2023-09-20", to: "2023-09-30" }, first: 50) { totalCount edges { node { slug title place { name } } } } }',
  fromAugust: '{ events(filter: { from: "2023-08" }, first: 50, orderBy: DATE_DESC) { totalCount edges { node { slug startDate { iso } } } } }',
  until2015: '{ events(filter: { to: "2015" }, last: 5) { totalCount edges { node { slug reportedBy { outlets { name } } } } } }',
  everything: '{ events(first: 50) { totalCount edges { cursor node { slug title status } } pageInfo { hasNextPage endCursor } } }',
  withChina: '{ events(filter: { actors: ["china"] }, first: 50) { totalCount edges { node { slug } } } }',
  disputed: '{ events(filter: { disputed: true }, first: 50) { totalCount edges { node { slug } } } }',
  search: '{ search(query: "summit") { totalCount edges { node { __typename ... on Event { slug title } ... on Actor { name } } } } }',
  counts: '{ eventCounts(by: YEAR) { key label count } }',
  actorCounts: '{ eventCounts(by: ACTOR, filter: { from: "2023" }) { key count } }',
  changes: '{ changes(last: 3) { edges { node { type slug action } } } }',
  history: '{ history(type: EVENT, slug: "camp-david-summit") { totalCount } }',
  actors: '{ actors(first: 50) { totalCount edges { node { slug name } } } }',
  sources: '{ sources(first: 20) { edges { node { slug name } } } }',
  articles: '{ articles(first: 20) { edges { node { slug title } } } }',
  places: '{ places(first: 20) { edges { node { slug name } } } }',
};

/** Every write the API offers that changes a record, in an order in which each one succeeds. */
export const WRITES: { name: string; mutation: string; variables?: (ids: Ids) => Record<string, unknown> }[] = [
  {
    name: 'createEvent',
    mutation: 'mutation ($input: EventInput!) { createEvent(input: $input) { __typename ... on Error { message } } }',
    variables: () => ({ input: NINETIES_EVENT }),
  },
  { name: 'updateEvent (title, date)', mutation: 'mutation { updateEvent(slug: "camp-david-summit", patch: { title: "Camp David, retitled", start: "2023-09-27" }) { __typename ... on Error { message } } }' },
  { name: 'updateEvent (place)', mutation: 'mutation { updateEvent(slug: "ties-in-the-nineties", patch: { place: "seoul", placeBasis: OUTSIDE, placeNote: "A place for the test." }) { __typename ... on Error { message } } }' },
  { name: 'addParticipant', mutation: 'mutation { addParticipant(event: "camp-david-summit", actor: "netherlands", role: SUBJECT, basis: OUTSIDE, note: "For the test.") { __typename ... on Error { message } } }' },
  {
    name: 'addCitation',
    mutation: 'mutation { addCitation(event: "ties-in-the-nineties", citation: { article: "south-korea-china-relations-yoon-seeks-xi-visit", quote: "Beijing has also become increasingly frustrated with the growing U.S.-Japan-South Korea alliance within the region.", credits: "yonhap" }) { __typename ... on Error { message } } }',
  },
  { name: 'addEventRelation', mutation: 'mutation { addEventRelation(from: "ties-in-the-nineties", to: "china-south-korea-diplomatic-ties", type: FOLLOW_UP_OF) { __typename ... on Error { message } } }' },
  {
    name: 'recordClaim',
    mutation: 'mutation ($citation: ID!) { recordClaim(event: "camp-david-summit", field: DATE, value: "2023-08-18", supportedBy: [$citation]) { __typename ... on Error { message } } }',
    variables: (ids) => ({ citation: ids.campDavidCitation }),
  },
  { name: 'updateEvent (summary)', mutation: 'mutation { updateEvent(slug: "ties-in-the-nineties", patch: { summary: "Now with a summary." }) { __typename ... on Error { message } } }' },
  { name: 'deleteEventRelation', mutation: 'mutation { deleteEventRelation(from: "ties-in-the-nineties", to: "china-south-korea-diplomatic-ties", type: FOLLOW_UP_OF) { __typename ... on Error { message } } }' },
  { name: 'removeParticipant', mutation: 'mutation { removeParticipant(event: "camp-david-summit", actor: "netherlands") { __typename ... on Error { message } } }' },
  { name: 'updateActor', mutation: 'mutation { updateActor(slug: "china", patch: { name: "China (PRC)" }) { __typename ... on Error { message } } }' },
  { name: 'updatePlace', mutation: 'mutation { updatePlace(slug: "hangzhou", patch: { name: "Hangzhou, Zhejiang" }) { __typename ... on Error { message } } }' },
  { name: 'updateSource', mutation: 'mutation { updateSource(slug: "bloomberg", patch: { name: "Bloomberg News" }) { __typename ... on Error { message } } }' },
  { name: 'updateArticle', mutation: 'mutation { updateArticle(slug: "south-korea-china-relations-yoon-seeks-xi-visit", patch: { title: "Retitled article" }) { __typename ... on Error { message } } }' },
  { name: 'deleteEvent', mutation: 'mutation { deleteEvent(slug: "ties-in-the-nineties") { __typename ... on Error { message } } }' },
  { name: 'restoreEvent', mutation: 'mutation { restoreEvent(slug: "ties-in-the-nineties") { __typename ... on Error { message } } }' },
  { name: 'updateEvent (slug)', mutation: 'mutation { updateEvent(slug: "ties-in-the-nineties", patch: { slug: "nineties-renamed", start: "2023-09-25" }) { __typename ... on Error { message } } }' },
];

export interface Ids {
  campDavidCitation: string;
}

/** The token a write needs: deleting, restoring and removing take an admin's. */
export const tokenFor = (write: { name: string }) => (/^(delete|restore|remove)/.test(write.name) ? TEST_TOKENS.admin : TEST_TOKENS.editor);
