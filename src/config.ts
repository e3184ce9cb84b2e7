import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DatabaseLocation, parseDatabaseLocation } from './db/client.js';

/** Where the database lives unless DATABASE_URL says otherwise. */
export const DEFAULT_DATABASE = './data/timeline.db';

/** The database every command and the server use, and how: DATABASE_URL and DATABASE_POOL_SIZE. */
export interface DatabaseConfig {
  /** As given (a path, a file: URL, ":memory:" or a postgres:// URL). */
  url: string;
  location: DatabaseLocation;
  /** PostgreSQL: connections per process at most. */
  poolSize: number;
}

/** Reads DATABASE_URL and DATABASE_POOL_SIZE; an Error naming the variable when either is wrong. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv): DatabaseConfig {
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE;
  return { url, location: parseDatabaseLocation(url), poolSize: wholeNumberSetting(env, 'DATABASE_POOL_SIZE', 10, 1, 1000) };
}

/** The whole number a variable holds, `fallback` when unset; an Error naming it when out of range. */
function wholeNumberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim() || String(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

export function listenPort(env: NodeJS.ProcessEnv): number {
  return wholeNumberSetting(env, 'PORT', 4000, 0, 65535);
}

/**
 * The address the server listens on. The default, 127.0.0.1, keeps a development server off the
 * network; set HOST=0.0.0.0 (or ::) to serve other machines, as behind a load balancer.
 */
export const DEFAULT_HOST = '127.0.0.1';

export function listenHost(env: NodeJS.ProcessEnv): string {
  const host = env.HOST?.trim() || DEFAULT_HOST;
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw new Error(`HOST must be a host name or an IP address, not "${host}"`);
  return host;
}

/** WORKERS=N: how many server processes share the port (Node's cluster); 1 unless set. */
export function workerCount(env: NodeJS.ProcessEnv): number {
  return wholeNumberSetting(env, 'WORKERS', 1, 1, 64);
}

/** On unless the variable says "off". */
export function switchedOn(env: NodeJS.ProcessEnv, name: 'TIMELINE_EXPLORER' | 'TIMELINE_RESPONSE_CACHE'): boolean {
  return env[name]?.trim() !== 'off';
}

export function isDevelopment(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV === 'development';
}

/**
 * CORS_ORIGINS: comma-separated origins (https://newsroom.example) whose pages may call the API
 * with credentials and an Authorization header. Every other site may only read.
 */
export function corsOrigins(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of listed) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new Error(`CORS_ORIGINS must list origins such as https://newsroom.example, comma-separated; "${origin}" is not one`);
    }
  }
  return listed;
}

/**
 * Where the articles' texts are kept unless TIMELINE_ARTICLES_DIR says otherwise: beside the
 * project, since whole articles are not part of it. Seed files name texts relative to it.
 */
export const DEFAULT_ARTICLES_DIR = fileURLToPath(new URL('../../shared/seeds', import.meta.url));

/** TIMELINE_ARTICLES_DIR, resolved against the working directory. */
export function articlesDirectory(env: NodeJS.ProcessEnv): string {
  const dir = env.TIMELINE_ARTICLES_DIR?.trim();
  return dir ? resolve(dir) : DEFAULT_ARTICLES_DIR;
}

/** Where tokens are kept unless TIMELINE_TOKENS_FILE says otherwise. */
export const DEFAULT_TOKENS_FILE = './data/tokens.json';

/** TIMELINE_TOKENS (the tokens as JSON, which wins) or TIMELINE_TOKENS_FILE (the file, followed as it changes). */
export function tokenSettings(env: NodeJS.ProcessEnv): { inline?: string; file: string } {
  return { inline: env.TIMELINE_TOKENS?.trim() || undefined, file: env.TIMELINE_TOKENS_FILE?.trim() || DEFAULT_TOKENS_FILE };
}

/** Everything the server reads from its environment, checked once at start-up. */
export interface ServerConfig {
  database: DatabaseConfig;
  port: number;
  host: string;
  workers: number;
  explorer: boolean;
  responseCache: boolean;
  development: boolean;
  corsOrigins: string[];
  tokens: { inline?: string; file: string };
  /** Where the articles' texts are, for seeding a new database. */
  articlesDir: string;
}

/** Reads and checks every setting; throws an Error that names the first bad one. */
export function readServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  return {
    database: readDatabaseConfig(env),
    port: listenPort(env),
    host: listenHost(env),
    workers: workerCount(env),
    explorer: switchedOn(env, 'TIMELINE_EXPLORER'),
    responseCache: switchedOn(env, 'TIMELINE_RESPONSE_CACHE'),
    development: isDevelopment(env),
    corsOrigins: corsOrigins(env),
    tokens: tokenSettings(env),
    articlesDir: articlesDirectory(env),
  };
}
