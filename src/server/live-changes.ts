import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import type { ChangeFeed, CommittedRevision } from '../db/change-feed.js';
import { type TimelineChange, timelineChangeOf } from '../editing/changes.js';

export interface StreamCaps {
  /** Subscriptions open at once on this process, from everyone. */
  streams: number;
  /** Subscriptions open at once from one client address. */
  streamsPerClient: number;
  /** Changes a subscriber may leave unread before its stream is ended. */
  backlog: number;
}

/** The timeline's changes as streams for subscribers, fed by the database's change feed. */
export interface LiveChanges {
  /** Every change from now on, until the subscriber leaves; refused past the caps. */
  subscribe(clientAddress: string): AsyncIterable<TimelineChange>;
  /** Streams open now. */
  readonly open: number;
}

function tooManyStreams(message: string) {
  return new GraphQLError(message, { extensions: { code: 'LIMIT_EXCEEDED', http: { status: 429, headers: { 'retry-after': '5' } } } });
}

export function createLiveChanges(feed: ChangeFeed, caps: StreamCaps): LiveChanges {
  // The feed hands every stream the same batch: its changes are read from the revisions once.
  const changesIn = new WeakMap<CommittedRevision[], TimelineChange[]>();
  const changesOf = (batch: CommittedRevision[]) => {
    let changes = changesIn.get(batch);
    if (!changes) changesIn.set(batch, (changes = batch.map(timelineChangeOf).filter((change) => change !== null)));
    return changes;
  };
  const openByClient = new Map<string, number>();
  let open = 0;
  const refusal = (clientAddress: string) => {
    if (open >= caps.streams) return tooManyStreams(`The server has ${caps.streams} subscriptions open, its limit; try again later.`);
    if ((openByClient.get(clientAddress) ?? 0) >= caps.streamsPerClient) {
      return tooManyStreams(`This client has ${caps.streamsPerClient} subscriptions open, the limit per client; close one first.`);
    }
    return null;
  };
  return {
    get open() {
      return open;
    },
    subscribe(clientAddress) {
      const refused = refusal(clientAddress);
      if (refused) throw refused;
      return new Repeater<TimelineChange>(async (push, stop) => {
        // Counted while the stream runs; two requests in the same moment may both pass the first check.
        const again = refusal(clientAddress);
        if (again) return stop(again);
        open++;
        openByClient.set(clientAddress, (openByClient.get(clientAddress) ?? 0) + 1);
        let unread = 0;
        const unlisten = feed.listen((batch) => {
          for (const change of changesOf(batch)) {
            if (++unread > caps.backlog) {
              return stop(tooManyStreams(`This subscriber left more than ${caps.backlog} changes unread; its stream was ended. Subscribe again to resume.`));
            }
            void push(change).then(() => unread--);
          }
        });
        try {
          await stop;
        } finally {
          unlisten();
          open--;
          const left = (openByClient.get(clientAddress) ?? 1) - 1;
          if (left === 0) openByClient.delete(clientAddress);
          else openByClient.set(clientAddress, left);
        }
      });
    },
  };
}
