/** The one place the command line hands the process's surroundings to an operation. */
import type { OperationContext } from '../operations/context.js';
import type { GlobalOptions } from './global-options.js';
import type { Output } from './output.js';

/** The working folder and environment of this process; what operations say goes to stderr, masked by `out`. */
export function operationContext(out: Output, global: GlobalOptions): OperationContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    debug: global.debug,
    info: (message) => out.info(message),
    mask: (values) => out.addSecrets(values),
  };
}
