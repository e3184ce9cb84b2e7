import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOKENS_FILE, hashToken, newTokenSecret, parseTokens, ROLES, type Role } from '../src/server/auth.js';

// npm run token:mint -- --name alice --role editor [--file ./data/tokens.json]
// Stores only the token's hash (replacing any token of the same name) and prints the token once.
const { values } = parseArgs({
  options: { name: { type: 'string' }, role: { type: 'string' }, file: { type: 'string' } },
});
const file = values.file ?? process.env.TIMELINE_TOKENS_FILE ?? DEFAULT_TOKENS_FILE;
if (!values.name || !ROLES.includes(values.role as Role)) {
  console.error(`Usage: npm run token:mint -- --name NAME --role ${ROLES.join('|')} [--file ${DEFAULT_TOKENS_FILE}]`);
  process.exit(2);
}

const tokens = existsSync(file) ? parseTokens(readFileSync(file, 'utf8'), file) : [];
const secret = newTokenSecret();
const kept = tokens.filter((token) => token.name !== values.name);
kept.push({ name: values.name, role: values.role as Role, sha256: hashToken(secret) });
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
chmodSync(file, 0o600);

console.log(`Token "${values.name}" (${values.role}) stored in ${file}. It is shown this once; keep it secret:\n`);
console.log(secret);
console.log(`\nSend it as "Authorization: Bearer <token>". The server reads ${file} when it starts.`);
