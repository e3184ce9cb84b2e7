// The timeline page: reads everything from the GraphQL API at /graphql and draws it on a time axis.
// State lives in the URL (?actors=china,south-korea&from=2014&to=2023-09&event=slug), so every view
// can be linked to, and an actor's timeline is simply /?actors=<slug>.

const GRAPHQL_ENDPOINT = '/graphql';
const PAGE_SIZE = 100; // the API's largest page
const DAY_MS = 24 * 60 * 60 * 1000;

const EVENTS_QUERY = `
  query PageEvents($filter: EventFilter, $after: String, $asOf: Date) {
    events(filter: $filter, first: ${PAGE_SIZE}, after: $after, asOf: $asOf) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          slug
          title
          kind
          status
          startDate { iso precision earliest latest uncertain approximate }
          endDate { iso precision earliest latest uncertain approximate }
          place { name }
        }
      }
    }
  }`;

/**
 * The histogram's buckets for the filter, and the actors that take part in events with the selected
 * ones (whatever the window), with how many: the names for the chips and the autocomplete's choices.
 */
const COUNTS_QUERY = `
  query PageCounts($filter: EventFilter, $by: EventCountKey!, $actorFilter: EventFilter, $asOf: Date) {
    histogram: eventCounts(filter: $filter, by: $by, asOf: $asOf) { key label count }
    actors: eventCounts(filter: $actorFilter, by: ACTOR, asOf: $asOf) { key label count }
  }`;

const CHANGES_QUERY = `
  query PageChanges {
    changes(last: 20) {
      edges { node { action type slug previousSlug at record } }
    }
  }`;

const EVENT_DETAILS_QUERY = `
  query PageEventDetails($slug: String!, $asOf: Date) {
    event(slug: $slug, asOf: $asOf) {
      slug
      title
      summary
      kind
      status
      startDate { iso precision uncertain approximate }
      endDate { iso precision uncertain approximate }
      dateBasis
      dateNote
      dateSupport { basis supportedBy { id } }
      place { name }
      placeSupport { basis note supportedBy { id } }
      disputes {
        field
        actor { name }
        claims { value rank note citations { id } place { name } }
      }
      reportedBy {
        articleCount
        outletCount
        outlets { slug name }
        independentOutlets { slug name }
      }
      participants(first: ${PAGE_SIZE}) {
        edges { role basis note supportedBy { id } node { slug name kind } }
      }
      citations(first: ${PAGE_SIZE}) {
        totalCount
        edges {
          node {
            id
            quote
            verified
            context { prefix suffix start }
            article { title publishedOn { iso uncertain approximate } source { name } }
            creditedSource { name }
          }
        }
      }
      related { type to { slug title } }
      relatedFrom { type from { slug title } }
    }
  }`;

/** How many actors the autocomplete offers at once. */
const SUGGESTION_LIMIT = 8;
/** A window this short or shorter is counted by month, a longer one (or an open one) by year. */
const MONTH_HISTOGRAM_SPAN_MS = 2 * 366 * DAY_MS;
const CHANGE_ACTIONS = { CREATED: 'Created', UPDATED: 'Updated', DELETED: 'Deleted', RESTORED: 'Restored' };
const DATE_FORMAT_SENTENCE =
  'Write a year, a year and month, or a full date, like 2014, 2014-07 or 2014-07-03, with ? or ~ when it is uncertain or approximate (2014?, 2023-09~).';

const PRECISION_NOTES = { DAY: 'known to the day', MONTH: 'known to the month', YEAR: 'known to the year' };
const DATE_BASIS_NOTES = {
  STATED: 'Stated in the articles.',
  RESOLVED: 'Resolved from a relative date in the articles.',
};
/** The API's context runs up to this many characters (code points) either side of a quote. */
const QUOTE_CONTEXT_LENGTH = 40;
const RELATION_LABELS = {
  FOLLOW_UP_OF: 'Follow-up of',
  PREPARES: 'Prepares',
  PART_OF: 'Part of',
  PRECEDES: 'Precedes',
};
const INVERSE_RELATION_LABELS = {
  FOLLOW_UP_OF: 'Followed up by',
  PREPARES: 'Prepared by',
  PART_OF: 'Includes',
  PRECEDES: 'Preceded by',
};
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

// ---------------------------------------------------------------------------------------------
// The API

/** The API's refusal, with its errors as given, so the page can say what went wrong in its own words. */
class ApiError extends Error {
  constructor(message, errors = []) {
    super(message);
    this.errors = errors;
  }
}

