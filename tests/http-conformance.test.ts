import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../src/seed/index.js';
import { createTimelineYoga } from '../src/server/yoga.js';
import { openTestDatabase } from './helpers.js';

const database = await openTestDatabase();
await seedDatabase(database);
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer(createTimelineYoga({ database }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await database.close();
});

describe('GraphQL over HTTP (graphql-http server audits, against the listening server)', () => {
  const audits = serverAudits({ url: () => url });
  const required = audits.filter((audit) => /^(MUST|SHOULD)\b/.test(audit.name));

  it('has MUST and SHOULD audits to run', () => {
    expect(required.length).toBeGreaterThan(30);
  });

  it.each(required.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });
});
