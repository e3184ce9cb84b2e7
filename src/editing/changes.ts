import type { EventInput } from '../domain/records.js';
import type { WriteResult } from './editor.js';

/** A change to the timeline's events, as subscribers see it. */
export interface TimelineChange {
  action: 'CREATED' | 'UPDATED' | 'DELETED';
  eventId: number;
  slug: string;
  before: EventInput | null;
  after: EventInput | null;
}

/** The change an event write made, or null when it wrote nothing. */
export function timelineChangeOf(result: WriteResult): TimelineChange | null {
  if (result.type !== 'Event' || result.action === null) return null;
  const action = result.action === 'DELETE' ? 'DELETED' : result.before === null ? 'CREATED' : 'UPDATED';
  return {
    action,
    eventId: result.id,
    slug: result.slug,
    before: result.before as EventInput | null,
    after: result.after as EventInput | null,
  };
}
