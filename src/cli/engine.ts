/**
 * The CLI runs the engine in a worker thread with a budget per file (KEYREF_ENGINE_BUDGET_MS, default
 * 20 s): a file that keeps the engine busy that long stops the run with a message naming it, instead of
 * a hang. One runner per process (its idle worker does not keep the process alive).
 */
import { createEngineRunner, engineBudgetFromEnv, EngineBudgetExceeded, type EngineOutput, type EngineRunner, type EngineTask, type EngineThread, type PackedFiles } from '../runner/index.js';

let runner: EngineRunner | undefined;

function engineRunner(): EngineRunner {
  runner ??= createEngineRunner({ budgetScope: 'file' });
  return runner;
}

/**
 * Starts the engine's worker loading now (it loads while the CLI reads the files), or takes the one
 * bin/keyref.js started before loading the command line (`started`, see prestart.ts).
 */
export function prestartEngine(started?: EngineThread): void {
  if (started && !runner) runner = createEngineRunner({ budgetScope: 'file', started });
  else if (started) void started.worker.terminate(); // (a runner exists already: not expected)
  engineRunner().prestart();
}

/** Hands files of the coming scan to the engine's worker, which parses them while the rest is read. */
export function feedEngine(packed: PackedFiles): void {
  engineRunner().feed(packed);
}

/** Runs a task on the engine's worker; `supply` reads the generator inputs a scan with `askForInputs` names. */
export async function runEngine<T extends EngineTask>(
  task: T,
  env: Readonly<Record<string, string | undefined>> | undefined,
  supply?: (paths: readonly string[]) => PackedFiles,
): Promise<EngineOutput<T>> {
  return engineRunner().run(task, { budgetMs: engineBudgetFromEnv(env ?? process.env), ...(supply ? { supply } : {}) });
}

/** The message for a file over the budget (exit 3), or undefined for other errors. */
export function budgetMessage(error: unknown): string | undefined {
  if (!(error instanceof EngineBudgetExceeded)) return undefined;
  const seconds = error.budgetMs / 1000;
  return (
    `keyref: stopped: analysing ${error.file?.replace(/[\x00-\x1f\x7f]/g, '?') ?? 'the files'} took longer than ${seconds} s, so nothing was reported. ` +
    'A file built to slow the analysis down can do this: look at it, or leave it out with `exclude:` in .github/keyref.yml; ' +
    'KEYREF_ENGINE_BUDGET_MS (milliseconds) raises the budget.\n'
  );
}