async function graphql(query, variables = {}) {
  const response = await fetch(GRAPHQL_ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The API answered ${response.status} ${response.statusText} without JSON.`);
  }
  if (body.errors?.length) throw new ApiError(body.errors.map((error) => error.message).join(' '), body.errors);
  if (!response.ok || !body.data) throw new ApiError(`The API answered ${response.status} ${response.statusText}.`);
  return body.data;
}

/** Every node of a connection, page after page; `select` picks the connection from the data. */
async function allPages(query, variables, select) {
  const nodes = [];
  let after = null;
  let totalCount;
  for (;;) {
    const connection = select(await graphql(query, { ...variables, after }));
    totalCount ??= connection.totalCount;
    nodes.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) return { nodes, totalCount: totalCount ?? nodes.length };
    after = connection.pageInfo.endCursor;
  }
}

// ---------------------------------------------------------------------------------------------
// State in the URL

function readState() {
  const parameters = new URLSearchParams(window.location.search);
  const list = (name) =>
    parameters.getAll(name).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  return {
    actors: [...new Set(list('actors'))],
    from: parameters.get('from')?.trim() ?? '',
    to: parameters.get('to')?.trim() ?? '',
    event: parameters.get('event')?.trim() ?? '',
    asOf: parameters.get('asOf')?.trim() ?? '',
  };
}

/** The query string for a state, with readable commas: ?actors=china,south-korea&from=2014. */
function queryString({ actors, from, to, asOf, event }, { includeEvent = true } = {}) {
  const parts = [];
  if (actors.length) parts.push(`actors=${actors.map(encodeURIComponent).join(',')}`);
  if (from) parts.push(`from=${encodeURIComponent(from)}`);
  if (to) parts.push(`to=${encodeURIComponent(to)}`);
  if (asOf) parts.push(`asOf=${encodeURIComponent(asOf)}`);
  if (includeEvent && event) parts.push(`event=${encodeURIComponent(event)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function actorTimelineHref(slug) {
  return `/${queryString({ actors: [slug], from: '', to: '', asOf: state.asOf, event: '' })}`;
}

// ---------------------------------------------------------------------------------------------
// Dates

function dayMs(isoDay) {
  const [year, month, day] = isoDay.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

/**
 * The first and last day a partial date ("2014", "2014-07", "2014-07-03") can mean, as ms. EDTF's
 * qualifiers ("2014?", "2023-09~") leave the bounds as they are; unspecified digits ("201X",
 * "2023-XX") span every value they could have.
 */
function partialDateBounds(iso) {
  const [yearText, monthText, dayText] = iso.replace(/[?~%]/g, '').split('-');
  const firstYear = Number(yearText.replaceAll('X', '0'));
  const lastYear = Number(yearText.replaceAll('X', '9'));
  if (monthText === undefined || monthText.includes('X')) return { earliest: Date.UTC(firstYear, 0, 1), latest: Date.UTC(lastYear, 11, 31) };
  const month = Number(monthText);
  if (dayText === undefined || dayText.includes('X')) return { earliest: Date.UTC(firstYear, month - 1, 1), latest: Date.UTC(lastYear, month, 0) };
  const date = Date.UTC(firstYear, month - 1, Number(dayText));
  return { earliest: date, latest: date };
}

/**
 * "2014", "Jul 2014", "3 Jul 2014"; a year with unspecified digits as the years it can be ("2010s"
 * for 201X, "2000–2099" for 20XX), and an unspecified month or day left out ("2023" for 2023-XX).
 */
function formatPartialDate(written, { long = false } = {}) {
  // A month or day left unspecified (2023-XX, 2023-09-XX) claims only what comes before it.
  const iso = written.replace(/(-XX)+$/, '');
  const decade = /^(\d{3})X$/.exec(iso);
  if (decade) return `${decade[1]}0s`;
  const years = /^(\d{1,2})(X{2,3})$/.exec(iso);
  if (years) return `${years[1]}${'0'.repeat(years[2].length)}–${years[1]}${'9'.repeat(years[2].length)}`;
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(iso)) return iso;
  const [year, month, day] = iso.split('-');
  const months = long ? LONG_MONTH_NAMES : MONTH_NAMES;
  if (month === undefined) return year;
  const monthName = months[Number(month) - 1];
  if (day === undefined) return `${monthName} ${year}`;
  return `${Number(day)} ${monthName} ${year}`;
}

/**
 * A date from the API as sure as it is: "c. Sep 2023" when approximate, "2014?" when uncertain,
 * "2010s" for a year with its last digit unspecified (201X).
 */
function formatDate({ iso, uncertain, approximate }, options) {
  return `${approximate ? 'c. ' : ''}${formatPartialDate(iso, options)}${uncertain ? '?' : ''}`;
}

/** A date as written in the address or a count's key ("2023-09~", "201X"), in words. */
function formatWrittenDate(text, options) {
  const qualifier = /[?~%]$/.exec(text)?.[0];
  const iso = text.replace(/[?~%]$/, '');
  return formatDate({ iso, uncertain: qualifier === '?' || qualifier === '%', approximate: qualifier === '~' || qualifier === '%' }, options);
}

function formatEventDate(event, options) {
  const start = formatDate(event.startDate, options);
  return event.endDate ? `${start} – ${formatDate(event.endDate, options)}` : start;
}

/** "known to the month", and how sure: "known to the month, approximately, and uncertain". */
function precisionNote(event) {
  const dates = [event.startDate, event.endDate].filter(Boolean);
  const hedges = [
    dates.some((date) => date.approximate) ? 'approximate' : null,
    dates.some((date) => date.uncertain) ? 'uncertain' : null,
  ].filter(Boolean);
  const note = PRECISION_NOTES[event.startDate.precision];
  return hedges.length ? `${note}; ${hedges.join(' and ')}` : note;
}

/** The interval an event can occupy: from its start's first possible day to the end of its last one. */
function eventInterval(event) {
  const last = event.endDate ?? event.startDate;
  return { start: dayMs(event.startDate.earliest), end: dayMs(last.latest) + DAY_MS };
}

/** An event known only as "20XX" spans a century; it is drawn cut at the axis's edges. */
const LONGEST_SPAN_SHAPING_AXIS = 10 * 365.25 * DAY_MS;

/**
 * The events the axis is fitted to: all but those spanning more than ten years, unless every event
 * does, so that one vague date cannot squash everything else into a corner.
 */
function eventsShapingTheAxis(events) {
  const narrow = events.filter((event) => {
    const { start, end } = eventInterval(event);
    return end - start <= LONGEST_SPAN_SHAPING_AXIS;
  });
  return narrow.length > 0 ? narrow : events;
}

/** The axis spans the date window when one is set, otherwise the events themselves. */
function axisDomain(events, state) {
  const intervals = events.map(eventInterval);
  let start = state.from ? partialDateBounds(state.from).earliest : Math.min(...intervals.map((i) => i.start));
  let end = state.to ? partialDateBounds(state.to).latest + DAY_MS : Math.max(...intervals.map((i) => i.end));
  if (!state.from && !state.to) {
    // Round out to whole years (or months, for a short span) so the ticks land on the edges.
    const startDate = new Date(start);
    const endDate = new Date(end - 1);
    if (end - start > 2 * 365 * DAY_MS) {
      start = Date.UTC(startDate.getUTCFullYear(), 0, 1);
      end = Date.UTC(endDate.getUTCFullYear() + 1, 0, 1);
    } else {
      start = Date.UTC(startDate.getUTCFullYear(), startDate.getUTCMonth(), 1);
      end = Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() + 1, 1);
    }
  }
  return { start, end };
}

const YEAR_MS = 365.25 * DAY_MS;
/** Share of the track each axis break takes. */
const BREAK_WIDTH = 0.07;
/** The room a tick's label needs on the axis, in pixels: "2014", "Jan 2023" or "1 Sep" with some air. */
const TICK_SPACING = { year: 50, month: 62, day: 42 };

function yearStart(time) {
  return Date.UTC(new Date(time).getUTCFullYear(), 0, 1);
}

function nextYearStart(time) {
  return Date.UTC(new Date(time).getUTCFullYear() + 1, 0, 1);
}

/**
 * The stretches of the axis that are drawn: whole years holding events, with any empty stretch of
 * more than a year (and a twentieth of the axis) left out and marked as a break. Every drawn stretch
 * has the same scale, so distances within and across them stay true; only the breaks are not to scale.
 */
function axisSegments(events, domain) {
  const span = domain.end - domain.start;
  const longestGap = Math.max(YEAR_MS, span * 0.05);
  if (span <= 3 * YEAR_MS) return [{ ...domain }];
  const occupied = events
    .map(eventInterval)
    .map(({ start, end }) => ({ start: Math.max(domain.start, yearStart(start)), end: Math.min(domain.end, nextYearStart(end - 1)) }))
    .filter(({ start, end }) => start < end)
    .sort((a, b) => a.start - b.start);
  const segments = [];
  for (const interval of occupied) {
    const last = segments.at(-1);
    if (last && interval.start - last.end < longestGap) last.end = Math.max(last.end, interval.end);
    else segments.push({ ...interval });
  }
  if (segments.length === 0) return [{ ...domain }];
  if (segments[0].start - domain.start < longestGap) segments[0].start = domain.start;
  if (domain.end - segments.at(-1).end < longestGap) segments.at(-1).end = domain.end;
  return segments;
}

/** Maps times to positions along the track (0 to 1), with its segments, breaks and ticks. */
function axisScale(events, state, trackWidth) {
  const shaping = eventsShapingTheAxis(events);
  const domain = axisDomain(shaping, state);
  const segments = axisSegments(shaping, domain);
  const gaps = [];
  if (segments[0].start > domain.start) gaps.push({ start: domain.start, end: segments[0].start, before: 0 });
  segments.forEach((segment, index) => {
    const next = segments[index + 1];
    if (next) gaps.push({ start: segment.end, end: next.start, before: index + 1 });
  });
  if (segments.at(-1).end < domain.end) gaps.push({ start: segments.at(-1).end, end: domain.end, before: segments.length });
  const drawn = segments.reduce((sum, segment) => sum + (segment.end - segment.start), 0);
  const perMs = (1 - gaps.length * BREAK_WIDTH) / drawn;
  let x = 0;
  for (let index = 0; index <= segments.length; index += 1) {
    const gap = gaps.find((candidate) => candidate.before === index);
    if (gap) {
      gap.x0 = x;
      x += BREAK_WIDTH;
      gap.x1 = x;
    }
    const segment = segments[index];
    if (!segment) break;
    segment.x0 = x;
    x += (segment.end - segment.start) * perMs;
    segment.x1 = x;
  }
  const position = (time) => {
    const segment = segments.find((candidate) => time >= candidate.start && time <= candidate.end);
    if (segment) return segment.x0 + (time - segment.start) * perMs;
    const gap = gaps.find((candidate) => time > candidate.start && time < candidate.end);
    if (gap) return (gap.x0 + gap.x1) / 2;
    return time < domain.start ? 0 : 1;
  };
  // Broken axes are cut at year boundaries, so they are labelled in years.
  return { domain, segments, gaps, position, ticks: axisTicks(segments, { yearsOnly: gaps.length > 0, trackWidth }) };
}

/** Axis ticks over the drawn segments: years, months or days, as many as fit the track's width. */
function axisTicks(segments, { yearsOnly, trackWidth }) {
  const spanDays = segments.reduce((sum, segment) => sum + (segment.end - segment.start), 0) / DAY_MS;
  const fitting = (unit) => Math.max(2, Math.floor(trackWidth / TICK_SPACING[unit]));
  const ticks = [];
  for (const { start, end } of segments) {
    const first = new Date(start);
    if (yearsOnly || spanDays > 3 * 365) {
      const years = spanDays / 365.25;
      const step = [1, 2, 5, 10, 20, 50, 100].find((candidate) => years / candidate <= fitting('year')) ?? 100;
      let year = first.getUTCFullYear();
      if (Date.UTC(year, 0, 1) < start) year += 1;
      const firstYear = year;
      year = Math.ceil(year / step) * step;
      // Every drawn stretch gets a label, even one shorter than the step.
      if (yearsOnly && Date.UTC(year, 0, 1) >= end && Date.UTC(firstYear, 0, 1) < end) year = firstYear;
      for (; Date.UTC(year, 0, 1) < end; year += step) {
        ticks.push({ time: Date.UTC(year, 0, 1), label: String(year), zoom: String(year) });
      }
    } else if (spanDays > 75) {
      const step = [1, 2, 3, 6].find((candidate) => spanDays / 30.4 / candidate <= fitting('month')) ?? 12;
      let month = first.getUTCMonth();
      const year = first.getUTCFullYear();
      if (Date.UTC(year, month, 1) < start) month += 1;
      for (; Date.UTC(year, month, 1) < end; month += 1) {
        const date = new Date(Date.UTC(year, month, 1));
        if (date.getUTCMonth() % step !== 0) continue;
        const showYear = date.getUTCMonth() === 0 || ticks.length === 0;
        const monthName = MONTH_NAMES[date.getUTCMonth()];
        const iso = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
        ticks.push({ time: date.getTime(), label: showYear ? `${monthName} ${date.getUTCFullYear()}` : monthName, zoom: iso });
      }
    } else {
      const daySets = [[1, 4, 7, 10, 13, 16, 19, 22, 25, 28], [1, 6, 11, 16, 21, 26], [1, 11, 21], [1]];
      const daysOfMonth = daySets.find((set) => (spanDays / 31) * set.length <= fitting('day')) ?? [1];
      for (let time = start; time < end; time += DAY_MS) {
        const date = new Date(time);
        if (!daysOfMonth.includes(date.getUTCDate())) continue;
        const showMonth = date.getUTCDate() === 1 || ticks.length === 0;
        ticks.push({ time, label: showMonth ? `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]}` : String(date.getUTCDate()) });
      }
    }
  }
  return ticks;
}

/** How long a break is: "21 years" in full, "21 yr" on the axis. */
function gapLength({ start, end }) {
  const years = Math.round((end - start) / YEAR_MS);
  if (years >= 1) return { long: `${years} ${years === 1 ? 'year' : 'years'}`, short: `${years} yr` };
  const months = Math.max(1, Math.round((end - start) / (30.4 * DAY_MS)));
  return { long: `${months} ${months === 1 ? 'month' : 'months'}`, short: `${months} mo` };
}

// ---------------------------------------------------------------------------------------------
// DOM

/** Creates an element: h('a', { href: '/', class: 'x' }, 'text', child). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'style') Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

function sentenceCase(value) {
  const words = value.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function percent(value) {
  return `${(value * 100).toFixed(3)}%`;
}

const elements = {
  form: document.getElementById('filters'),
  selectedActors: document.getElementById('selected-actors'),
  actorInput: document.getElementById('actor-input'),
  suggestions: document.getElementById('actor-suggestions'),
  from: document.getElementById('filter-from'),
  to: document.getElementById('filter-to'),
  asOf: document.getElementById('filter-as-of'),
  clear: document.getElementById('clear-filters'),
  changes: document.getElementById('changes'),
  changeList: document.getElementById('change-list'),
  count: document.getElementById('event-count'),
  error: document.getElementById('error'),
  histogram: document.getElementById('histogram'),
  chart: document.getElementById('chart'),
  details: document.getElementById('details'),
  exportLink: document.getElementById('export-link'),
};

let state = readState();
/** Every actor name the page has been told, by slug: chips keep their names when a filter finds nothing. */
const actorNames = new Map();
/** The actors that take part in events with the selected ones, with how many such events: what the autocomplete offers. */
let offeredActors = [];
let suggestions = [];
let activeSuggestion = -1;
let suggestionsOpen = false;
let timelineRequest = 0;
let detailsRequest = 0;

function showError(message) {
  elements.error.replaceChildren(...[message].flat());
  elements.error.hidden = !message;
}

function actorName(slug) {
  return actorNames.get(slug) ?? slug;
}

function renderSelectedActors() {
  elements.selectedActors.replaceChildren(...state.actors.map((slug) =>
    h('li', { class: 'chip' },
      h('span', {}, actorName(slug)),
      h('button', {
        type: 'button',
        class: 'remove quiet',
        'aria-label': `Remove ${actorName(slug)}`,
        onclick: () => removeActor(slug),
      }, '×'))));
}

/** Folded for matching as the API's search does: case and accents aside. */
function foldForMatching(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function words(text) {
  return foldForMatching(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Actors whose name has a word starting with each word typed ("kish" finds Fumio Kishida, "Xi Jin" Xi Jinping). */
function matchingActors(typed) {
  const typedWords = words(typed);
  if (typedWords.length === 0) return [];
  const startsName = (actor) => words(actor.label)[0].startsWith(typedWords[0]);
  return offeredActors
    .filter((actor) => !state.actors.includes(actor.key))
    .filter((actor) => typedWords.every((typedWord) => words(actor.label).some((word) => word.startsWith(typedWord))))
    // Names that begin with what is typed first, then the actors in most events.
    .sort((a, b) => Number(startsName(b)) - Number(startsName(a)) || b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, SUGGESTION_LIMIT);
}

function suggestionId(index) {
  return `actor-option-${index}`;
}

function renderSuggestions() {
  const typed = elements.actorInput.value.trim();
  const open = suggestionsOpen && typed !== '';
  elements.actorInput.setAttribute('aria-expanded', String(open));
  elements.suggestions.hidden = !open;
  if (activeSuggestion >= 0) elements.actorInput.setAttribute('aria-activedescendant', suggestionId(activeSuggestion));
  else elements.actorInput.removeAttribute('aria-activedescendant');
  if (!open) return;
  const withSelected = state.actors.length ? ` with ${state.actors.length === 1 ? actorName(state.actors[0]) : 'those selected'}` : '';
  if (suggestions.length === 0) {
    const where = state.actors.length ? `in events${withSelected}` : 'in any event';
    elements.suggestions.replaceChildren(h('li', { class: 'no-suggestion', role: 'presentation' }, `No actor matching “${typed}” takes part ${where}.`));
    return;
  }
  elements.suggestions.replaceChildren(...suggestions.map((actor, index) =>
    h('li', {
      id: suggestionId(index),
      role: 'option',
      class: 'suggestion',
      'aria-selected': String(index === activeSuggestion),
      // Chosen on mousedown, before the input's blur would close the list.
      onmousedown: (mouseEvent) => {
        mouseEvent.preventDefault();
        chooseActor(actor);
      },
    }, h('span', { class: 'suggestion-name' }, actor.label),
    h('span', { class: 'hint' }, `${counted(actor.count, 'event')}${withSelected}`))));
  elements.suggestions.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
}

function updateSuggestions() {
  suggestions = matchingActors(elements.actorInput.value);
  suggestionsOpen = true;
  // The best match is highlighted, so Enter takes it.
  activeSuggestion = suggestions.length ? 0 : -1;
  renderSuggestions();
}

function closeSuggestions() {
  suggestionsOpen = false;
  activeSuggestion = -1;
  renderSuggestions();
}

function chooseActor(actor) {
  actorNames.set(actor.key, actor.label);
  elements.actorInput.value = '';
  closeSuggestions();
  applyFilter({ actors: [...state.actors, actor.key] });
}

function removeActor(slug) {
  applyFilter({ actors: state.actors.filter((selected) => selected !== slug) });
  elements.actorInput.focus();
}

function syncFormToState() {
  renderSelectedActors();
  elements.from.value = state.from;
  elements.to.value = state.to;
  elements.asOf.value = state.asOf;
  elements.exportLink.href = `/timelinejs.json${queryString(state, { includeEvent: false })}`;
}

function describeFilter() {
  const parts = [];
  if (state.actors.length) {
    const names = state.actors.map(actorName);
    parts.push(`involving ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]}`);
  }
  if (state.from && state.from === state.to) parts.push(`in ${formatWrittenDate(state.from)}`);
  else if (state.from && state.to) parts.push(`between ${formatWrittenDate(state.from)} and ${formatWrittenDate(state.to)}`);
  else if (state.from) parts.push(`from ${formatWrittenDate(state.from)} on`);
  else if (state.to) parts.push(`up to ${formatWrittenDate(state.to)}`);
  if (state.asOf) parts.push(`as reported by ${formatPartialDate(state.asOf)}`);
  return parts.join(' ');
}

function renderCount(totalCount) {
  const noun = totalCount === 1 ? 'event' : 'events';
  const filter = describeFilter();
  elements.count.replaceChildren(
    h('strong', { 'data-count': totalCount }, `${totalCount} ${noun}`),
    filter ? ` ${filter}` : '',
  );
}

/**
 * The mark's shape says how precisely the date is known: a dot for a day, a band over the month,
 * a wide faded band over the year. An event with an end date spans to it, as fuzzy as its fuzzier end.
 */
function markShape(event) {
  if (!event.endDate) return event.startDate.precision.toLowerCase();
  const precisions = [event.startDate.precision, event.endDate.precision];
  if (precisions.includes('YEAR')) return 'year';
  if (precisions.includes('MONTH')) return 'month';
  return 'range';
}

function markFor(event, scale) {
  const { start, end } = eventInterval(event);
  const shape = markShape(event);
  const classes = ['mark', shape, event.status.toLowerCase()];
  if (shape === 'day') {
    return h('span', { class: classes.join(' '), style: { left: percent(scale.position(start + DAY_MS / 2)) } });
  }
  if (start < scale.domain.start) classes.push('cut-start');
  if (end > scale.domain.end) classes.push('cut-end');
  const left = scale.position(Math.max(start, scale.domain.start));
  const right = scale.position(Math.min(end, scale.domain.end));
  return h('span', { class: classes.join(' '), style: { left: percent(left), width: percent(Math.max(0, right - left)) } });
}

function statusBadge(status) {
  if (status === 'OCCURRED') return null;
  return h('span', { class: `badge ${status.toLowerCase()}` }, sentenceCase(status));
}

function renderChart(events) {
  if (events.length === 0) {
    elements.chart.replaceChildren(
      h('p', { class: 'empty' }, [
        state.actors.length > 1 ? 'No event involves all of the selected actors' : 'No events match',
        state.from || state.to ? ' in this date window.' : '.',
      ].join('')),
    );
    return;
  }
  // The axis goes in first, so the ticks can be spaced to the width its track gets (a phone's is narrow).
  const axisTrack = h('span', { class: 'track-inner' });
  elements.chart.replaceChildren(
    h('div', { class: 'axis' }, h('span', { class: 'axis-caption' }, 'Date'), h('span', { class: 'axis-caption' }, 'Event'),
      h('span', { class: 'track' }, axisTrack)),
  );
  const scale = axisScale(events, state, axisTrack.clientWidth);
  const tickLabels = scale.ticks.map((tick) => {
    const style = { left: percent(scale.position(tick.time)) };
    if (!tick.zoom) return h('span', { class: 'tick-label', style }, tick.label);
    return h(
      'button',
      { type: 'button', class: 'tick-label', style, title: `Show only ${tick.label}`, onclick: () => zoomTo(tick.zoom) },
      tick.label,
    );
  });
  const breakLabels = scale.gaps.map((gap) =>
    h('span', {
      class: 'break-label',
      style: { left: percent(gap.x0), width: percent(gap.x1 - gap.x0) },
      title: `${gapLength(gap).long} without events, left out`,
    }, gapLength(gap).short),
  );
  const gridLines = [
    ...scale.ticks.map((tick) => h('span', { class: 'grid-line', style: { left: percent(scale.position(tick.time)) } })),
    ...scale.gaps.map((gap) => h('span', { class: 'axis-break', style: { left: percent(gap.x0), width: percent(gap.x1 - gap.x0) } })),
  ];
  const rows = events.map((event) =>
    h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'event-row',
          'data-slug': event.slug,
          'aria-pressed': String(event.slug === state.event),
          onclick: () => selectEvent(event.slug),
        },
        h('span', { class: 'row-date', title: precisionNote(event) }, formatEventDate(event)),
        h('span', { class: 'row-title' }, h('span', { class: 'event-title' }, event.title), statusBadge(event.status)),
        h('span', { class: 'track' }, h('span', { class: 'track-inner' }, markFor(event, scale))),
      ),
    ),
  );
  axisTrack.append(...breakLabels, ...tickLabels);
  elements.chart.append(
    h('div', { class: 'chart-body' },
      h('div', { class: 'grid-lines', 'aria-hidden': 'true' }, gridLines),
      h('ol', { class: 'event-rows' }, rows)),
  );
}

/** Whether a period ("2023", "2023-09", "201X") lies inside the date window, or there is none. */
function withinWindow(period) {
  const bounds = partialDateBounds(period);
  if (state.from && bounds.earliest < partialDateBounds(state.from).earliest) return false;
  if (state.to && bounds.latest > partialDateBounds(state.to).latest) return false;
  return true;
}

/** "2023", "Sep", or "2023 ?" for a year's events whose month is unknown; a month shows its year on the first bar and in January. */
function bucketCaption(key, index) {
  const [yearKey, month] = key.split('-');
  const year = formatPartialDate(yearKey);
  if (month === undefined) return year;
  if (month === '??') return `${year} ?`;
  const monthName = MONTH_NAMES[Number(month) - 1];
  return index === 0 || month === '01' ? `${monthName} ${year}` : monthName;
}

/** The bucket right after this one: next year, or next month (a year's "month unknown" bucket has none). */
function nextBucketKey(key) {
  const [year, month] = key.split('-');
  if (month === undefined) return String(Number(year) + 1);
  if (month === '12') return `${Number(year) + 1}-01`;
  return `${year}-${String(Number(month) + 1).padStart(2, '0')}`;
}

/**
 * Events per year (or month) in the filter, as bars to click: a bar sets the window to its period.
 * Events known only to their year are a bar of their own after that year's months, never January's;
 * a run of empty years or months is marked with an ellipsis, as the API leaves empty buckets out.
 */
function renderHistogram(buckets) {
  if (buckets.length === 0) {
    elements.histogram.replaceChildren();
    return;
  }
  const largest = Math.max(...buckets.map((bucket) => bucket.count));
  const bars = [];
  buckets.forEach((bucket, index) => {
    const monthUnknown = bucket.key.endsWith('-??');
    const previous = buckets[index - 1];
    const follows = previous && (monthUnknown || previous.key.endsWith('-??') || nextBucketKey(previous.key) === bucket.key);
    if (previous && !follows) bars.push(h('span', { class: 'histogram-gap', 'aria-hidden': 'true' }, '…'));
    const period = monthUnknown ? bucket.key.slice(0, 4) : bucket.key;
    // A year with unspecified digits (201X) is labelled in words, as the rows are.
    const name = period.includes('X') ? `${formatPartialDate(period)}${monthUnknown ? ', month unknown' : ''}` : bucket.label;
    const label = `${name}: ${counted(bucket.count, 'event')}`;
    const content = [
      h('span', { class: 'bar-count', 'aria-hidden': 'true' }, String(bucket.count)),
      h('span', { class: 'bar-fill', style: { height: percent(bucket.count / largest) } }),
      h('span', { class: 'bar-caption', 'aria-hidden': 'true' }, bucketCaption(bucket.key, index)),
    ];
    const common = { 'data-key': bucket.key, 'data-count': bucket.count, 'aria-label': label };
    // Events known only as 20XX, say, in a window of one year: their bar would widen the window, not narrow it.
    if (!withinWindow(period)) {
      bars.push(h('span', { ...common, role: 'img', class: 'bar wider', title: `${label}; known only as ${formatPartialDate(period, { long: true })}, wider than this window` }, content));
      return;
    }
    bars.push(h('button', {
      type: 'button',
      class: monthUnknown ? 'bar month-unknown' : 'bar',
      ...common,
      title: `${label}; show only ${formatPartialDate(period, { long: true })}`,
      onclick: () => zoomTo(period),
    },
    content));
  });
  const unknownMonths = buckets.some((bucket) => bucket.key.endsWith('-??'));
  elements.histogram.replaceChildren(
    h('p', { class: 'histogram-caption' }, buckets[0].key.includes('-') ? 'Events by month' : 'Events by year',
      unknownMonths ? h('span', { class: 'hint' }, ' · hatched: known only to the year, month unknown') : null),
    h('div', { class: 'bars', role: 'group', 'aria-label': 'Events by start date; a bar shows only its period' }, bars),
  );
}

function renderDetailsPlaceholder() {
  elements.details.replaceChildren(
    h('p', { class: 'hint' }, 'Select an event to see who took part and what the articles say about it.'),
  );
}

function citationSource(citation) {
  const publisher = citation.article.source.name;
  const credited = citation.creditedSource?.name;
  return credited && credited !== publisher
    ? [h('span', { class: 'outlet' }, publisher), ', citing ', h('span', { class: 'credited-outlet' }, credited)]
    : [h('span', { class: 'outlet' }, publisher)];
}

function relatedLinks(event) {
  const links = [
    ...event.related.map((link) => ({ label: RELATION_LABELS[link.type] ?? sentenceCase(link.type), other: link.to })),
    ...event.relatedFrom.map((link) => ({ label: INVERSE_RELATION_LABELS[link.type] ?? sentenceCase(link.type), other: link.from })),
  ];
  if (links.length === 0) return [];
  return [
    h('h3', {}, 'Related events'),
    h('ul', { class: 'related' }, links.map(({ label, other }) =>
      h('li', {}, `${label}: `, h('a', {
        href: queryString({ ...state, event: other.slug }) || '/',
        onclick: (clickEvent) => {
          clickEvent.preventDefault();
          selectEvent(other.slug);
        },
      }, other.title)))),
  ];
}

/** "1 article", "2 outlets". */
function counted(count, noun) {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

function names(outlets) {
  return outlets.map((outlet) => outlet.name).join(', ');
}

/** How many articles and outlets report the event, which outlets it originates from, and which only pass it on. */
function reporting({ articleCount, outletCount, outlets, independentOutlets }) {
  const independent = new Set(independentOutlets.map((outlet) => outlet.slug));
  const relaying = outlets.filter((outlet) => !independent.has(outlet.slug));
  return h('div', { class: 'reporting' },
    h('p', { class: 'reported-by' }, `Reported by ${counted(articleCount, 'article')}, ${counted(outletCount, 'outlet')}`),
    independentOutlets.length
      ? h('p', { class: 'independent-origins' }, h('span', { class: 'label' }, 'Independent origins: '), names(independentOutlets))
      : null,
    relaying.length
      ? h('p', { class: 'relaying-outlets' }, h('span', { class: 'label' }, 'Only relaying others: '), names(relaying))
      : null);
}

function outsideFact(note) {
  return h('span', { class: 'outside-fact' }, h('span', { class: 'badge outside' }, 'Outside fact'), note ? ` ${note}` : '');
}

function citationAnchor(number) {
  return `citation-${number}`;
}

/** Brings a citation of the open event into view; the URL keeps its query string, so Back is unaffected. */
function showCitation(clickEvent, number) {
  clickEvent.preventDefault();
  const citation = document.getElementById(citationAnchor(number));
  citation?.scrollIntoView({ block: 'nearest' });
  citation?.focus({ preventScroll: true });
}

/** Links to the numbered citations that support a claim: [1] [7]. */
function citationRefs(supportedBy, citationNumbers) {
  const numbers = supportedBy.map((citation) => citationNumbers.get(citation.id)).filter((number) => number !== undefined);
  if (numbers.length === 0) return null;
  return h('span', { class: 'citation-refs' }, numbers.map((number) =>
    h('a', {
      class: 'citation-ref',
      href: `#${citationAnchor(number)}`,
      title: `Supported by citation ${number}`,
      'aria-label': `citation ${number}`,
      onclick: (clickEvent) => showCitation(clickEvent, number),
    }, String(number))));
}

/** What the date and the place rest on: the citations, or an outside fact and its note. */
function claims(event, citationNumbers) {
  const { dateSupport, placeSupport } = event;
  const dateBasis = dateSupport.basis === 'OUTSIDE'
    ? outsideFact(event.dateNote)
    : [DATE_BASIS_NOTES[event.dateBasis] ?? '', event.dateNote ? ` ${event.dateNote}` : ''];
  const rows = [
    h('dt', {}, 'Date'),
    h('dd', { class: 'date-note' }, dateBasis, citationRefs(dateSupport.supportedBy, citationNumbers)),
  ];
  if (event.place && placeSupport) {
    rows.push(
      h('dt', {}, 'Place'),
      h('dd', { class: 'place-note' }, event.place.name,
        placeSupport.basis === 'OUTSIDE' ? [' ', outsideFact(placeSupport.note)] : null,
        citationRefs(placeSupport.supportedBy, citationNumbers)),
    );
  }
  return h('dl', { class: 'claims' }, rows);
}

const DISPUTED_FIELD_NAMES = { DATE: 'The date', STATUS: 'The status', PLACE: 'The place' };
const CLAIM_RANK_NOTES = { PREFERRED: 'shown', NORMAL: 'also reported', DEPRECATED: 'judged wrong' };

/** A rival claim's value in words: a date as sure as it is written, a place by name, a status or role in a sentence. */
function claimValue(field, claim) {
  if (field === 'PLACE') return claim.place?.name ?? claim.value;
  if (field === 'DATE') return claim.value.split('/').map((date) => formatWrittenDate(date, { long: true })).join(' – ');
  return sentenceCase(claim.value);
}

/** Where the sources disagree: each disputed claim's values, the shown one first marked, each with its citations. */
function disputesSection(event, citationNumbers) {
  if (!event.disputes?.length) return [];
  return [
    h('h3', {}, 'Where the sources disagree'),
    h('ul', { class: 'disputes' }, event.disputes.map((dispute) =>
      h('li', { class: 'dispute' },
        h('span', { class: 'disputed-field' }, dispute.field === 'ROLE' ? `${dispute.actor?.name ?? 'A participant'}’s role` : DISPUTED_FIELD_NAMES[dispute.field]),
        h('ul', { class: 'rival-claims' }, dispute.claims.map((claim) =>
          h('li', { class: `rival-claim ${claim.rank.toLowerCase()}` },
            h('span', { class: 'claim-value' }, claimValue(dispute.field, claim)),
            ' ', h('span', { class: `badge rank ${claim.rank.toLowerCase()}` }, CLAIM_RANK_NOTES[claim.rank] ?? claim.rank),
            citationRefs(claim.citations, citationNumbers),
            claim.note ? [' ', h('span', { class: 'claim-note' }, claim.note)] : null)))))),
  ];
}

/**
 * The text either side of a verified quote, as shown: within the quote's paragraph and in whole
 * words, with an ellipsis where the article goes on.
 */
function quoteSurroundings({ prefix, suffix, start }) {
  let before = prefix;
  let moreBefore = start > [...prefix].length;
  const paragraphStart = before.lastIndexOf('\n');
  if (paragraphStart !== -1) {
    before = before.slice(paragraphStart + 1);
    moreBefore = false;
  } else if (moreBefore) {
    before = before.replace(/^\S*\s?/, '');
  }
  let after = suffix;
  let moreAfter = [...suffix].length >= QUOTE_CONTEXT_LENGTH;
  const paragraphEnd = after.indexOf('\n');
  if (paragraphEnd !== -1) {
    after = after.slice(0, paragraphEnd);
    moreAfter = false;
  } else if (moreAfter) {
    after = after.replace(/\s?\S*$/, '');
  }
  return { before: moreBefore ? `…${before}` : before, after: moreAfter ? `${after}…` : after };
}

function citationItem(citation, number) {
  const checked = citation.verified && citation.context;
  let quote;
  if (checked) {
    const { before, after } = quoteSurroundings(citation.context);
    quote = h('blockquote', {},
      h('span', { class: 'context-before' }, before),
      h('mark', { class: 'quote' }, citation.quote),
      h('span', { class: 'context-after' }, after));
  } else {
    quote = h('blockquote', {}, h('span', { class: 'quote' }, `“${citation.quote}”`));
  }
  return h('li', { class: checked ? 'citation' : 'citation unverified', id: citationAnchor(number), tabindex: '-1' },
    h('span', { class: 'citation-number', 'aria-hidden': 'true' }, String(number)),
    quote,
    checked
      ? null
      : h('p', { class: 'unverified-note' },
        h('span', { class: 'badge unverified' }, 'Unverified'),
        ' The article’s text is not on file, so this quote could not be checked against it.'),
    h('p', { class: 'citation-source' },
      h('cite', {}, citation.article.title), h('br'),
      ...citationSource(citation),
      ` · ${formatDate(citation.article.publishedOn, { long: true })}`));
}

function participantItem({ role, basis, note, supportedBy, node }, citationNumbers) {
  const outside = basis === 'OUTSIDE';
  return h('li', { class: outside ? 'participant outside' : 'participant' },
    h('a', { class: 'actor-link', href: actorTimelineHref(node.slug), title: `${node.name}'s timeline` }, node.name),
    ' ', h('span', { class: 'role' }, sentenceCase(role)),
    citationRefs(supportedBy, citationNumbers),
    outside ? outsideFact(note) : null);
}

function renderDetails(event) {
  const citations = event.citations.edges.map((edge) => edge.node);
  const citationNumbers = new Map(citations.map((citation, index) => [citation.id, index + 1]));
  elements.details.replaceChildren(
    h('button', { type: 'button', class: 'close quiet', 'aria-label': 'Close details', onclick: () => selectEvent('') }, '×'),
    h('p', { class: 'kicker' }, sentenceCase(event.kind), event.place ? ` · ${event.place.name}` : ''),
    h('h2', {}, event.title),
    h('p', { class: 'meta' },
      h('span', { class: 'date' }, formatEventDate(event, { long: true })),
      h('span', { class: 'precision' }, ` · ${precisionNote(event)}`),
      ' ', statusBadge(event.status) ?? h('span', { class: 'badge occurred' }, 'Occurred'),
      event.disputes?.length ? [' ', h('span', { class: 'badge disputed', title: 'The sources disagree: see below' }, 'Disputed')] : null),
    h('p', { class: 'summary' }, event.summary),
    claims(event, citationNumbers),
    ...disputesSection(event, citationNumbers),
    reporting(event.reportedBy),
    h('h3', {}, 'Who took part'),
    event.participants.edges.length
      ? h('ul', { class: 'participants' }, event.participants.edges.map((edge) => participantItem(edge, citationNumbers)))
      : h('p', { class: 'hint no-participants' }, 'The record names no one.'),
    h('h3', {}, `What the articles say (${event.citations.totalCount})`),
    h('ol', { class: 'citations' }, citations.map((citation, index) => citationItem(citation, index + 1))),
    ...relatedLinks(event),
  );
}

function markSelectedRow() {
  for (const row of elements.chart.querySelectorAll('.event-row')) {
    row.setAttribute('aria-pressed', String(row.dataset.slug === state.event));
  }
}

/** Opened from the page (not from the address), the details are brought into view: below the rows, on a phone. */
function revealDetails() {
  const { top, bottom } = elements.details.getBoundingClientRect();
  if (top < 0 || bottom > window.innerHeight) elements.details.scrollIntoView({ block: 'start' });
}

async function loadDetails({ reveal = false } = {}) {
  const request = ++detailsRequest;
  markSelectedRow();
  if (!state.event) {
    renderDetailsPlaceholder();
    return;
  }
  elements.details.setAttribute('aria-busy', 'true');
  try {
    const { event } = await graphql(EVENT_DETAILS_QUERY, { slug: state.event, asOf: state.asOf || null });
    if (request !== detailsRequest) return;
    if (event) renderDetails(event);
    else elements.details.replaceChildren(h('p', { class: 'hint' }, `There is no event "${state.event}".`));
    if (reveal) revealDetails();
  } catch (error) {
    if (request !== detailsRequest) return;
    elements.details.replaceChildren(h('p', { class: 'error' }, `Could not load the event: ${error.message}`));
  } finally {
    if (request === detailsRequest) elements.details.removeAttribute('aria-busy');
  }
}

function eventFilter() {
  const filter = {};
  if (state.actors.length) filter.actors = state.actors;
  if (state.from) filter.from = state.from;
  if (state.to) filter.to = state.to;
  return filter;
}

/** Counted by month when the window is short enough for months to say more than years. */
function histogramKey() {
  if (!state.from || !state.to) return 'YEAR';
  const span = partialDateBounds(state.to).latest - partialDateBounds(state.from).earliest;
  return span <= MONTH_HISTOGRAM_SPAN_MS ? 'MONTH' : 'YEAR';
}

function loadCounts() {
  const actorFilter = state.actors.length ? { actors: state.actors } : {};
  return graphql(COUNTS_QUERY, { filter: eventFilter(), by: histogramKey(), actorFilter, asOf: state.asOf || null });
}

/** The quoted values in an API message about slugs: `filter.actors: unknown actors "nobody", "no-one"`. */
function quotedValues(message) {
  return [...message.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((quoted) => JSON.parse(`"${quoted[1]}"`));
}

/** "“a”", "“a” and “b”", "“a”, “b” and “c”". */
function quotedList(values) {
  const quoted = values.map((value) => `“${value}”`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : quoted[0];
}

/**
 * What is wrong with a date, from the API's refusal of it ('… at "filter.from"; "2014-13" is not
 * a date: there is no month 13 …'), less its advice on what to write, which the page gives itself.
 */
function dateProblem(message, value) {
  const reason = message.split(/at "filter\.(?:from|to)"; /)[1] ?? '';
  const problem = reason.startsWith(JSON.stringify(value)) ? reason.slice(JSON.stringify(value).length).trim() : '';
  return !problem || problem.startsWith('is not a date: write') ? 'is not a date' : problem;
}

/** A refusal in the page's own words: which field of the address is wrong, and what it accepts. */
function plainSentence(error) {
  for (const { message = '', extensions = {} } of error.errors ?? []) {
    if (extensions.code !== 'BAD_USER_INPUT') continue;
    const dateField = /"filter\.(from|to)"/.exec(message)?.[1];
    if (dateField) return `The “${dateField}” date “${state[dateField]}” ${dateProblem(message, state[dateField])}. ${DATE_FORMAT_SENTENCE}`;
    if (extensions.argument === 'asOf') return `The “as of” day “${state.asOf}” is not a day: write a full date, like 2023-09-27.`;
    if (extensions.argument === 'filter.to' && / is before /.test(message)) {
      return `The window runs backwards: “to” (${state.to}) is before “from” (${state.from}). Swap them, or clear one.`;
    }
    if (extensions.argument === 'filter.actors') {
      const slugs = quotedValues(message);
      return [
        slugs.length === 1
          ? `There is no actor ${quotedList(slugs)}, so no events can involve it. `
          : `There are no actors ${quotedList(slugs)}, so no events can involve them. `,
        ...slugs.flatMap((slug, index) => [index > 0 ? ' ' : '', h('button', { type: 'button', class: 'quiet', onclick: () => removeActor(slug) }, `Remove “${slug}”`)]),
      ];
    }
  }
  const tooMany = (error.errors ?? []).find((refusal) => refusal.extensions?.code === 'LIMIT_EXCEEDED' && /"filter\.actors"/.test(refusal.message));
  if (tooMany) {
    return `The address names ${state.actors.length} actors; the timeline combines at most ${/the limit is (\d+)/.exec(tooMany.message)?.[1] ?? 100}.`;
  }
  return null;
}

async function loadTimeline() {
  const request = ++timelineRequest;
  elements.chart.setAttribute('aria-busy', 'true');
  try {
    const [{ nodes, totalCount }, counts] = await Promise.all([
      allPages(EVENTS_QUERY, { filter: eventFilter(), asOf: state.asOf || null }, (data) => data.events),
      loadCounts(),
    ]);
    if (request !== timelineRequest) return;
    for (const actor of counts.actors) actorNames.set(actor.key, actor.label);
    offeredActors = counts.actors;
    showError('');
    renderSelectedActors();
    renderCount(totalCount);
    renderHistogram(counts.histogram);
    renderChart(nodes);
  } catch (error) {
    if (request !== timelineRequest) return;
    showError(plainSentence(error) ?? `Could not load the timeline: ${error.message}`);
    offeredActors = [];
    elements.count.textContent = 'No events shown.';
    elements.histogram.replaceChildren();
    elements.chart.replaceChildren();
  } finally {
    if (request === timelineRequest) elements.chart.removeAttribute('aria-busy');
  }
}

/** "just now", "5 minutes ago", "3 days ago": how long since a write. */
function timeAgo(iso) {
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (seconds > -60) return 'just now';
  const units = [['day', 86_400], ['hour', 3_600], ['minute', 60]];
  const [unit, size] = units.find(([, unitSeconds]) => -seconds >= unitSeconds);
  return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

/**
 * Where each changed event is now, newest change first: its slug, or null once deleted (or renamed
 * away from). Only events that still exist are linked to.
 */
function currentEventSlugs(changes) {
  const current = new Map();
  for (const change of changes) {
    if (change.type !== 'EVENT') continue;
    if (!current.has(change.slug)) current.set(change.slug, change.action === 'DELETED' ? null : change.slug);
    if (change.previousSlug && !current.has(change.previousSlug)) current.set(change.previousSlug, current.get(change.slug));
  }
  return current;
}

function changeItem(change, currentSlug) {
  const label = change.record?.title ?? change.record?.name ?? change.slug;
  const record = currentSlug
    ? h('a', {
      class: 'change-record',
      href: queryString({ ...state, event: currentSlug }) || '/',
      onclick: (clickEvent) => {
        clickEvent.preventDefault();
        selectEvent(currentSlug);
      },
    }, label)
    : h('span', { class: 'change-record' }, label);
  return h('li', { class: `change ${change.action.toLowerCase()}` },
    h('span', { class: 'change-action' }, CHANGE_ACTIONS[change.action] ?? sentenceCase(change.action)),
    ' ', h('span', { class: 'change-type' }, change.type.toLowerCase()),
    ' ', record,
    ' ', h('time', { datetime: change.at, title: new Date(change.at).toUTCString() }, timeAgo(change.at)));
}

/** The latest writes, newest first; asked for each time the panel is opened, so it is never stale. */
async function loadChanges() {
  elements.changeList.setAttribute('aria-busy', 'true');
  try {
    const { changes } = await graphql(CHANGES_QUERY);
    const newestFirst = changes.edges.map((edge) => edge.node).reverse();
    const current = currentEventSlugs(newestFirst);
    // Slugs are unique per type only: an actor's change never links to an event of the same slug.
    elements.changeList.replaceChildren(...newestFirst.map((change) => changeItem(change, change.type === 'EVENT' ? current.get(change.slug) : undefined)));
  } catch (error) {
    elements.changeList.replaceChildren(h('li', { class: 'error' }, `Could not load the changes: ${error.message}`));
  } finally {
    elements.changeList.removeAttribute('aria-busy');
  }
}

/** Moves to a new filter: a new history entry, so Back returns to the previous view. */
function applyFilter(changes) {
  state = { ...state, ...changes };
  window.history.pushState(null, '', `/${queryString(state)}`);
  syncFormToState();
  loadTimeline();
}

function zoomTo(isoPeriod) {
  if (state.from === isoPeriod && state.to === isoPeriod) return;
  applyFilter({ from: isoPeriod, to: isoPeriod });
}

function selectEvent(slug) {
  state = { ...state, event: slug };
  window.history.replaceState(null, '', `/${queryString(state)}`);
  loadDetails({ reveal: Boolean(slug) });
}

elements.actorInput.addEventListener('input', updateSuggestions);

elements.actorInput.addEventListener('keydown', (keyEvent) => {
  if (keyEvent.key === 'ArrowDown' || keyEvent.key === 'ArrowUp') {
    keyEvent.preventDefault();
    if (suggestions.length === 0) return;
    const step = keyEvent.key === 'ArrowDown' ? 1 : -1;
    activeSuggestion = (activeSuggestion + step + suggestions.length) % suggestions.length;
    renderSuggestions();
  } else if (keyEvent.key === 'Enter') {
    // Enter picks an actor; it never submits the date window.
    keyEvent.preventDefault();
    if (suggestions[activeSuggestion]) chooseActor(suggestions[activeSuggestion]);
  } else if (keyEvent.key === 'Escape') {
    // The first Escape closes the list, a second one clears what was typed.
    if (!suggestionsOpen) elements.actorInput.value = '';
    closeSuggestions();
  }
});

elements.actorInput.addEventListener('blur', closeSuggestions);

elements.actorInput.addEventListener('focus', () => {
  if (elements.actorInput.value.trim()) updateSuggestions();
});

elements.form.addEventListener('submit', (submitEvent) => {
  submitEvent.preventDefault();
  applyFilter({ from: elements.from.value.trim(), to: elements.to.value.trim(), asOf: elements.asOf.value.trim() });
});

for (const input of [elements.from, elements.to, elements.asOf]) {
  input.addEventListener('change', () => {
    const entered = { from: elements.from.value.trim(), to: elements.to.value.trim(), asOf: elements.asOf.value.trim() };
    if (Object.entries(entered).some(([name, value]) => value !== state[name])) applyFilter(entered);
  });
}

elements.clear.addEventListener('click', () => applyFilter({ actors: [], from: '', to: '', asOf: '' }));

elements.changes.addEventListener('toggle', () => {
  if (elements.changes.open) loadChanges();
});

window.addEventListener('popstate', () => {
  state = readState();
  syncFormToState();
  loadTimeline();
  loadDetails();
});

syncFormToState();
loadTimeline();
loadDetails();
