import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { handWrittenAnswers } from './hand-written.js';

/**
 * The ceiling: a minimal node:http server answering the four workloads with hand-written SQL on
 * better-sqlite3 and JSON.stringify, returning the same data the GraphQL server does. Nothing is
 * validated, authorised, paged or masked: it is what the hardware can do, to compare against.
 */
const database = new Database(process.env.DATABASE_URL ?? './data/timeline.db', { readonly: true });
database.pragma('cache_size = -262144');
const answers = handWrittenAnswers(database);

function answer(url: URL): unknown {
  const q = url.searchParams;
  switch (url.pathname) {
    case '/q1':
      return { events: answers.timelinePage(q.get('from')!, q.get('to')!, Number(q.get('first'))) };
    case '/q2':
      return { actor: answers.actorPage(q.get('slug')!) };
    case '/q3':
      return { search: answers.search(q.get('query') ?? '') };
    case '/q4':
      return { node: answers.lookup(Number(q.get('id'))) };
    default:
      return null;
  }
}

const server = createServer((request, response) => {
  const data = answer(new URL(request.url ?? '/', 'http://ceiling'));
  response.writeHead(data === null ? 404 : 200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ data }));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`ceiling listening on ${typeof address === 'object' && address ? address.port : ''}`);
});
