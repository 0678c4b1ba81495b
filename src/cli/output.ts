import pc from 'picocolors';
import type { Diagnostic } from '../check/types.js';

/**
 * Values masked in every Output of this process, like GitHub's `add-mask`: once a command has
 * learnt a secret, even the error printed at the very top (after the command is gone) masks it.
 */
const maskedEverywhere = new Set<string>();

/**
 * Everything flowops prints goes through here: secrets are masked in every line, colour is used
 * only on a terminal (and never with NO_COLOR or --no-color), `--json` keeps stdout for data.
 */
export class Output {
  readonly colors: ReturnType<typeof pc.createColors>;
  private readonly secrets: string[];

  constructor(
    options: { color?: boolean; secrets?: string[] } = {},
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    const tty = (stdout as NodeJS.WriteStream).isTTY === true;
    const enabled = options.color !== false && tty && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
    this.colors = pc.createColors(enabled);
    this.secrets = [];
    this.addSecrets([...maskedEverywhere, ...(options.secrets ?? []), process.env.GENESYS_CLIENT_SECRET ?? '']);
  }

  /** Values that must never be printed; the longest first so that overlapping secrets mask whole. */
  addSecrets(values: readonly string[]): void {
    for (const v of values) {
      if (v.length === 0) continue;
      maskedEverywhere.add(v);
      if (!this.secrets.includes(v)) this.secrets.push(v);
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  line(text = ''): void {
    this.stdout.write(this.redact(text) + '\n');
  }

  /** Progress and logs: stderr, so that stdout stays clean for --json. */
  info(text: string): void {
    this.stderr.write(this.redact(text) + '\n');
  }

  json(value: unknown): void {
    this.stdout.write(this.redact(JSON.stringify(value, null, 2)) + '\n');
  }

  diagnostic(d: Diagnostic): void {
    const c = this.colors;
    const sev = d.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
    this.line(`${c.bold(`${d.file}:${d.line}:${d.col}`)}: ${sev}: ${messageOf(d)}`);
  }

  /** GitHub Actions workflow commands, so problems show on the pull request's changed lines. */
  annotation(d: Diagnostic): void {
    const props = `file=${escapeProperty(d.file)},line=${d.line},col=${d.col}`;
    this.stdout.write(`::${d.severity} ${props}::${escapeData(this.redact(messageOf(d)))}\n`);
  }
}

/** A diagnostic's message as printed: a house rule's names the rule, as linters do (`... (calls-module)`). */
function messageOf(d: Diagnostic): string {
  return d.rule ? `${d.message} (${d.rule})` : d.message;
}

// Escaping as the GitHub Actions toolkit documents for workflow commands.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
