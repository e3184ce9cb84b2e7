import { and, gte, inArray } from 'drizzle-orm';
import { GraphQLError, Kind } from 'graphql';
import { revisionsMadeSince } from '../db/revision-queries.js';
import { revisions } from '../db/schema.js';
import type { RevisionAction } from '../domain/vocabulary.js';
import { builder } from './builder.js';
import { sharedConnection } from './connections.js';
import { EntityType, JSONScalar, parseJson, RECORD_COST, servedRecord } from './editing-types.js';

/** "2026-12-01T09:30:00Z", "2026-12-01T10:30:00.250+01:00": seconds and fractions optional, a timezone required. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const DATE_TIME_FORM = 'an ISO 8601 date and time with a timezone, like "2026-12-01T09:30:00Z" or "2026-12-01T10:30:00+01:00"';

/**
 * The instant as revisions store it (`Date.prototype.toISOString`, UTC to the millisecond), so
 * that comparing the strings compares the instants; null for anything that is not a real instant.
 */
export function normalizeDateTime(text: string): string | null {
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '', sign, offsetHours = '0', offsetMinutes = '0'] = match;
  const [y, mo, d, h, mi, s, oh, om] = [year, month, day, hour, minute, second, offsetHours, offsetMinutes].map(Number) as number[];
  const leap = y! % 4 === 0 && (y! % 100 !== 0 || y! % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo! - 1] ?? 0;
  if (d! < 1 || d! > daysInMonth || h! > 23 || mi! > 59 || s! > 59 || oh! > 23 || om! > 59) return null;
  // Rounded up to the next millisecond, so that "at >= since" holds exactly for stored milliseconds.
  const milliseconds = Math.ceil(Number(fraction.padEnd(9, '0')) / 1_000_000);
  const offset = (sign === '-' ? -1 : 1) * (oh! * 60 + om!) * 60_000;
  const utc = new Date(0);
  utc.setUTCFullYear(y!, mo! - 1, d!);
  utc.setUTCHours(h!, mi!, s!, milliseconds);
  const iso = new Date(utc.getTime() - offset).toISOString();
  // An offset can carry year 0000 or 9999 out of the four-digit years the strings compare by.
  return /^\d{4}-/.test(iso) ? iso : null;
}

function parseDateTime(value: unknown, prefix = ''): string {
  const normalized = typeof value === 'string' ? normalizeDateTime(value) : null;
  if (normalized === null) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 80)}"` : 'a non-string value';
    throw new GraphQLError(`${prefix}${shown} is not ${DATE_TIME_FORM}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return normalized;
}

export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant: an ISO 8601 date and time with a timezone, like "2026-12-01T09:30:00Z". Served in UTC.',
  serialize: (value) => value,
  parseValue: (value) => parseDateTime(value),
  // graphql-js shows a literal's error without naming the type, so the message does.
  parseLiteral: (node) => parseDateTime(node.kind === Kind.STRING ? node.value : undefined, 'Invalid DateTime: '),
});

const CHANGE_ACTIONS = { CREATE: 'CREATED', UPDATE: 'UPDATED', DELETE: 'DELETED', RESTORE: 'RESTORED' } as const satisfies Record<RevisionAction, string>;

const RecordChangeAction = builder.enumType('RecordChangeAction', {
  description: 'What a write did to a record.',
  values: {
    CREATED: { description: 'The record was created.' },
    UPDATED: { description: 'The record was changed.' },
    DELETED: { description: 'The record was deleted; `record` is what it was.' },
    RESTORED: { description: 'A deleted record was brought back, with its old id.' },
  } as const,
});

const ChangeRef = builder.drizzleObject('revisions', {
  variant: 'Change',
  description: 'One write to one record, for clients that keep a copy in sync.',
  fields: (t) => ({
    action: t.field({ type: RecordChangeAction, resolve: (revision) => CHANGE_ACTIONS[revision.action] }),
    type: t.expose('entityType', { type: EntityType }),
    slug: t.exposeString('entitySlug', { description: 'The slug the record has after the change (before it, for a deletion).' }),
    previousSlug: t.string({
      nullable: true,
      description: "For an update that renamed the record: the slug it had before, under which a client's copy still holds it. Null otherwise.",
      resolve: (revision) => {
        const before = parseJson(revision.before) as { slug?: unknown } | null;
        return typeof before?.slug === 'string' && before.slug !== revision.entitySlug ? before.slug : null;
      },
    }),
    at: t.field({ type: DateTime, resolve: (revision) => revision.at }),
    record: t.field({
      type: JSONScalar,
      nullable: true,
      complexity: RECORD_COST,
      description: "The record after the change, in the seed files' shape; for a deletion, the record as it was. An article's text is given as its length.",
      resolve: (revision) => servedRecord(parseJson(revision.after ?? revision.before)),
    }),
  }),
});

const ChangeConnection = sharedConnection(ChangeRef, 'Change');

/** Oldest first; revision ids follow commit order, so a cursor resumes exactly where a client left off. */
const changeOrder = { id: 'asc' } as const;

builder.queryField('changes', (t) =>
  t.drizzleConnection(
    {
      type: ChangeRef,
      description:
        'Every write to every record, deletions included, oldest first: `last: 20` is the latest twenty, and a page\'s `endCursor` given as `after` resumes from there later.',
      args: {
        since: t.arg({ type: DateTime, description: 'Only changes made at or after this instant.' }),
        types: t.arg({ type: [EntityType], description: 'Only changes to records of these types; an empty list places no restriction.' }),
      },
      totalCount: (_root, args, context) => {
        const { since, types } = args;
        return context.db.$count(
          revisions,
          and(since != null ? gte(revisions.at, since) : undefined, types?.length ? inArray(revisions.entityType, types) : undefined),
        );
      },
      resolve: (query, _root, { since, types }, context) =>
        context.db.query.revisions.findMany(
          query({
            where: {
              ...(since != null ? { RAW: (table: typeof revisions) => revisionsMadeSince(table, since) } : {}),
              ...(types?.length ? { entityType: { in: types } } : {}),
            },
            orderBy: changeOrder,
          }),
        ),
    },
    ChangeConnection,
  ),
);
