// A worker thread that runs `flowops validate` and `flowops plan` in-process, many inputs in a row,
// through the built CLI's own command functions (dist/cli/validate.js `runValidate`, dist/cli/plan.js
// `runPlan`: what main.ts's commands call). main.ts's last step, mapping a thrown error to output and
// an exit code (its `report`, not exported), is mirrored here: ConfigError -> one
// `file:line:col: severity: message` line per diagnostic, exit 1; any other FlowopsError ->
// `error: message`, exit 1; anything else is what the CLI calls an internal error: a crash.
// The main thread bounds each input's time and terminates this worker when it is exceeded (a hang
// in synchronous code cannot be interrupted any other way). Plain JavaScript: it loads the build.
import { parentPort, workerData } from 'node:worker_threads';

const dist = new URL(workerData.dist);
const { runValidate } = await import(new URL('cli/validate.js', dist).href);
const { runPlan } = await import(new URL('cli/plan.js', dist).href);
const { ConfigError, FlowopsError } = await import(new URL('errors.js', dist).href);
Object.assign(process.env, workerData.env);

parentPort.on('message', async ({ id, command, config }) => {
  let output = '';
  const capture = (chunk) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const saved = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = capture;
  process.stderr.write = capture;
  const global = { config, color: false, json: false, debug: false };
  const started = performance.now();
  let code;
  let crash;
  try {
    code = command === 'validate' ? await runValidate([], {}, global) : await runPlan({}, global);
  } catch (error) {
    code = 1;
    if (error instanceof ConfigError) {
      for (const d of error.diagnostics) output += `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}\n`;
    } else if (error instanceof FlowopsError) {
      output += `error: ${error.message}\n`;
    } else {
      crash = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    }
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
  parentPort.postMessage({ id, code, output, crash, ms: performance.now() - started });
});
parentPort.postMessage({ ready: true });
