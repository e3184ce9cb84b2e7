import type { DefinitionNode, DocumentNode, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { changeStamp, type TimelineDatabase } from '../db/client.js';

export interface ResponseCacheStats {
  hits: number;
  misses: number;
}

/**
 * Answers a query that was answered before from memory, as long as the database has not changed
 * since (its change stamp catches writes from this process and from any other). Only queries
 * without errors are kept; mutations and subscriptions always run. The least recently used
 * answers go first once `maxEntries` are kept.
 */
export function useResponseCache(db: TimelineDatabase, { maxEntries = 2_000 } = {}): Plugin & { stats: ResponseCacheStats } {
  const entries = new Map<string, { stamp: string; result: ExecutionResult }>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  const stats: ResponseCacheStats = { hits: 0, misses: 0 };
  return {
    stats,
    onExecute({ args, setResultAndStopExecution }) {
      const operation = args.document.definitions.find(
        (definition: DefinitionNode) => definition.kind === 'OperationDefinition' && (!args.operationName || definition.name?.value === args.operationName),
      );
      if (!operation || operation.kind !== 'OperationDefinition' || operation.operation !== 'query') return;
      // Yoga's parser cache hands back the same document for the same text, so its identity keys it.
      let documentId = documentIds.get(args.document);
      if (documentId === undefined) documentIds.set(args.document, (documentId = nextDocumentId++));
      const key = `${documentId}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
      let stamp: string;
      try {
        stamp = changeStamp(db);
      } catch {
        return; // no stamp, no caching: the query runs and reports whatever is wrong
      }
      const cached = entries.get(key);
      if (cached && cached.stamp === stamp) {
        stats.hits++;
        entries.delete(key);
        entries.set(key, cached);
        setResultAndStopExecution(cached.result);
        return;
      }
      stats.misses++;
      return {
        onExecuteDone({ result }) {
          if (!('data' in result) || (result as ExecutionResult).errors?.length) return;
          entries.delete(key);
          entries.set(key, { stamp, result: result as ExecutionResult });
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
        },
      };
    },
  };
}
