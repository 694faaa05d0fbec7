export const MAIN_USAGE = `keyref: finds ConfigMap and Secret references in Kubernetes manifests that will not resolve,
and secret hygiene problems.

Usage:
  keyref scan [DIR] [options]                    scan a directory (default: .)
  keyref review --base REV [--head REV] [DIR]    what a git change introduces
  keyref --help | --version

Run \`keyref <command> --help\` for the options of a command.
`;

export const SCAN_USAGE = `Usage: keyref scan [DIR] [options]

Scans every *.yaml, *.yml, *.json and Kustomization file under DIR (default: the
current directory; .git and node_modules are skipped), plus the .env/.properties
files that kustomize generators name.

Options:
  -f, --format FORMAT   text (default), json or sarif
  -c, --config FILE     configuration (default: DIR/.github/keyref.yml when present)
  -o, --output FILE     write the report to FILE instead of standard output
      --color           color the text report
  -v, --verbose         print why each finding matters and how to fix it
      --min-severity S  report only findings of severity S or above: error,
                        warning or notice (default: notice, everything)
  -h, --help            show this help

Paths are relative to DIR, except in SARIF, where they are relative to the root of
the git repository that holds DIR (as GitHub code scanning expects).

Exit status: 0 when no finding is an error, 1 when one is, 2 on bad usage or
configuration.
`;

export const REVIEW_USAGE = `Usage: keyref review --base REV [--head REV] [DIR] [options]

Scans the commits REV (base) and --head (default: HEAD) of the git repository that
holds the current directory, and marks each finding of the head "introduced" when the
change between them brought it, including findings in files the change did not touch
(a key removed from a ConfigMap breaks an unchanged Deployment). DIR limits the review
to a folder of the repository (default: the whole repository). Uncommitted changes are
not looked at.

Options:
  -b, --base REV        the commit to compare with (required), e.g. origin/main
      --head REV        the commit under review (default: HEAD)
  -f, --format FORMAT   text (default), json or sarif
  -c, --config FILE     configuration (default: .github/keyref.yml of the base commit)
      --config-from WHICH base (default) or head: the commit whose .github/keyref.yml
                        applies. The base's, as the GitHub App reads the default
                        branch's: the change under review cannot switch rules off or
                        add excludes for itself. Use head only for trusted changes.
  -o, --output FILE     write the report to FILE instead of standard output
      --color           color the text report
  -v, --verbose         print why each finding matters and how to fix it
      --min-severity S  report only findings of severity S or above: error,
                        warning or notice (default: notice, everything)
  -h, --help            show this help

Exit status: 0 when the change introduces no error, 1 when it does, 2 on bad usage,
configuration or revision.
`;
