import { LineCounter } from 'yaml';
import { toOriginalOffset, type Replacement } from './substitute.js';
import type { Diagnostic, Severity } from './types.js';

/**
 * A flow file as written and as substituted, able to turn an offset in the substituted text into
 * `line:col` of the original file, and to collect diagnostics for it.
 */
export class SourceFile {
  readonly diagnostics: Diagnostic[] = [];
  private counter: LineCounter | undefined;
  private readonly originalText: Lazy;
  private readonly substitutedText: Lazy;

  /**
   * `original` and `text` may be given as functions: a file answered from the check cache is read
   * only if something asks for its text (a position, a flow's content).
   */
  constructor(
    readonly path: string,
    original: string | (() => string),
    text: string | (() => string),
    private readonly replacements: readonly Replacement[] = [],
  ) {
    this.originalText = new Lazy(original);
    this.substitutedText = new Lazy(text);
  }

  /** The file as written. */
  get original(): string {
    return this.originalText.value;
  }

  /** The file as substituted (what is parsed). */
  get text(): string {
    return this.substitutedText.value;
  }

  /** The original text's line starts, found when a position is first asked for (most files never have one). */
  private get lines(): LineCounter {
    if (this.counter) return this.counter;
    // LineCounter learns line starts from the offsets it is given.
    const lines = new LineCounter();
    let at = 0;
    lines.addNewLine(0);
    for (;;) {
      const nl = this.original.indexOf('\n', at);
      if (nl < 0) break;
      lines.addNewLine(nl + 1);
      at = nl + 1;
    }
    return (this.counter = lines);
  }

  /** Position in the original text of an offset in the substituted text. */
  positionOf(substitutedOffset: number): { line: number; col: number; offset: number } {
    const offset = toOriginalOffset(this.replacements, Math.max(0, substitutedOffset));
    const { line, col } = this.lines.linePos(Math.min(offset, this.original.length));
    return { line, col, offset };
  }

  get replacementList(): readonly Replacement[] {
    return this.replacements;
  }

  /** True when the offset falls inside a placeholder whose key had no value (already reported). */
  private inMissingPlaceholder(originalOffset: number): boolean {
    return this.replacements.some((r) => r.missing && originalOffset >= r.origStart && originalOffset < r.origEnd);
  }

  add(severity: Severity, code: string, message: string, substitutedOffset: number): void {
    const { line, col, offset } = this.positionOf(substitutedOffset);
    if (code !== 'missing-substitution' && this.inMissingPlaceholder(offset)) return;
    this.diagnostics.push({ severity, code, message: oneLine(message), file: this.path, line, col });
  }

  /**
   * Adds a diagnostic at a position of the original text already worked out (a reference's, kept in
   * the check record); like `add`, nothing is said inside a placeholder that had no value.
   */
  addAtPosition(severity: Severity, code: string, message: string, at: { line: number; column: number }): void {
    const offset = (this.lines.lineStarts[at.line - 1] ?? 0) + at.column - 1;
    if (this.inMissingPlaceholder(offset)) return;
    this.diagnostics.push({
      severity,
      code,
      message: oneLine(message),
      file: this.path,
      line: at.line,
      col: at.column,
    });
  }

  /** Adds a diagnostic at an offset of the original text (placeholders are found there). */
  addAtOriginal(severity: Severity, code: string, message: string, originalOffset: number): void {
    const { line, col } = this.lines.linePos(originalOffset);
    this.diagnostics.push({ severity, code, message: oneLine(message), file: this.path, line, col });
  }
}

/**
 * A diagnostic is one line, whatever the file held: a key that is itself a mapping (`? {task: ...}`)
 * or a value with line breaks is quoted in a message as its text, which may span lines.
 */
function oneLine(message: string): string {
  return message.includes('\n') || message.includes('\r') ? message.replace(/\s*[\r\n]+\s*/g, ' ') : message;
}

/** A string given as is or worked out once, when first asked for. */
class Lazy {
  constructor(private given: string | (() => string)) {}

  get value(): string {
    if (typeof this.given !== 'string') this.given = this.given();
    return this.given;
  }
}
