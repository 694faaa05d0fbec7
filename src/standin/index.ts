/** A local stand-in for the GitHub API (demo, benchmarks, soak and end-to-end tests). Never used in production. */
export {
  OTHER_APP,
  Standin,
  StandinRepo,
  startStandin,
  contractByDefault,
  type ContractViolation,
  type CheckRun,
  type Fault,
  type FaultSpec,
  type IssueComment,
  type Layout,
  type PullRequest,
  type RecordedRequest,
  type Review,
  type ReviewComment,
  type StandinOptions,
} from './server.js';
export { GitStore, filesFromDir, type FileMap } from './git.js';
export { loadContract, contractCounts, describeProblems, type Contract } from './contract.js';
export { commentableLines, githubPatch, type PullFile } from './pulls.js';
export { deliverWebhook, signWebhook, throwawayPrivateKey, type Delivery } from './webhook.js';
