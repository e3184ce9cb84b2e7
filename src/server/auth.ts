import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../write-file-atomically.js';

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

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new secret: 32 random bytes, which is why a plain SHA-256 is enough to store it. */
export function newTokenSecret(): string {
  return `tl_${randomBytes(32).toString('base64url')}`;
}

export function parseTokens(json: string, origin: string): StoredToken[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`${origin}: not valid JSON (${(error as Error).message})`);
  }
  const result = z.array(storedToken).safeParse(value);
  if (!result.success) throw new Error(`${origin}: not a list of {name, role, sha256}: ${result.error.issues[0]?.message}`);
  const names = new Set<string>();
  for (const { name } of result.data) {
    if (names.has(name)) throw new Error(`${origin}: the name "${name}" appears twice`);
    names.add(name);
  }
  return result.data;
}

/** The tokens in `file`; none if it does not exist. */
export function readTokenFile(file: string): StoredToken[] {
  return existsSync(file) ? parseTokens(readFileSync(file, 'utf8'), file) : [];
}

/** Replaces `file` with `tokens` (mode 600) in one step, so a server reading it never sees half a file. */
export function writeTokenFile(file: string, tokens: readonly StoredToken[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomically(file, `${JSON.stringify(tokens, null, 2)}\n`, 0o600);
}

/** The tokens the server accepts now; a file-backed source follows the file as it changes. */
export interface TokenSource {
  current(): readonly StoredToken[];
}

export interface TokenSettings {
  /** The tokens as JSON (TIMELINE_TOKENS); when set, the file is not read. */
  inline?: string;
  /** The tokens file (TIMELINE_TOKENS_FILE); it need not exist. */
  file: string;
}

export interface TokenSourceOptions {
  now?: () => number;
  /** Where a one-line notice goes when the file changes in a way the server cannot use. */
  log?: (line: string) => void;
  /** How often at most the file is looked at. */
  checkEveryMs?: number;
}

/**
 * Tokens from `settings`. Inline tokens are fixed. A file is read at once (a file that does not
 * parse then is an error) and looked at again at most once a second: a new version (another
 * modification time, size or inode) is read, a version that does not parse is reported in one
 * line and the last good list kept, and a file removed means no tokens.
 */
export function createTokenSource(settings: TokenSettings, { now = Date.now, log = console.error, checkEveryMs = 1_000 }: TokenSourceOptions = {}): TokenSource {
  if (settings.inline) {
    const tokens = parseTokens(settings.inline, 'TIMELINE_TOKENS');
    return { current: () => tokens };
  }
  const { file } = settings;
  const versionOf = () => {
    try {
      const stat = statSync(file);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
      throw error;
    }
  };
  let version = versionOf();
  let tokens: readonly StoredToken[] = version === 'absent' ? [] : parseTokens(readFileSync(file, 'utf8'), file);
  let checkedAt = now();
  const refresh = () => {
    const seen = versionOf();
    if (seen === version) return;
    version = seen;
    if (seen === 'absent') {
      if (tokens.length > 0) log(`${file} was removed: no tokens are accepted until it is back.`);
      tokens = [];
      return;
    }
    try {
      tokens = parseTokens(readFileSync(file, 'utf8'), file);
    } catch (error) {
      const kept = tokens.length === 1 ? '1 token' : `${tokens.length} tokens`;
      log(`${(error as Error).message.split('\n')[0]}; keeping the ${kept} read before.`);
    }
  };
  return {
    current() {
      if (now() - checkedAt >= checkEveryMs) {
        checkedAt = now();
        try {
          refresh();
        } catch (error) {
          log(`${file}: cannot be read (${(error as Error).message}); keeping the tokens read before.`);
        }
      }
      return tokens;
    },
  };
}

/**
 * The viewer an `Authorization: Bearer …` header proves, or null. The presented token is hashed
 * and compared with every stored hash in constant time, so timing says nothing about how close
 * a guess came.
 */
export function authenticate(authorization: string | null, tokens: readonly StoredToken[] | TokenSource): Viewer | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const presented = Buffer.from(hashToken(match[1]!), 'hex');
  let viewer: Viewer | null = null;
  for (const token of 'current' in tokens ? tokens.current() : tokens) {
    if (timingSafeEqual(presented, Buffer.from(token.sha256, 'hex')) && viewer === null) {
      viewer = { name: token.name, role: token.role };
    }
  }
  return viewer;
}

/** True when a request sent credentials that prove no one: a token unknown, revoked or malformed. */
export function presentsInvalidToken(authorization: string | null, viewer: Viewer | null): boolean {
  return viewer === null && (authorization ?? '').trim() !== '';
}
