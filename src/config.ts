/** Where the database lives unless DATABASE_URL says otherwise. */
export const DEFAULT_DATABASE = './data/timeline.db';

export function databaseLocation(env: NodeJS.ProcessEnv): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE;
}

export function listenPort(env: NodeJS.ProcessEnv): number {
  const text = env.PORT?.trim() || '4000';
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${text}"`);
  }
  return port;
}
