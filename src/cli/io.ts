/** What the CLI needs from the process, so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Progress is shown only on a terminal. */
  readonly stderrIsTTY?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A problem the user can fix (bad flag, missing directory, bad configuration, unknown revision): one line, exit 2, no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    /** Print the command's usage after the message. */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Progress on stderr, rewritten in place, throttled; a no-op unless enabled. */
export class Progress {
  private last = 0;
  private shown = false;
  constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  update(text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.shown = true;
    this.io.stderr(`\r\u001b[K${text}`);
  }

  done(): void {
    if (this.enabled && this.shown) this.io.stderr('\r\u001b[K');
    this.shown = false;
  }
}
