import type { Diagnostic } from './check/types.js';

/**
 * The few error kinds flowops raises on purpose. The CLI's top maps each to its output and exit
 * code in one place; nothing branches on message text.
 */
export abstract class FlowopsError extends Error {
  abstract readonly kind: 'config' | 'usage' | 'remote';
}

/** Bad input with positions: a config file, a plan file, flow files. */
export class ConfigError extends FlowopsError {
  readonly kind = 'config';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join('\n'));
  }

  static at(file: string, message: string, line = 1, col = 1, code = 'config'): ConfigError {
    return new ConfigError([{ severity: 'error', code, message, file, line, col }]);
  }
}

/** A wrong command line: unknown environment, missing file argument. */
export class UsageError extends FlowopsError {
  readonly kind = 'usage';
}

/** Genesys Cloud (or another remote) answered with an error we cannot get past. */
export class RemoteError extends FlowopsError {
  readonly kind = 'remote';
  constructor(
    message: string,
    readonly status?: number,
    readonly detail?: string,
  ) {
    super(message);
  }
}
