// The `scan` and `review` commands. main.ts loads this module (and the engine, with secretlint's
// detectors and the configuration schema) only when one of them runs, so `--help` and `--version`
// answer at once.
import { readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_CONFIG, type EngineConfig } from '../engine/config/schema.js';
import { feedEngine, prestartEngine, runEngine } from './engine.js';
import { fileSkipped, type FileProblem, type Severity, type Skipped } from '../engine/model.js';
import { atLeast, DEFAULT_TOOL, formatJson, formatSarif, formatText, SEVERITIES, type ReportInput, type ToolInfo } from '../engine/report/index.js';
import { decode, isDirectory, isFile, readDirectoryStreamed } from './files.js';
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
  verbose: { type: 'boolean', short: 'v' },
  'min-severity': { type: 'string' },
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

/** --min-severity error|warning|notice (default notice: everything). */
function minSeverityOf(value: string | undefined, usage: string): Severity {
  if (value === undefined) return 'notice';
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new UserError(`unknown severity "${value}"; use one of ${SEVERITIES.join(', ')}`, usage);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** A configuration file's text; a file that cannot be read is the user's problem (exit 2), not an internal error. */
async function readConfigFile(abs: string, name: string): Promise<{ text: string; name: string }> {
  try {
    return { text: decode(await readFile(abs)), name };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    throw new UserError(`cannot read configuration file ${name}: ${why}${code ? ` (${code})` : ''}`);
  }
}

/** --config FILE (read from disk), else the given default text (from disk or a commit). */
async function loadConfig(io: CliIo, configFlag: string | undefined, fallback: () => Promise<{ text: string; name: string } | undefined>): Promise<EngineConfig> {
  let source: { text: string; name: string } | undefined;
  if (configFlag !== undefined) {
    const abs = resolve(io.cwd, configFlag);
    if (!(await isFile(abs))) throw new UserError(`configuration file not found: ${configFlag}`);
    source = await readConfigFile(abs, configFlag);
  } else {
    source = await fallback();
  }
  if (!source) return DEFAULT_CONFIG;
  // Loaded only when there is a file: it brings the rule registry (and secretlint's detectors), which
  // the engine's worker loads anyway; the main thread does not need them to read the files.
  const { parseConfig } = await import('../engine/config/load.js');
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

async function render(format: Format, input: ReportInput, tool: ToolInfo, options: { color: boolean; verbose: boolean }, uriPrefix = ''): Promise<string> {
  if (format === 'json') return formatJson(input);
  if (format === 'sarif') {
    // Only SARIF lists the rules: the registry is loaded for it alone (see loadConfig).
    const { rules } = await import('../engine/rules/index.js');
    return formatSarif(input, { rules: rules.map((r) => r.meta), tool, uriPrefix });
  }
  return formatText(input, options);
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
  const min = minSeverityOf(values['min-severity'], SCAN_USAGE);
  const dirArg = positionals[0] ?? '.';
  const dir = resolve(io.cwd, dirArg);
  if (!(await isDirectory(dir))) throw new UserError(`not a directory: ${dirArg}`, SCAN_USAGE);
  prestartEngine();

  const config = await loadConfig(io, values.config, async () => {
    for (const p of CONFIG_PATHS) {
      if (await isFile(join(dir, p))) return readConfigFile(join(dir, p), toPosix(relative(io.cwd, join(dir, p))) || p);
    }
    return undefined;
  });

  const progress = new Progress(io, io.stderrIsTTY === true && format === 'text');
  let fed = 0;
  const read = readDirectoryStreamed(dir, progress, (batch) => {
    fed += batch.paths.length;
    feedEngine(batch);
  });
  progress.update(`keyref: scanning ${fed + read.packed.paths.length} files…`, true);
  // The worker parses the kustomizations and names the generator inputs they read; they are read then.
  const result = await runEngine({ op: 'scan', input: { files: [], config }, packed: read.packed, askForInputs: true }, io.env, read.readInputs);
  progress.done();

  const tool: ToolInfo = { ...DEFAULT_TOOL, version: await packageVersion() };
  const input: ReportInput = { findings: atLeast(result.findings, min), skipped: mergeSkipped(result.skipped, read.skipped), stats: result.stats };
  const uriPrefix = format === 'sarif' ? await pathInRepository(dir) : '';
  await emit(io, values.output, await render(format, input, tool, { color: values.color === true, verbose: values.verbose === true }, uriPrefix));
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export async function reviewCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...COMMON_OPTIONS, base: { type: 'string', short: 'b' }, head: { type: 'string' }, 'config-from': { type: 'string' } },
    REVIEW_USAGE,
  );
  if (values.help) {
    io.stdout(REVIEW_USAGE);
    return 0;
  }
  if (values.base === undefined) throw new UserError('--base REV is required (the commit to compare with, e.g. origin/main)', REVIEW_USAGE);
  if (positionals.length > 1) throw new UserError(`review takes one directory, got ${positionals.length}`, REVIEW_USAGE);
  const format = formatOf(values.format, REVIEW_USAGE);
  const min = minSeverityOf(values['min-severity'], REVIEW_USAGE);
  const headRev = values.head ?? 'HEAD';
  // As the App reads it from the default branch: the change under review must not configure its own review.
  const configFrom = values['config-from'] ?? 'base';
  if (configFrom !== 'base' && configFrom !== 'head') throw new UserError(`--config-from takes base or head, got "${configFrom}"`, REVIEW_USAGE);
  if (configFrom === 'head' && values.config !== undefined) throw new UserError('--config-from and --config cannot be used together', REVIEW_USAGE);

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

  const [configCommit, configRev] = configFrom === 'head' ? [headCommit, headRev] : [baseCommit, values.base];
  const config = await loadConfig(io, values.config, async () => {
    for (const p of CONFIG_PATHS) {
      const path = prefix === '' ? p : `${prefix}/${p}`;
      const text = await readFileAt(root, configCommit, path);
      if (text !== undefined) return { text, name: `${path} (at ${configRev})` };
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
    findings: atLeast(result.findings, min),
    skipped: mergeSkipped(result.skipped, head!.skipped),
    stats: result.stats,
    review: { base: values.base, head: headRev, fixed: atLeast(result.fixed, min), changedPaths: result.changedPaths },
  };
  await emit(io, values.output, await render(format, input, tool, { color: values.color === true, verbose: values.verbose === true }, prefix));
  return result.findings.some((f) => f.introduced === true && f.severity === 'error') ? 1 : 0;
}
