import { parseCommandLine, runCommand } from '../src/cli/command.js';
import { tokenSettings } from '../src/config.js';
import { readTokenFile } from '../src/server/auth.js';
import { inlineTokensWarning } from './token-files.js';

const defaultFile = tokenSettings(process.env).file;
const USAGE = `Usage: npm run token:list -- [--file FILE]

Lists the tokens in FILE (default: TIMELINE_TOKENS_FILE or ${defaultFile}): each name and role.
The secrets are never stored, and their hashes are not shown.

  --file    the tokens file
  --help    show this`;

const { values } = parseCommandLine(USAGE, { options: { file: { type: 'string' } } });
const file = values.file ?? defaultFile;

await runCommand(() => {
  const tokens = readTokenFile(file);
  if (tokens.length === 0) {
    console.log(`No tokens in ${file}. Mint one with: npm run token:mint -- NAME ROLE`);
  } else {
    const width = Math.max(4, ...tokens.map((token) => token.name.length));
    console.log(`${'NAME'.padEnd(width)}  ROLE`);
    for (const token of tokens) console.log(`${token.name.padEnd(width)}  ${token.role}`);
  }
  inlineTokensWarning();
});
