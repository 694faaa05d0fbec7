/** Reads the runtime stage of the repository's Dockerfile (the simple forms it uses), so tests reproduce exactly what the image does. */
import { readFileSync } from 'node:fs';

export interface RuntimeStage {
  /** Files/directories copied from the build context (relative paths). */
  readonly contextCopies: string[];
  /** Paths copied from the build stage, e.g. `dist`. */
  readonly buildCopies: string[];
  /** Shell commands of RUN instructions. */
  readonly runs: string[];
  readonly env: Record<string, string>;
  readonly cmd: string[];
  readonly healthcheck: string[];
  readonly user?: string;
  readonly stopSignal?: string;
}

function logicalLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function readRuntimeStage(path: string): RuntimeStage {
  const lines = logicalLines(readFileSync(path, 'utf8'));
  const start = lines.findIndex((l) => /^FROM\s+\S+\s+AS\s+runtime$/i.test(l));
  if (start < 0) throw new Error('no `FROM … AS runtime` stage');
  const stage: { -readonly [K in keyof RuntimeStage]: RuntimeStage[K] } = { contextCopies: [], buildCopies: [], runs: [], env: {}, cmd: [], healthcheck: [] };
  for (const line of lines.slice(start + 1)) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = line.slice(instruction!.length).trim();
    switch (instruction!.toUpperCase()) {
      case 'COPY': {
        const from = rest.find((a) => a.startsWith('--from='));
        const paths = rest.filter((a) => !a.startsWith('--'));
        const sources = paths.slice(0, -1);
        if (from) stage.buildCopies.push(...sources.map((s) => s.replace(/^\/app\//, '')));
        else stage.contextCopies.push(...sources);
        break;
      }
      case 'RUN':
        stage.runs.push(args);
        break;
      case 'ENV':
        for (const m of args.matchAll(/(\w+)=(\S+)/g)) stage.env[m[1]!] = m[2]!;
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim()) as string[];
        break;
      case 'USER':
        stage.user = args;
        break;
      case 'STOPSIGNAL':
        stage.stopSignal = args;
        break;
      case 'FROM':
        throw new Error('runtime must be the last stage');
      default:
    }
  }
  return stage;
}
