import { parseCommandLine, runCommand, usageFailure, wholeNumber } from '../src/cli/command.js';
import { startPostgres } from './postgres-server.js';

const USAGE = `Usage: npm run postgres [-- --port N]

Starts a throwaway PostgreSQL server to try the PostgreSQL backend by hand: a fresh cluster in a
temp folder, listening on 127.0.0.1 only, tuned for speed over safety (fsync off). Prints the
DATABASE_URL of an empty database named timeline, then runs until Ctrl-C, which stops the server
and deletes its data.

  --port N    listen on port N (default: a free port)
  --help      show this`;

const { values } = parseCommandLine(USAGE, { options: { port: { type: 'string' } } });
const port = values.port === undefined ? undefined : wholeNumber(USAGE, 'port', values.port);
if (port !== undefined && port > 65535) usageFailure(USAGE, `--port must be at most 65535, not ${port}.`);

await runCommand(async () => {
  const server = await startPostgres({ port, log: (line) => console.error(line) });
  const url = await server.createDatabase('timeline');
  console.log(`DATABASE_URL=${url}`);
  console.error(`\nRunning, data in ${server.dir}. Try: DATABASE_URL=${url} npm start\nCtrl-C stops the server and deletes its data.`);

  // Nothing else keeps this process alive while the server runs on its own.
  const keepAlive = setInterval(() => {}, 2 ** 30);
  let stopping = false;
  const shutdown = () => {
    // A second Ctrl-C does not wait: the server's watchdog cleans up once this process is gone.
    if (stopping) process.exit(130);
    stopping = true;
    clearInterval(keepAlive);
    // A failure rejects unhandled, and runCommand reports it in one line.
    void server.destroy().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
});
