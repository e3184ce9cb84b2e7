import type { CommittedRevision } from '../db/change-feed.js';
import type { EventInput } from '../domain/records.js';

/** A change to the timeline's events, as subscribers see it. */
export interface TimelineChange {
  action: 'CREATED' | 'UPDATED' | 'DELETED';
  eventId: number;
  slug: string;
  before: EventInput | null;
  after: EventInput | null;
}

const ACTIONS = { CREATE: 'CREATED', RESTORE: 'CREATED', UPDATE: 'UPDATED', DELETE: 'DELETED' } as const;

/** The change a committed revision of an event made; null for revisions of other records. */
export function timelineChangeOf(revision: CommittedRevision): TimelineChange | null {
  if (revision.entityType !== 'Event') return null;
  return {
    action: ACTIONS[revision.action],
    eventId: revision.entityId,
    slug: revision.entitySlug,
    before: revision.before === null ? null : (JSON.parse(revision.before) as EventInput),
    after: revision.after === null ? null : (JSON.parse(revision.after) as EventInput),
  };
}
