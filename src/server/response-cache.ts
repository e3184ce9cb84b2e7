import type { DefinitionNode, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { DatabaseHandle } from '../db/client.js';

export interface ResponseCacheStats {
  hits: number;
  misses: number;
}

interface CachedAnswer {
  stamp: string;
  size: number;
  /** What Yoga sends: the answer serialised once, when it was kept. */
  result: ExecutionResult & { stringify: () => string };
}

/** What a request that missed will keep, if it turns out to be a query answered without errors. */
interface PendingAnswer {
  key: string;
  stamp: string;
  isQuery: boolean;
}

const PENDING = Symbol('timeline.responseCache');
type WithPending = { [PENDING]?: PendingAnswer };

/**
 * Answers a request that was answered before from memory, as long as the database has not changed
 * since (its change stamp catches writes from this process and from any other). The lookup happens
 * as soon as Yoga has the request's parameters, before parsing, validation and the request limits:
 * an identical request already passed them all. Only queries answered without errors are kept;
 * mutations and subscriptions always run. The key includes `viewerKey(request)`, so answers are
 * never shared between viewers who may see different things. Memory is bounded by the answers'
 * size: the least recently used go first once they add up to `maxCharacters`, and an answer
 * larger than a sixteenth of that is not kept at all. Each looked-up answer says `X-Cache: HIT` or
 * `MISS`, as a CDN's would, so clients and the benchmark can count hits.
 */
export function useResponseCache(
  database: DatabaseHandle,
  { viewerKey, maxCharacters = 32 * 2 ** 20 }: { viewerKey: (request: Request) => string; maxCharacters?: number },
): Plugin & { stats: ResponseCacheStats } {
  const entries = new Map<string, CachedAnswer>();
  let keptCharacters = 0;
  const forget = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    keptCharacters -= entry.size;
  };
  const stats: ResponseCacheStats = { hits: 0, misses: 0 };
  const lookups = new WeakMap<Request, 'HIT' | 'MISS'>();
  return {
    stats,
    onResponse({ request, response }) {
      const lookup = lookups.get(request);
      if (lookup) response.headers.set('x-cache', lookup);
    },
    async onParams({ params, request, context, setResult }) {
      if (typeof params.query !== 'string') return;
      let stamp: string;
      try {
        stamp = await database.changeStamp();
      } catch {
        return; // no stamp, no caching: the request runs and reports whatever is wrong
      }
      const key = JSON.stringify([viewerKey(request), params.query, params.operationName ?? null, params.variables ?? null, params.extensions ?? null]);
      const cached = entries.get(key);
      if (cached && cached.stamp === stamp) {
        stats.hits++;
        lookups.set(request, 'HIT');
        entries.delete(key);
        entries.set(key, cached);
        setResult(cached.result);
        return;
      }
      stats.misses++;
      lookups.set(request, 'MISS');
      (context as WithPending)[PENDING] = { key, stamp, isQuery: false };
    },
    onExecute({ args }) {
      const pending = (args.contextValue as WithPending)[PENDING];
      if (!pending) return;
      const operation = args.document.definitions.find(
        (definition: DefinitionNode) => definition.kind === 'OperationDefinition' && (!args.operationName || definition.name?.value === args.operationName),
      );
      pending.isQuery = operation?.kind === 'OperationDefinition' && operation.operation === 'query';
    },
    onExecutionResult({ result, context }) {
      const pending = (context as WithPending)[PENDING];
      if (!pending?.isQuery || !result || Symbol.asyncIterator in result || Array.isArray(result)) return;
      if (!('data' in result) || result.errors?.length || result.extensions) return;
      const body = JSON.stringify({ data: result.data });
      const size = body.length + pending.key.length;
      forget(pending.key);
      if (size > maxCharacters / 16) return;
      entries.set(pending.key, { stamp: pending.stamp, size, result: { stringify: () => body } });
      keptCharacters += size;
      for (const oldest of entries.keys()) {
        if (keptCharacters <= maxCharacters) break;
        forget(oldest);
      }
    },
  };
}
