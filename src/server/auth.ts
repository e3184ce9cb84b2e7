import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export const ROLES = ['reader', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who sent a request, as far as its token says. */
export interface Viewer {
  name: string;
  role: Role;
}

/** A token as stored: its name, its role and the SHA-256 of its secret, never the secret. */
const storedToken = z.strictObject({
  name: z.string().min(1),
  role: z.enum(ROLES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in hex'),
});
export type StoredToken = z.infer<typeof storedToken>;

export const DEFAULT_TOKENS_FILE = './data/tokens.json';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new secret: 32 random bytes, which is why a plain SHA-256 is enough to store it. */
export function newTokenSecret(): string {
  return `tl_${randomBytes(32).toString('base64url')}`;
}

export function parseTokens(json: string, origin: string): StoredToken[] {
  const result = z.array(storedToken).safeParse(JSON.parse(json));
  if (!result.success) throw new Error(`${origin}: not a list of {name, role, sha256}: ${result.error.issues[0]?.message}`);
  return result.data;
}

/** Tokens from TIMELINE_TOKENS (JSON) or the file TIMELINE_TOKENS_FILE names (default ./data/tokens.json). */
export function loadTokens(env: NodeJS.ProcessEnv): StoredToken[] {
  if (env.TIMELINE_TOKENS) return parseTokens(env.TIMELINE_TOKENS, 'TIMELINE_TOKENS');
  const file = env.TIMELINE_TOKENS_FILE || DEFAULT_TOKENS_FILE;
  if (!existsSync(file)) return [];
  return parseTokens(readFileSync(file, 'utf8'), file);
}

/**
 * The viewer an `Authorization: Bearer …` header proves, or null. The presented token is hashed
 * and compared with every stored hash in constant time, so timing says nothing about how close
 * a guess came.
 */
export function authenticate(authorization: string | null, tokens: readonly StoredToken[]): Viewer | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const presented = Buffer.from(hashToken(match[1]!), 'hex');
  let viewer: Viewer | null = null;
  for (const token of tokens) {
    if (timingSafeEqual(presented, Buffer.from(token.sha256, 'hex')) && viewer === null) {
      viewer = { name: token.name, role: token.role };
    }
  }
  return viewer;
}
