/**
 * Fixed names and GitHub API limits the app respects. Each limit cites where GitHub documents it.
 */

/** The check run's name. Never configurable: branch protection matches required checks by name. */
export const CHECK_NAME = 'keyref';

/** The configuration file, read with Probot's config loader (`.github/keyref.yml`, org `.github` repo, `_extends`). */
export const CONFIG_FILE = 'keyref.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

/**
 * "The Checks API limits the number of annotations to a maximum of 50 per API request."
 * https://docs.github.com/en/rest/checks/runs#update-a-check-run (output.annotations)
 */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;

/** Our own cap on annotations per check run (50 update requests at most): beyond it the summary says how many were left out. */
export const MAX_ANNOTATIONS_TOTAL = 1000;

/**
 * output.summary and output.text: "Maximum length: 65535 characters."
 * https://docs.github.com/en/rest/checks/runs#create-a-check-run
 */
export const MAX_CHECK_SUMMARY_CHARS = 65535;

/**
 * annotations[].message and raw_details: "The maximum size is 64 KB."; annotations[].title: "The maximum size is 255 characters."
 * https://docs.github.com/en/rest/checks/runs#create-a-check-run
 */
export const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;
export const MAX_ANNOTATION_TITLE_CHARS = 255;

/**
 * output.title has no documented maximum; we keep it to one short line (the UI shows ~100 characters).
 */
export const MAX_CHECK_TITLE_CHARS = 200;

/**
 * Pull request review and review comment bodies: GitHub rejects longer ones with
 * "Body is too long (maximum is 65536 characters)" (same limit as issue comments,
 * https://docs.github.com/en/rest/issues/comments — body).
 */
export const MAX_COMMENT_BODY_CHARS = 65536;

/**
 * "The response includes a maximum of 3000 files." — List pull requests files.
 * https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files
 */
export const MAX_LISTED_PR_FILES = 3000;

/** Page size for list endpoints ("per_page ... max 100"). */
export const PER_PAGE = 100;

/** GraphQL mutations per minimize request (aliases in one document). */
export const MAX_MINIMIZE_PER_REQUEST = 50;

/** A review job that runs longer than this is stopped and its check run completed as an internal error. */
export const REVIEW_TIMEOUT_MS = 5 * 60 * 1000;
