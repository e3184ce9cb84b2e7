import { CommandError, parseCommandLine, runCommand, usageFailure } from '../src/cli/command.js';
import { tokenSettings } from '../src/config.js';
import { readTokenFile, writeTokenFile } from '../src/server/auth.js';
import { inlineTokensWarning } from './token-files.js';

const defaultFile = tokenSettings(process.env).file;
const USAGE = `Usage: npm run token:revoke -- NAME [--file FILE]

Removes NAME's token from FILE (default: TIMELINE_TOKENS_FILE or ${defaultFile}). A running server
refuses it within a second, with "The token is not valid"; no restart.

  --file    the tokens file
  --help    show this`;

const { values, positionals } = parseCommandLine(USAGE, { options: { file: { type: 'string' } }, allowPositionals: true });
const [name] = positionals;
if (positionals.length !== 1 || !name) usageFailure(USAGE, 'Expected the NAME of one token.');
const file = values.file ?? defaultFile;

await runCommand(() => {
  const tokens = readTokenFile(file);
  if (!tokens.some((token) => token.name === name)) {
    const known = tokens.length === 0 ? 'it holds none' : `it holds ${tokens.map((token) => `"${token.name}"`).join(', ')}`;
    throw new CommandError(`There is no token named "${name}" in ${file}; ${known}.`);
  }
  writeTokenFile(file, tokens.filter((token) => token.name !== name));
  console.log(`Revoked "${name}" in ${file}. A running server refuses its token within a second.`);
  inlineTokensWarning();
});
