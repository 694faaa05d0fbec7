import { review } from '../../engine/review.js';
import { code, escapeMarkdown } from '../util/markdown.js';
import { EngineBudgetExceeded, EngineCrashed, type EngineRunner } from '../../runner/index.js';
import type { ReviewEngine } from './review-handler.js';

/** The app's engine: the pure engine's `review`, run in the engine runner's worker threads with its budget. */
export function workerEngine(runner: EngineRunner): ReviewEngine {
  return (input, signal) => runner.run({ op: 'review', input }, { signal });
}

/** The engine on the caller's thread (no budget): for tests that inject their own trees and need no worker. */
export const inlineEngine: ReviewEngine = (input) => review(input);

/** The check-run result of a review the engine runner stopped (over budget, or its worker died), or undefined for other errors. */
export function stoppedEngineResult(err: unknown): { conclusion: 'neutral'; title: string; summary: string } | undefined {
  if (!(err instanceof EngineBudgetExceeded) && !(err instanceof EngineCrashed)) return undefined;
  const where = err.file ? ` It was analysing ${code(escapeMarkdown(err.file))}.` : '';
  if (err instanceof EngineBudgetExceeded) {
    return {
      conclusion: 'neutral',
      title: 'keyref stopped: the analysis took too long',
      summary:
        `keyref stopped reviewing this commit after ${Math.round(err.budgetMs / 1000)} seconds of analysis (its time budget per review).${where} ` +
        'Nothing was checked, so this is not a pass. A file built to slow the analysis down can cause this: look at that file, or ask the ' +
        'operator to raise `KEYREF_ENGINE_BUDGET_MS` if the repository is simply very large, then use **Re-run**.',
    };
  }
  return {
    conclusion: 'neutral',
    title: 'keyref stopped: the analysis failed',
    summary: `keyref's analysis of this commit stopped unexpectedly (out of memory, or a crash in its worker).${where} Nothing was checked, so this is not a pass. Use **Re-run** to try again.`,
  };
}
