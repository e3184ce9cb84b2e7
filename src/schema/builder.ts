import SchemaBuilder from '@pothos/core';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import RelayPlugin from '@pothos/plugin-relay';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { TimelineDatabase } from '../db/client.js';
import { relations, type TimelineRelations } from '../db/relations.js';
import type { PartialDate } from '../domain/partial-date.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size.js';

export interface TimelineContext {
  db: TimelineDatabase;
}

export const builder = new SchemaBuilder<{
  Context: TimelineContext;
  DrizzleRelations: TimelineRelations;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    PartialDateString: { Input: PartialDate; Output: string };
  };
}>({
  plugins: [RelayPlugin, DrizzlePlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  drizzle: {
    // Each request brings its own database handle, so tests and scripts can open their own.
    client: (context) => context.db,
    getTableConfig,
    relations,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
  },
});

builder.queryType({});
