/** The options every command takes (--config, --no-color, --json, --debug), read once into a typed struct. */
import type { Command } from 'commander';

export interface GlobalOptions {
  config?: string;
  color: boolean;
  json: boolean;
  debug: boolean;
}

/** The options every command shares, wherever on the command line they were given. */
export function globalOptions(command: Command): GlobalOptions {
  const o = command.optsWithGlobals() as Partial<GlobalOptions>;
  const result: GlobalOptions = {
    color: o.color !== false && !process.env.NO_COLOR,
    json: o.json === true,
    debug: o.debug === true,
  };
  if (o.config) result.config = o.config;
  return result;
}
