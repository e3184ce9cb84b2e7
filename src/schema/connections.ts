import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.js';

/**
 * One named connection type per kind of node (EventConnection, EventEdge), shared by every field
 * that pages through that kind, so clients can write one fragment for all of them.
 */
export function sharedConnection<Shape>(node: ObjectRef<any, Shape>, name: string) {
  return builder.connectionObject(
    {
      type: node,
      name: `${name}Connection`,
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many there are in all, across every page.',
          // Marks the field as plugin-drizzle's own totalCount, so that a query selecting only
          // totalCount runs the count alone.
          extensions: { pothosDrizzleTotalCount: true },
          // Root connections hand over a function to count with; related connections the count.
          resolve: (connection) => {
            const totalCount = (connection as { totalCount?: number | (() => number | Promise<number>) }).totalCount;
            return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
          },
        }),
      }),
    },
    { name: `${name}Edge` },
  );
}
