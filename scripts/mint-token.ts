import { CommandError, parseCommandLine, runCommand, usageFailure } from '../src/cli/command.js';
import { tokenSettings } from '../src/config.js';
import { hashToken, newTokenSecret, readTokenFile, ROLES, type Role, writeTokenFile } from '../src/server/auth.js';
import { inlineTokensWarning } from './token-files.js';

const defaultFile = tokenSettings(process.env).file;
const USAGE = `Usage: npm run token:mint -- NAME ROLE [--replace] [--file FILE]

Mints a token for NAME with ROLE (${ROLES.join(', ')}), prints it once, and stores only its
SHA-256 hash in FILE (default: TIMELINE_TOKENS_FILE or ${defaultFile}, mode 600). A running server
accepts it within a second; no restart.

  --replace   give an existing NAME a new token (and ROLE); its old token stops working
  --file      the tokens file
  --help      show this`;

const { values, positionals } = parseCommandLine(USAGE, {
  options: { replace: { type: 'boolean', default: false }, file: { type: 'string' } },
  allowPositionals: true,
});
const [name, role] = positionals;
if (positionals.length !== 2 || !name) usageFailure(USAGE, 'Expected a NAME and a ROLE.');
if (!ROLES.includes(role as Role)) usageFailure(USAGE, `ROLE must be one of ${ROLES.join(', ')}, not "${role}".`);
const file = values.file ?? defaultFile;

await runCommand(() => {
  const tokens = readTokenFile(file);
  if (tokens.some((token) => token.name === name) && !values.replace) {
    throw new CommandError(`A token named "${name}" exists in ${file}; choose another name, or give "${name}" a new token with --replace.`);
  }
  const secret = newTokenSecret();
  writeTokenFile(file, [...tokens.filter((token) => token.name !== name), { name, role: role as Role, sha256: hashToken(secret) }]);
  console.log(`Token "${name}" (${role}) stored in ${file}. It is shown this once; keep it secret:\n`);
  console.log(secret);
  console.log(`\nSend it as "Authorization: Bearer <token>". A running server accepts it within a second.`);
  inlineTokensWarning();
});
