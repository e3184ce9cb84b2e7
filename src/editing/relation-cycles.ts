import type { TimelineTransaction } from '../db/client.js';
import type { RecordIssue } from '../domain/errors.js';
import type { EventRelationType } from '../domain/vocabulary.js';

/** A stored or proposed link: "from <type> to", by slug. */
export interface EventLink {
  from: string;
  type: EventRelationType;
  to: string;
}

/**
 * The orders links claim, each of which must be free of cycles. PART_OF is containment: nothing
 * is part of itself. The other three all say which of two events comes first (A PRECEDES B and A
 * PREPARES B put A first, A FOLLOW_UP_OF B puts B first), so together they form one order in time:
 * "A PREPARES B" beside "A FOLLOW_UP_OF B" contradicts as surely as "A PRECEDES B" beside "B PRECEDES A".
 */
const ORDERS: readonly { claim: string; direction: Partial<Record<EventRelationType, 'forward' | 'backward'>> }[] = [
  { claim: 'part of itself', direction: { PART_OF: 'forward' } },
  { claim: 'come before itself', direction: { PRECEDES: 'forward', PREPARES: 'forward', FOLLOW_UP_OF: 'backward' } },
];

/** The links that touch any of these events (from or to them), as far as they are known. */
export type LinksTouching = (slugs: readonly string[]) => readonly EventLink[];

/**
 * The search for cycles, written once for links held in memory and links read from the database:
 * it yields the events whose links it needs next and is sent back the known links touching them.
 */
type LinkSearch<Result> = Generator<readonly string[], Result, readonly EventLink[]>;

interface EventWithLinks {
  slug: string;
  related: readonly { type: EventRelationType; event: string }[];
}

const format = (link: EventLink) => `${link.from} ${link.type} ${link.to}`;

/**
 * Issues for the links of `event` that would close a cycle with the known links (which must not
 * include the event's own outgoing links: these are the ones being replaced) or with the event's
 * earlier links. Each cycle is reported once, at the link that closes it.
 */
function* cycleIssues(event: EventWithLinks): LinkSearch<RecordIssue[]> {
  const issues: RecordIssue[] = [];
  const own: EventLink[] = [];
  function* touching(slugs: readonly string[]): LinkSearch<EventLink[]> {
    const known = yield slugs;
    return [
      ...known.filter((link) => link.from !== event.slug),
      ...own.filter((link) => slugs.includes(link.from) || slugs.includes(link.to)),
    ];
  }
  for (const [index, relation] of event.related.entries()) {
    const link: EventLink = { from: event.slug, type: relation.type, to: relation.event };
    for (const order of ORDERS) {
      const direction = order.direction[link.type];
      if (!direction) continue;
      const [earlier, later] = direction === 'forward' ? [link.from, link.to] : [link.to, link.from];
      const path = yield* pathInOrder(later, earlier, order.direction, touching);
      if (path) {
        issues.push({ path: `related[${index}].event`, message: `would make an event ${order.claim}: ${[link, ...path].map(format).join(', ')}` });
      }
    }
    own.push(link);
  }
  return issues;
}

/** Cycle issues of `event` against links held in memory. */
export function relationCycleIssues(event: EventWithLinks, known: LinksTouching): RecordIssue[] {
  const search = cycleIssues(event);
  for (let step = search.next(); ; ) {
    if (step.done) return step.value;
    step = search.next(known(step.value));
  }
}

/** Cycle issues of `event` against the links stored in the database; `renamed` maps the event's stored slug to the one it is being saved with. */
export async function storedRelationCycleIssues(tx: TimelineTransaction, event: EventWithLinks, renamed?: { from: string; to: string }): Promise<RecordIssue[]> {
  const known = storedLinks(tx, renamed);
  const search = cycleIssues(event);
  for (let step = search.next(); ; ) {
    if (step.done) return step.value;
    step = search.next(await known(step.value));
  }
}

/** The links leading from `start` to `goal` in an order, found breadth first (the shortest), or null. */
function* pathInOrder(
  start: string,
  goal: string,
  direction: (typeof ORDERS)[number]['direction'],
  touching: (slugs: readonly string[]) => LinkSearch<EventLink[]>,
): LinkSearch<EventLink[] | null> {
  const reachedBy = new Map<string, EventLink | null>([[start, null]]);
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const link of yield* touching(frontier)) {
      const step = direction[link.type];
      if (!step) continue;
      const [earlier, later] = step === 'forward' ? [link.from, link.to] : [link.to, link.from];
      if (!frontier.includes(earlier) || reachedBy.has(later)) continue;
      reachedBy.set(later, link);
      if (later === goal) {
        const path: EventLink[] = [];
        for (let at: string = goal, via = link; via; ) {
          path.unshift(via);
          at = (direction[via.type] === 'forward' ? via.from : via.to);
          via = reachedBy.get(at)!;
        }
        return path;
      }
      next.push(later);
    }
    frontier = next;
  }
  return null;
}

/** Links stored in the database, by slug, as the event being saved will see them. */
function storedLinks(tx: TimelineTransaction, renamed?: { from: string; to: string }) {
  const current = (slug: string) => (renamed && slug === renamed.from ? renamed.to : slug);
  const stored = (slug: string) => (renamed && slug === renamed.to ? renamed.from : slug);
  return async (slugs: readonly string[]): Promise<EventLink[]> => {
    const asStored = slugs.map(stored);
    const rows = await tx.query.eventRelations.findMany({
      where: { OR: [{ from: { slug: { in: asStored } } }, { to: { slug: { in: asStored } } }] },
      with: { from: { columns: { slug: true } }, to: { columns: { slug: true } } },
    });
    return rows.map((row) => ({ from: current(row.from.slug), type: row.type, to: current(row.to.slug) }));
  };
}

/** Links among records held in memory (the seed files'), by slug. */
export function linksAmong(events: Iterable<EventWithLinks>): LinksTouching {
  const links = [...events].flatMap((event) => event.related.map((r) => ({ from: event.slug, type: r.type, to: r.event })));
  return (slugs) => links.filter((link) => slugs.includes(link.from) || slugs.includes(link.to));
}

/**
 * For a data set read in order (the seed files): each call checks one record's links against those
 * of the records checked before it, so each cycle is reported once, at the record that closes it.
 * Records of other types have no links and pass.
 */
export function linkCyclesInOrder(): (type: string, record: unknown) => RecordIssue[] {
  const seen: EventWithLinks[] = [];
  return (type, record) => {
    if (type !== 'Event') return [];
    const event = record as EventWithLinks;
    const issues = relationCycleIssues(event, linksAmong(seen));
    seen.push(event);
    return issues;
  };
}
