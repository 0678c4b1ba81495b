/**
 * The emulator/ tests' own helpers: the emulator is driven only through the official SDK over HTTP
 * (sessions and jobs: test/helpers/emulator.ts), plus plain fetch for the presigned URLs; here an
 * emulator for a callback, the SDK's rejections, an export job run to its download, a ZIP read.
 */
import { unzipSync } from 'fflate';
import type { Models } from 'purecloud-platform-client-v2';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { ArchitectApi } from '../helpers/emulator.js';

export async function withEmulator<T>(
  options: EmulatorOptions,
  run: (emulator: RunningEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ port: 0, ...options });
  try {
    return await run(emulator);
  } finally {
    await emulator.close();
  }
}

/** What the SDK rejects with when extended responses are off: the parsed ErrorBody. */
export async function rejection(promise: Promise<unknown>): Promise<Models.ErrorBody & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Models.ErrorBody & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

export async function exportFlows(
  architect: ArchitectApi,
  flows: Models.ExportDetails[],
): Promise<{ state: Models.ArchitectExportJobStateResponse; body?: Buffer; contentType?: string }> {
  const registered = await architect.postFlowsExportJobs({ flows });
  for (;;) {
    const state = await architect.getFlowsExportJob(registered.id ?? '');
    if (state.status === 'Failure') return { state };
    if (state.status === 'Success') {
      const download = await fetch(state.downloadUrl ?? '');
      return {
        state,
        body: Buffer.from(await download.arrayBuffer()),
        contentType: download.headers.get('content-type') ?? '',
      };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Reads a ZIP's entries (fflate), to check the export packaging. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  return new Map(Object.entries(unzipSync(new Uint8Array(zip))).map(([name, data]) => [name, Buffer.from(data)]));
}
