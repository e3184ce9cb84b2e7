import type { DefinitionNode, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { DatabaseHandle } from '../db/client.js';
import { EVERYTHING, type RevisionReach, revisionReach } from '../editing/revision-reach.js';
import { type AnswerReads, recordReadsIn } from './answer-reads.js';

export interface ResponseCacheStats {
  hits: number;
  misses: number;
}

interface CachedAnswer {
  size: number;
  /** What the answer read, for telling which writes change it. */
  reads: AnswerReads;
  /** What Yoga sends: the answer serialised once, when it was kept. */
  result: ExecutionResult & { stringify: () => string };
}

/** What a request that missed will keep, if it turns out to be a query answered without errors. */
interface PendingAnswer {
  key: string;
  /** The last catch-up whose writes the answer surely sees: those of every later one must not change it. */
  seenUpTo: number;
  isQuery: boolean;
  reads: AnswerReads;
}

const PENDING = Symbol('timeline.responseCache');
type WithPending = { [PENDING]?: PendingAnswer };

/** More revisions than this since the last look, and the cache starts afresh rather than read them all. */
const MAX_REVISIONS_APPLIED = 500;
/** How many catch-ups' reaches are kept for the answers being computed meanwhile. */
const RECENT_CATCH_UPS = 64;

/**
 * Answers a request that was answered before from memory, as long as no write since could have
 * changed the answer. The lookup happens as soon as Yoga has the request's parameters, before
 * parsing, validation and the request limits: an identical request already passed them all.
 *
 * Never stale: before each lookup the database's change stamp is read, and when it has moved (a
 * write by this process or any other) the revisions written since are read and each answer that
 * one of them may change is dropped (src/server/answer-reads.ts says what an answer read,
 * src/editing/revision-reach.ts what a revision may change). A moved stamp with no revision behind
 * it (plain SQL, a bulk load) or too many revisions at once drops every answer; a change without a
 * revision that lands beside one with a revision goes unseen (the README says so). An answer computed
 * while catch-ups ran may predate their writes: it is kept only if none of them can change it.
 *
 * Only queries answered without errors are kept; mutations and subscriptions always run. The key
 * includes `viewerKey(request)`, so answers are never shared between viewers who may see different
 * things. Memory is bounded by the answers' size (with what each read): the least recently used go
 * first once they add up to `maxCharacters`, and an answer larger than a sixteenth of that is not kept at all. Each
 * looked-up answer says `X-Cache: HIT` or `MISS`, as a CDN's would, so clients and the benchmark
 * can count hits.
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
  const forgetAll = () => {
    entries.clear();
    keptCharacters = 0;
  };
  const stats: ResponseCacheStats = { hits: 0, misses: 0 };
  const lookups = new WeakMap<Request, 'HIT' | 'MISS'>();

  /** Where the cache has caught up to: the stamp read before its last look, and the newest revision applied. */
  let caughtUp: { stamp: string; revisionId: number } | undefined;
  let catchUps = 0;
  /** What each recent catch-up applied, by its number; a number missing is one still running (or long past). */
  const applied = new Map<number, RevisionReach[]>();
  const record = (number: number, reaches: RevisionReach[]) => {
    applied.set(number, reaches);
    applied.delete(number - RECENT_CATCH_UPS);
  };
  let catching: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  async function applyWritesSinceLastLook() {
    const number = ++catchUps;
    const stamp = await database.changeStamp();
    const startAfresh = (revisionId: number) => {
      forgetAll();
      caughtUp = { stamp, revisionId };
      record(number, [EVERYTHING]);
    };
    if (!caughtUp) return startAfresh(await database.newestRevisionId());
    const revisions = await database.revisionsAfter(caughtUp.revisionId, MAX_REVISIONS_APPLIED + 1);
    if (revisions.length === 0) return startAfresh(caughtUp.revisionId);
    if (revisions.length > MAX_REVISIONS_APPLIED) return startAfresh(await database.newestRevisionId());
    const reaches = revisions.map(revisionReach);
    for (const [key, entry] of entries) if (reaches.some((reach) => entry.reads.changedBy(reach))) forget(key);
    caughtUp = { stamp, revisionId: revisions.at(-1)!.id };
    record(number, reaches);
  }

  /** Whether no catch-up after `seenUpTo` applied a write that may change an answer that read `reads`. */
  const unchangedSince = (seenUpTo: number, reads: AnswerReads) => {
    for (let number = seenUpTo + 1; number <= catchUps; number++) {
      const reaches = applied.get(number);
      if (!reaches || reaches.some((reach) => reads.changedBy(reach))) return false;
    }
    return true;
  };

  /**
   * Applies every write committed before it was called. One catch-up runs at a time; one that
   * began earlier may have read the stamp too soon, so callers meanwhile share one more after it.
   */
  function catchUp(): Promise<void> {
    if (!catching) {
      catching = applyWritesSinceLastLook()
        .catch((error: unknown) => {
          forgetAll();
          caughtUp = undefined;
          throw error;
        })
        .finally(() => {
          catching = undefined;
        });
      return catching;
    }
    const again = () => {
      queued = undefined;
      return catchUp();
    };
    queued ??= catching.then(again, again);
    return queued;
  }

  return {
    stats,
    onResponse({ request, response }) {
      const lookup = lookups.get(request);
      if (lookup) response.headers.set('x-cache', lookup);
    },
    async onParams({ params, request, context, setResult }) {
      if (typeof params.query !== 'string') return;
      try {
        const stamp = await database.changeStamp();
        if (stamp !== caughtUp?.stamp) await catchUp();
      } catch {
        return; // no stamp, no caching: the request runs and reports whatever is wrong
      }
      const key = JSON.stringify([viewerKey(request), params.query, params.operationName ?? null, params.variables ?? null, params.extensions ?? null]);
      const cached = entries.get(key);
      if (cached) {
        stats.hits++;
        lookups.set(request, 'HIT');
        entries.delete(key);
        entries.set(key, cached);
        setResult(cached.result);
        return;
      }
      stats.misses++;
      lookups.set(request, 'MISS');
      // A catch-up still running may apply a write this answer does not see.
      const pending: PendingAnswer = { key, seenUpTo: catching ? catchUps - 1 : catchUps, isQuery: false, reads: recordReadsIn(context) };
      (context as WithPending)[PENDING] = pending;
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
      // What the answer read is kept beside it, and counts against the budget too.
      const size = body.length + pending.key.length + pending.reads.characters();
      forget(pending.key);
      if (size > maxCharacters / 16 || !unchangedSince(pending.seenUpTo, pending.reads)) return;
      entries.set(pending.key, { reads: pending.reads, size, result: { stringify: () => body } });
      keptCharacters += size;
      for (const oldest of entries.keys()) {
        if (keptCharacters <= maxCharacters) break;
        forget(oldest);
      }
    },
  };
}
