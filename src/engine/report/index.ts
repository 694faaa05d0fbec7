/** Reporters: pure functions from a scan or review result to the text printed by the CLI. */
export { formatText, countLine, type TextOptions } from './text.js';
export { formatJson, findingToJson } from './json.js';
export { formatSarif, toSarif, pathToUri, FINGERPRINT_KEY, SARIF_SCHEMA, type SarifOptions } from './sarif.js';
export { DEFAULT_TOOL, KEYREF_HOME, ruleDocUri, type ReportInput, type ToolInfo } from './types.js';
export { byProblem, atLeast, SEVERITIES } from './group.js';
