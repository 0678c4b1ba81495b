/**
 * What every operation is given besides its own arguments. Operations read the process's
 * surroundings only through it (never process.cwd() or process.env), and tell people things only
 * through it: the command line decides where that goes (stderr, masked) and how it looks.
 */
export interface OperationContext {
  /** The working folder: where relative paths start and how paths in messages are shown. */
  cwd: string;
  /** The environment variables: credentials, GENESYS_ENV_URL, GitHub's. */
  env: Readonly<Record<string, string | undefined>>;
  /** --debug: request details from the Genesys client. */
  debug: boolean;
  /** Progress and notes for people (the command line puts them on stderr). */
  info(message: string): void;
  /**
   * Values learnt on the way (an environment's secrets) that must never be printed, from now on
   * and in whatever error ends the run (as GitHub's `add-mask`).
   */
  mask(values: readonly string[]): void;
}
