// The `scan` and `review` commands. main.ts loads this module (and the engine, with secretlint's
// detectors and the configuration schema) only when one of them runs, so `--help` and `--version`
// answer at once.
import { readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseConfig } from '../engine/config/load.js';
import { DEFAULT_CONFIG, type EngineConfig } from '../engine/config/schema.js';
import { rules } from '../engine/index.js';
import { runEngine } from './engine.js';
import { fileSkipped, type FileProblem, type Skipped } from '../engine/model.js';
import { DEFAULT_TOOL, formatJson, formatSarif, formatText, type ReportInput, type ToolInfo } from '../engine/report/index.js';
import { decode, isDirectory, isFile, readDirectory } from './files.js';
import { readFileAt, readTrees, repositoryRoot, resolveCommit } from './git.js';
import { Progress, UserError, type CliIo } from './io.js';
import { REVIEW_USAGE, SCAN_USAGE } from './usage.js';
import { packageVersion } from './version.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const CONFIG_PATHS = ['.github/keyref.yml', '.github/keyref.yaml'];

const COMMON_OPTIONS = {
  format: { type: 'string', short: 'f' },
  config: { type: 'string', short: 'c' },
  output: { type: 'string', short: 'o' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages add advice about `--`; the first sentence is the useful part.
    const message = (error instanceof Error ? error.message : String(error)).split(/\. (?=[A-Z])/)[0]!.replace(/\.$/, '');
    throw new UserError(message, usage);
  }
}

