/** Page size of a connection when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest `first` or `last` accepted; more is an error, never a silent cap. */
export const MAX_PAGE_SIZE = 100;
