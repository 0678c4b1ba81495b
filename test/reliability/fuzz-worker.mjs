// A worker thread that runs `flowops validate` and `flowops plan` in-process, many inputs in a row,
// through the built CLI's own command functions (dist/cli/validate.js `runValidate`, dist/cli/plan.js
// `runPlan`: what main.ts's commands call). A thrown error goes through the CLI's own mapping
// (dist/cli/report-error.js, as main.ts calls it): an error it calls internal is a crash.
// The main thread bounds each input's time and terminates this worker when it is exceeded (a hang
// in synchronous code cannot be interrupted any other way). Plain JavaScript: it loads the build.
import { parentPort, workerData } from 'node:worker_threads';

const dist = new URL(workerData.dist);
const { runValidate } = await import(new URL('cli/validate.js', dist).href);
const { runPlan } = await import(new URL('cli/plan.js', dist).href);
const { describeError, reportError } = await import(new URL('cli/report-error.js', dist).href);
const { shownConfigPath } = await import(new URL('workspace/load-workspace.js', dist).href);
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
    const context = { configPath: shownConfigPath(config), debug: false, color: false, githubActions: false };
    code = reportError(error, context, { write: capture }, { write: capture });
    if (describeError(error, context).kind === 'internal') {
      crash = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    }
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
  parentPort.postMessage({ id, code, output, crash, ms: performance.now() - started });
});
parentPort.postMessage({ ready: true });
