import SchemaBuilder, {
  BasePlugin,
  completeValue,
  decodeBase64,
  encodeBase64,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';

/**
 * Cursors name the connection that issued them: the field (`Actor.events`) and its order
 * (`Actor.events(orderBy: DATE_DESC)`). A cursor is a position in one ordering of one list, so
 * another connection refuses it (src/schema/connection-arguments.ts says so before anything runs)
 * instead of reading it as a position in a different list.
 *
 * The paging libraries (plugin-drizzle's key-set cursors, plugin-relay's offset cursors) know
 * nothing of this: each connection field's results get their cursors bound on the way out, and
 * its `after`/`before` arguments are unbound on the way in by an argument mapper. Pothos applies
 * argument mappers wherever it reads arguments, including when plugin-drizzle plans a parent's
 * single SQL statement from the selection, so every reader sees the library's own cursor.
 */

const SEPARATOR = '|';

type Args = Record<string, unknown>;

/** What a cursor of this field, called with these arguments, is bound to. */
export function cursorScope(coordinate: string, args: Args): string {
  const order = args.orderBy;
  if (order == null) return coordinate;
  return `${coordinate}(orderBy: ${typeof order === 'string' ? order : JSON.stringify(order)})`;
}

export function bindCursor(scope: string, cursor: string): string {
  return encodeBase64(`${scope}${SEPARATOR}${decodeBase64(cursor)}`);
}

/** The scope and the library's own cursor inside a bound cursor, or null for anything else. */
export function readBoundCursor(cursor: string): { scope: string; cursor: string } | null {
  let decoded: string;
  try {
    decoded = decodeBase64(cursor);
  } catch {
    return null;
  }
  const at = decoded.indexOf(SEPARATOR);
  if (at <= 0) return null;
  return { scope: decoded.slice(0, at), cursor: encodeBase64(decoded.slice(at + 1)) };
}

function isConnectionField(config: PothosOutputFieldConfig<SchemaTypes>): boolean {
  return 'after' in config.args && 'before' in config.args && 'first' in config.args && 'last' in config.args;
}

interface Connection {
  edges?: ({ cursor: string } | null)[];
  pageInfo?: { startCursor?: string | null; endCursor?: string | null };
}

function bindConnection(scope: string, connection: Connection | null | undefined) {
  if (!connection || typeof connection !== 'object') return connection;
  const bind = (cursor: string | null | undefined) => (typeof cursor === 'string' ? bindCursor(scope, cursor) : cursor);
  return {
    ...connection,
    edges: connection.edges?.map((edge) => (edge ? { ...edge, cursor: bind(edge.cursor) } : edge)),
    pageInfo: connection.pageInfo && {
      ...connection.pageInfo,
      startCursor: bind(connection.pageInfo.startCursor),
      endCursor: bind(connection.pageInfo.endCursor),
    },
  };
}

export class CursorBindingPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (!isConnectionField(fieldConfig as PothosOutputFieldConfig<SchemaTypes>)) return fieldConfig;
    const coordinate = `${fieldConfig.parentType}.${fieldConfig.name}`;
    const unbind = (args: Args) => {
      // Most calls page from the start: nothing to unbind, and the arguments go on as they came.
      if (typeof args.after !== 'string' && typeof args.before !== 'string') return args;
      const scope = cursorScope(coordinate, args);
      const inner = (value: unknown) => {
        if (typeof value !== 'string') return value;
        const bound = readBoundCursor(value);
        // A cursor of another connection goes on as it came, and the library refuses it; the
        // pre-execution check has already told the client why.
        return bound?.scope === scope ? bound.cursor : value;
      };
      return { ...args, after: inner(args.after), before: inner(args.before) };
    };
    return { ...fieldConfig, argMappers: [...fieldConfig.argMappers, unbind] };
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!isConnectionField(fieldConfig as PothosOutputFieldConfig<SchemaTypes>)) return resolver;
    const coordinate = `${fieldConfig.parentType}.${fieldConfig.name}`;
    return (parent, args, context, info) =>
      completeValue(resolver(parent, args, context, info) as Connection | Promise<Connection>, (connection) =>
        bindConnection(cursorScope(coordinate, args as Args), connection),
      );
  }
}

export const cursorBindingPlugin = 'cursorBinding' as const;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      cursorBinding: CursorBindingPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(cursorBindingPlugin, CursorBindingPlugin);
