/** Page size of a connection when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest `first` or `last` accepted; more is an error, never a silent cap. */
export const MAX_PAGE_SIZE = 100;
/** Most items a list argument may hold (`nodes(ids:)`, `filter.actors`); more is an error. */
export const MAX_LIST_ARGUMENT_ITEMS = 100;
/**
 * Most items a plain relation list (an event's links, an actor's affiliations and members) holds:
 * the first ones by id. Lists that can grow long are connections instead.
 */
export const MAX_RELATION_LIST_ITEMS = 50;
