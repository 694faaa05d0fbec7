/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), the runner's channel for
 * annotations when the token cannot write a check run (pull requests from forks).
 * Escaping as the runner expects it:
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
 * (data: `%`, CR, LF; property values additionally `:` and `,`).
 */
import type { Annotation } from '../app/check-run/annotations.js';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type CommandLevel = 'error' | 'warning' | 'notice';

const LEVEL: Record<Annotation['annotation_level'], CommandLevel> = { failure: 'error', warning: 'warning', notice: 'notice' };

/** `::<level> <properties>::<message>` on one line. */
export function workflowCommand(level: CommandLevel, message: string, properties: Readonly<Record<string, string | number>> = {}): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** A check-run annotation as the equivalent workflow command (the runner shows it on the file and line). */
export function annotationCommand(a: Annotation): string {
  return workflowCommand(LEVEL[a.annotation_level], a.message, {
    file: a.path,
    line: a.start_line,
    endLine: a.end_line,
    title: a.title,
  });
}
