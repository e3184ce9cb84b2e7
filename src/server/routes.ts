import type { Plugin } from 'graphql-yoga';
import type { TimelineDatabase } from '../db/client.js';

/** Routes beside /graphql: the timeline page at / and the TimelineJS export. */
export function useTimelineRoutes(_dependencies: { db: TimelineDatabase }): Plugin {
  return {};
}
