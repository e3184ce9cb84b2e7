import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { EXAMPLE_QUERIES } from '../src/server/example-queries.js';
import { openTestTimeline, TEST_BACKEND, TEST_TOKENS } from './helpers.js';
import { freshPostgresDatabase, type PostgresDatabase } from './postgres-database.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const timeline = await openTestTimeline();
afterAll(() => timeline.close());

describe('schema.graphql', () => {
  it('is the printed schema (run `npm run schema:print` after changing the schema)', () => {
    const committed = readFileSync(join(projectRoot, 'schema.graphql'), 'utf8');
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });
});

describe('the example queries', () => {
  it.each(Object.keys(EXAMPLE_QUERIES))('%s runs against the seeded timeline', async (name) => {
    const response = await timeline.query(EXAMPLE_QUERIES[name as keyof typeof EXAMPLE_QUERIES]);
    expect(response.errors).toBeUndefined();
    expect(response.data).toBeTruthy();
  });

  it('CountryPair lists the Asian Games meeting with its participants and credited outlets', async () => {
    const { data } = await timeline.query(EXAMPLE_QUERIES.CountryPair);
    const meeting = data!.events.edges.find((edge: any) => edge.node.slug === 'xi-han-duck-soo-hangzhou-meeting').node;
    expect(meeting.place).toEqual({ name: 'Hangzhou' });
    expect(meeting.participants.edges).toContainEqual({ role: 'PARTICIPANT', node: { name: 'Xi Jinping', kind: 'PERSON' } });
    expect(meeting.citations.edges.map((edge: any) => edge.node.creditedSource?.name)).toContain('Yonhap');
  });

  it('ActorTimeline shows Xi Jinping latest first, starting with the proposed visit', async () => {
    const { data } = await timeline.query(EXAMPLE_QUERIES.ActorTimeline);
    const statuses = data!.actor.events.edges.map((edge: any) => edge.node.status);
    expect(statuses[0]).toBe('PROPOSED');
    expect(data!.actor.affiliations).toEqual([{ role: 'President', organization: { name: 'China' } }]);
  });
});

describe('the response', () => {
  it('lists fields in the order the query asks for them, including fields that resolve later', async () => {
    // totalCount runs its own count; edges come with the page.
    for (const fields of [['totalCount', 'edges', 'pageInfo'], ['edges', 'pageInfo', 'totalCount']]) {
      const selection = fields.map((field) => (field === 'totalCount' ? field : `${field} { ${field === 'edges' ? 'cursor' : 'hasNextPage'} }`));
      const response = await timeline.query(`{ events(filter: { actors: ["china"] }, first: 2) { ${selection.join(' ')} } }`);
      expect(Object.keys(response.data!.events)).toEqual(fields);
    }
  });
});

describe('GraphiQL', () => {
  it('is served at /graphql from local assets, opening on the examples', async () => {
    const response = await timeline.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    // One tab per example, each holding one operation, so that Run runs the one in view.
    const options = JSON.parse(html.split('\n').find((line) => line.trim().startsWith('{"title":"timeline"'))!.trim().replace(/,$/, ''));
    expect(options.defaultTabs).toEqual(Object.values(EXAMPLE_QUERIES).map((query) => ({ query: query.trim() })));
    for (const tab of options.defaultTabs) expect(tab.query.match(/^(query|mutation|subscription) /gm)).toHaveLength(1);
    // No script, stylesheet or image is fetched from elsewhere.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
  });
});

describe('the server entry point', () => {
  let child: ChildProcess | undefined;
  let postgres: PostgresDatabase | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill();
      await exited;
    }
    await postgres?.drop();
  });

  // `npm start` runs the build in dist/ (`npm test` builds it first): its paths to drizzle/, seed/
  // and web/ must hold from there too.
  it('migrates and seeds a new database from the build, then answers on the port it prints', async () => {
    // A new SQLite file in a folder that does not exist yet, or an empty PostgreSQL database.
    const databaseUrl =
      TEST_BACKEND === 'postgres'
        ? (postgres = await freshPostgresDatabase()).url
        : `file:${join(mkdtempSync(join(tmpdir(), 'timeline-start-')), 'nested', 'timeline.db')}`;
    child = spawn(process.execPath, ['dist/main.js'], {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', DATABASE_URL: databaseUrl },
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk) => {
        output += chunk;
        const match = /GraphiQL at (http:\/\/[^\s/]+\/graphql)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
    expect(output).toMatch(/Seeded a new database with \d+ events/);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ event(slug: "camp-david-summit") { startDate { iso } } }' }),
    });
    expect(await response.json()).toEqual({ data: { event: { startDate: { iso: '2023-08-18' } } } });
    const page = await fetch(new URL('/', url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('timeline.js');
  });
});

describe('README', () => {
  it('shows a correction an editor can run as written', async () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const mutation = /\*\*Correcting an event\.\*\*[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(mutation).toContain('updateEvent');
    const response = await timeline.query(mutation!, {}, { token: TEST_TOKENS.editor });
    expect(response.data!.updateEvent).toMatchObject({
      __typename: 'MutationUpdateEventSuccess',
      event: { summary: 'Biden, Yoon and Kishida met at Camp David.', revisions: { edges: expect.arrayContaining([{ node: expect.objectContaining({ author: 'test-editor' }) }]) } },
    });
  });

  it('shows the example queries exactly as GraphiQL opens on them', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    for (const [name, query] of Object.entries(EXAMPLE_QUERIES)) {
      expect(readme, name).toContain(query.trim());
    }
  });
});