function formatOf(value: string | undefined, usage: string): Format {
  if (value === undefined) return 'text';
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UserError(`unknown format "${value}"; use one of ${FORMATS.join(', ')}`, usage);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** --config FILE (read from disk), else the given default text (from disk or a commit). */
async function loadConfig(io: CliIo, configFlag: string | undefined, fallback: () => Promise<{ text: string; name: string } | undefined>): Promise<EngineConfig> {
  let source: { text: string; name: string } | undefined;
  if (configFlag !== undefined) {
    const abs = resolve(io.cwd, configFlag);
    if (!(await isFile(abs))) throw new UserError(`configuration file not found: ${configFlag}`);
    source = { text: decode(await readFile(abs)), name: configFlag };
  } else {
    source = await fallback();
  }
  if (!source) return DEFAULT_CONFIG;
  const result = parseConfig(source.text, source.name);
  if (!result.ok) throw new UserError(`invalid configuration${result.message.includes('\n') ? ':\n' : ': '}${result.message}`);
  return result.config;
}

async function emit(io: CliIo, output: string | undefined, text: string): Promise<void> {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, output), text);
  } catch (error) {
    throw new UserError(`cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function render(format: Format, input: ReportInput, tool: ToolInfo, color: boolean, uriPrefix = ''): string {
  if (format === 'json') return formatJson(input);
  if (format === 'sarif') return formatSarif(input, { rules: rules.map((r) => r.meta), tool, uriPrefix });
  return formatText(input, { color });
}

/** `dir` relative to the root of the git working tree holding it ('' when it is the root or in none), found without running git. */
async function pathInRepository(dir: string): Promise<string> {
  const real = await realpath(dir);
  for (let at = real; ; ) {
    try {
      await stat(join(at, '.git'));
      return toPosix(relative(at, real));
    } catch {
      const up = resolve(at, '..');
      if (up === at) return '';
      at = up;
    }
  }
}

/** The engine's list of what it did not analyse, plus the files the CLI could not read. */
function mergeSkipped(a: readonly Skipped[], b: readonly FileProblem[]): Skipped[] {
  return [...a, ...b.map(fileSkipped)].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

export async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, COMMON_OPTIONS, SCAN_USAGE);
  if (values.help) {
    io.stdout(SCAN_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UserError(`scan takes one directory, got ${positionals.length}`, SCAN_USAGE);
  const format = formatOf(values.format, SCAN_USAGE);
  const dirArg = positionals[0] ?? '.';
  const dir = resolve(io.cwd, dirArg);
  if (!(await isDirectory(dir))) throw new UserError(`not a directory: ${dirArg}`, SCAN_USAGE);

  const config = await loadConfig(io, values.config, async () => {
    for (const p of CONFIG_PATHS) {
      if (await isFile(join(dir, p))) return { text: decode(await readFile(join(dir, p))), name: toPosix(relative(io.cwd, join(dir, p))) || p };
    }
    return undefined;
  });

  const progress = new Progress(io, io.stderrIsTTY === true && format === 'text');
  const read = readDirectory(dir, progress);
  progress.update(`keyref: scanning ${read.files.length} files…`, true);
  const result = await runEngine({ op: 'scan', input: { files: read.files, config } }, io.env);
  progress.done();

  const tool: ToolInfo = { ...DEFAULT_TOOL, version: await packageVersion() };
  const input: ReportInput = { findings: result.findings, skipped: mergeSkipped(result.skipped, read.skipped), stats: result.stats };
  const uriPrefix = format === 'sarif' ? await pathInRepository(dir) : '';
  await emit(io, values.output, render(format, input, tool, values.color === true, uriPrefix));
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export async function reviewCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ...COMMON_OPTIONS, base: { type: 'string', short: 'b' }, head: { type: 'string' } }, REVIEW_USAGE);
  if (values.help) {
    io.stdout(REVIEW_USAGE);
    return 0;
  }
  if (values.base === undefined) throw new UserError('--base REV is required (the commit to compare with, e.g. origin/main)', REVIEW_USAGE);
  if (positionals.length > 1) throw new UserError(`review takes one directory, got ${positionals.length}`, REVIEW_USAGE);
  const format = formatOf(values.format, REVIEW_USAGE);
  const headRev = values.head ?? 'HEAD';

  const start = positionals[0] === undefined ? io.cwd : resolve(io.cwd, positionals[0]);
  if (!(await isDirectory(start))) throw new UserError(`not a directory: ${positionals[0]}`, REVIEW_USAGE);
  const root = await repositoryRoot(start);
  // DIR, as a path inside the repository ('' = the whole repository).
  let prefix = '';
  if (positionals[0] !== undefined) {
    prefix = toPosix(relative(await realpath(root), await realpath(start)));
    if (prefix.startsWith('..') || isAbsolute(prefix)) throw new UserError(`${positionals[0]} is outside the git repository`);
  }
  const [baseCommit, headCommit] = await Promise.all([resolveCommit(root, values.base), resolveCommit(root, headRev)]);

  const config = await loadConfig(io, values.config, async () => {
    for (const p of CONFIG_PATHS) {
      const path = prefix === '' ? p : `${prefix}/${p}`;
      const text = await readFileAt(root, headCommit, path);
      if (text !== undefined) return { text, name: `${path} (at ${headRev})` };
    }
    return undefined;
  });

  const progress = new Progress(io, io.stderrIsTTY === true && format === 'text');
  progress.update(`keyref: reading ${values.base} and ${headRev}…`, true);
  const [base, head] = await readTrees(root, [baseCommit, headCommit], prefix);
  progress.update(`keyref: scanning ${base!.files.length} + ${head!.files.length} files…`, true);
  const result = await runEngine({ op: 'review', input: { base: base!.files, head: head!.files, config } }, io.env);
  progress.done();

  const tool: ToolInfo = { ...DEFAULT_TOOL, version: await packageVersion() };
  const input: ReportInput = {
    findings: result.findings,
    skipped: mergeSkipped(result.skipped, head!.skipped),
    stats: result.stats,
    review: { base: values.base, head: headRev, fixed: result.fixed, changedPaths: result.changedPaths },
  };
  await emit(io, values.output, render(format, input, tool, values.color === true, prefix));
  return result.findings.some((f) => f.introduced === true && f.severity === 'error') ? 1 : 0;
}
