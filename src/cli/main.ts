import { budgetMessage } from './engine.js';
import { UserError, type CliIo } from './io.js';
import { MAIN_USAGE } from './usage.js';
import { packageVersion } from './version.js';

export type { CliIo } from './io.js';
export { prestartEngine } from './engine.js';

/**
 * The whole CLI: arguments in, exit code out. Writes only through `io`, so tests run it in-process.
 * Exit codes: 0 clean, 1 error findings, 2 bad usage / configuration / revision, 3 internal error.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        io.stderr(MAIN_USAGE);
        return 2;
      case '-h':
      case '--help':
      case 'help':
        io.stdout(MAIN_USAGE);
        return 0;
      case '-v':
      case '--version':
        io.stdout(`${await packageVersion()}\n`);
        return 0;
      case 'scan':
        return await (await import('./commands.js')).scanCommand(rest, io);
      case 'review':
        return await (await import('./commands.js')).reviewCommand(rest, io);
      default:
        throw new UserError(`unknown command "${command}"`, MAIN_USAGE);
    }
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`keyref: ${error.message}\n`);
      if (error.usage) {
        const first = error.usage.split('\n').find((l) => l.startsWith('Usage:')) ?? '';
        const help = error.usage === MAIN_USAGE ? 'keyref --help' : `keyref ${first.split(' ')[2] ?? ''} --help`;
        io.stderr(`${first.startsWith('Usage:') && error.usage !== MAIN_USAGE ? `${first}\n` : ''}Run \`${help}\` for more.\n`);
      }
      return 2;
    }
    const overBudget = budgetMessage(error);
    if (overBudget) {
      io.stderr(overBudget);
      return 3;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`keyref: internal error: ${message.split('\n')[0]}\n`);
    if (io.env?.['KEYREF_DEBUG'] && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    else io.stderr('(set KEYREF_DEBUG=1 for details; please report this at https://github.com/keyref/keyref/issues)\n');
    return 3;
  }
}

/** Entry point for bin/keyref.js: wires `main` to the process. */
export async function run(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
  });
}
