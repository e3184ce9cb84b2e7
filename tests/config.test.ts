import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDatabaseConfig, readServerConfig } from '../src/config.js';
import { parseDatabaseLocation, redactPassword } from '../src/db/client.js';

describe('DATABASE_URL', () => {
  it.each([
    ['./data/timeline.db', { dialect: 'sqlite', path: resolve('./data/timeline.db') }],
    ['/var/lib/timeline.db', { dialect: 'sqlite', path: '/var/lib/timeline.db' }],
    ['file:./x.db', { dialect: 'sqlite', path: resolve('./x.db') }],
    ['file:///srv/x.db', { dialect: 'sqlite', path: '/srv/x.db' }],
    [':memory:', { dialect: 'sqlite', path: ':memory:' }],
    ['postgres://editor:secret@db.example:5432/timeline', { dialect: 'postgres', url: 'postgres://editor:secret@db.example:5432/timeline' }],
    ['postgresql://db.example/timeline', { dialect: 'postgres', url: 'postgresql://db.example/timeline' }],
    ['POSTGRES://db.example/timeline', { dialect: 'postgres', url: 'POSTGRES://db.example/timeline' }],
  ])('reads %s', (url, location) => {
    expect(parseDatabaseLocation(url)).toEqual(location);
  });

  it.each(['mysql://db.example/timeline', 'http://db.example/timeline', 'sqlite://x.db'])('refuses %s, naming its scheme', (url) => {
    const scheme = url.slice(0, url.indexOf(':') + 1);
    expect(() => parseDatabaseLocation(url)).toThrow(`DATABASE_URL has the scheme "${scheme}", which is neither SQLite (a path or file: URL) nor PostgreSQL`);
  });

  it('refuses a postgres URL it cannot parse, without showing its password', () => {
    expect(() => parseDatabaseLocation('postgres://editor:secret@[bad/timeline')).toThrow('DATABASE_URL is not a valid PostgreSQL URL: postgres://editor:***@[bad/timeline');
  });

  it('shows URLs without their passwords', () => {
    expect(redactPassword('postgres://editor:s3cr:et@db.example/timeline')).toBe('postgres://editor:***@db.example/timeline');
    expect(redactPassword('postgres://db.example/timeline')).toBe('postgres://db.example/timeline');
  });
});

describe('DATABASE_POOL_SIZE', () => {
  it('is 10 unless set, and a whole number from 1 to 1000', () => {
    expect(readDatabaseConfig({}).poolSize).toBe(10);
    expect(readDatabaseConfig({ DATABASE_POOL_SIZE: '32' }).poolSize).toBe(32);
    for (const bad of ['0', '-1', '2.5', 'many', '1001']) {
      expect(() => readDatabaseConfig({ DATABASE_POOL_SIZE: bad })).toThrow(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, not "${bad}"`);
    }
  });

  it('is part of the server settings, checked at start-up', () => {
    expect(readServerConfig({ DATABASE_URL: 'postgres://db.example/timeline', DATABASE_POOL_SIZE: '4' }).database).toEqual({
      url: 'postgres://db.example/timeline',
      location: { dialect: 'postgres', url: 'postgres://db.example/timeline' },
      poolSize: 4,
    });
    expect(() => readServerConfig({ DATABASE_URL: 'redis://cache' })).toThrow('DATABASE_URL has the scheme "redis:"');
  });
});
