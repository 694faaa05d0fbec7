/**
 * The engine worker's entry point in the CLI's bundle (scripts/build-cli.mjs → dist/cli-bundle/worker.cjs,
 * CommonJS: a worker starts it without Node's ES module loader).
 * It loads the engine bundle (engine-worker.cjs, a classic script) with a V8 code cache made *after* a
 * task has run, which holds the bytecode of every function the scan used.
 *
 * Why not only Node's compile cache (`module.enableCompileCache()`, which the App's entry, worker.ts,
 * uses): Node makes that cache when the module is compiled, before it runs, so it holds the module's top
 * level and little else; V8 compiles every function lazily, on its first call, in every run again. A scan
 * calls most of the engine once per run, so that compiling was a fixed ~3% of a corpus scan (290 KB of
 * cache against 1 MB made after a scan). `vm.Script#createCachedData()` after the first task is Node's
 * documented way to cache lazily compiled functions too.
 *
 * The cache lives in Node's compile-cache folder (whose name already carries Node's version and V8's
 * flags), under a name made of a hash of the engine's source, and starts with a hash of its own content:
 * a cache from another build, or a damaged file, is never handed to V8. V8 rejects a cache made with other
 * flags; a missing or rejected cache is written again when the first task's work is done, before its answer is
 * posted (the process may end as soon as the answer arrives): a temporary file, then a rename. Where Node's cache is off (NODE_DISABLE_COMPILE_CACHE) or its folder cannot be written,
 * the engine loads without one, as before: nothing is printed.
 */
import { hash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { ServeHooks } from './protocol.js';

const DIGEST_BYTES = 20;

// A command runs for about a second, mostly code that runs once per file. V8 by default hands a function
// to its optimising compiler after 3,000 calls; a scan's functions reach that and the compiler then takes
// about a third of the process's CPU on its own threads, competing on a small machine with the work it is
// meant to speed up. On Node 22, at 15,000 calls a corpus scan (5,000 manifests) uses ~20% less CPU and
// finishes ~9% sooner (README › Benchmarks). Node 24's V8 also has Maglev, a middle tier that compiles a
// function after 400 calls: a corpus scan compiled ~400 functions with it (~0.5 s of compiler CPU), most
// of them run a few thousand times and then never again; at 2,000 calls (and TurboFan at 15,000, which
// alone changed nothing there) the scan takes ~8% less CPU and ~5-10% less time (twelve interleaved
// rounds). Flags are set per major version (an unknown flag would print an error on another one). Only
// the command line does this: the App is a long-running process.
// V8's flags are the process's: set here, once this thread has booted, not by bin/keyref.js before starting
// it. Node's own modules carry a code cache made with V8's default flags, which V8 refuses under other
// flags: a worker started after the change compiled Node's internals from source (25 ms more to boot,
// and the engine ready ~30 ms later).
const TIERING: Readonly<Record<string, string>> = {
  '22': '--invocation-count-for-turbofan=15000',
  '24': '--invocation-count-for-maglev=2000 --invocation-count-for-turbofan=15000',
};
const tiering = TIERING[process.versions.node.split('.')[0] ?? ''];
if (tiering) v8.setFlagsFromString(tiering);

module.enableCompileCache?.();
const file = fileURLToPath(new URL('./engine-worker.cjs', import.meta.url));
// The bundle is ASCII (the build checks it): read as bytes, it is hashed as it is, and made a string
// without decoding UTF-8.
const sourceBytes = readFileSync(file);
const source = sourceBytes.toString('latin1');
const cacheDir = module.getCompileCacheDir?.();
const cacheFile = cacheDir ? join(cacheDir, `keyref-engine-${hash('sha1', sourceBytes)}`) : undefined;

/** The cache's payload, when the file exists and its content is what was written. */
function readCache(path: string): Buffer | undefined {
  try {
    const bytes = readFileSync(path);
    const payload = bytes.subarray(DIGEST_BYTES);
    if (bytes.length <= DIGEST_BYTES || !bytes.subarray(0, DIGEST_BYTES).equals(hash('sha1', payload, 'buffer'))) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

function writeCache(path: string, payload: Buffer): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([hash('sha1', payload, 'buffer'), payload]), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}

const cachedData = cacheFile ? readCache(cacheFile) : undefined;
// The CommonJS wrapper, as Node's own loader gives a module its `require`, `module` and `exports`.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  ...(cachedData ? { cachedData } : {}),
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const engine = { exports: {} as { startEngineWorker: (hooks: ServeHooks) => void } };
(script.runInThisContext() as (...args: unknown[]) => void)(engine.exports, module.createRequire(file), engine, file, dirname(file));

// Saved once, after the first task, when there was no cache or V8 refused it.
let saveTo = cachedData === undefined || script.cachedDataRejected === true ? cacheFile : undefined;
engine.exports.startEngineWorker({
  afterWork() {
    if (saveTo === undefined) return;
    writeCache(saveTo, script.createCachedData());
    saveTo = undefined;
  },
});
