/**
 * Load: 8 clients x 200 concurrent mixed requests through the SDK against one emulator, while a
 * reader parses the state file over and over. No 5xx, the file always parses, and the emulator's
 * request counts equal what was sent.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { login, runJob, type Session, emulatorStats } from '../helpers/emulator.js';
import { commonModule, inboundCall } from '../helpers/flow-yaml.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLIENTS = 8;
const REQUESTS = 200;

type Outcome = { status: number };

/** One of five kinds of request, reads and writes mixed; `i` picks which. */
async function mixedRequest(session: Session, clientId: string, i: number, flowIds: string[]): Promise<number> {
  const { architect } = session;
  const flowId = flowIds[i % flowIds.length] ?? '';
  const settle = (p: Promise<unknown>): Promise<number> =>
    p.then(
      (r) => (r as Outcome).status,
      (e: unknown) => {
        const status = (e as Outcome).status;
        if (typeof status !== 'number') throw e;
        return status;
      },
    );
  switch (i % 6) {
    case 0:
      return settle(
        architect.getFlows({ type: ['inboundcall', 'commonmodule'], pageSize: 50, pageNumber: 1 + (i % 3) }),
      );
    case 1:
      return settle(architect.getFlow(flowId));
    case 2:
      return settle(architect.postFlowsActionsCheckout(flowId)); // contended: 200 or 409
    case 3:
      return settle(architect.postFlows({ name: `Posted ${clientId} ${i}`, type: 'inboundcall' }));
    case 4:
      return settle(architect.postFlowsExportJobs({ flows: [{ flow: { id: flowIds[0] ?? '' } }] }));
    default: {
      const response = (await architect.postFlowsJobs()) as unknown as {
        status: number;
        body: { presignedUrl: string; headers: Record<string, string> };
      };
      const upload = await fetch(response.body.presignedUrl, {
        method: 'PUT',
        headers: response.body.headers,
        body: inboundCall(`Loaded ${clientId} ${i}`),
      });
      return upload.status === 200 ? response.status : upload.status;
    }
  }
}

test('8 clients x 200 concurrent mixed requests: no 5xx, valid state file, exact counts', async () => {
  const stateFile = join(tempDir({}, 'flowops-load-'), 'state.json');
  const clients = Array.from({ length: CLIENTS }, (_, n) => ({ id: `load-${n}`, secret: `secret-${n}` }));
  const emulator = await startEmulator({ port: 0, stateFile, clients: [{ id: 'setup', secret: 'setup' }, ...clients] });
  try {
    const setup = await login(emulator, 'setup', 'setup');
    const flowIds: string[] = [];
    for (let k = 0; k < 5; k++) flowIds.push((await runJob(setup.architect, inboundCall(`Base ${k}`))).flow?.id ?? '');
    await runJob(setup.architect, commonModule('Base Module'));
    await fetch(`${emulator.url}/__emulator/stats`, { method: 'DELETE' });

    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        JSON.parse(await readFile(stateFile, 'utf8')); // throws, failing the test, on a torn write
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();

    const sessions = await Promise.all(clients.map((c) => login(emulator, c.id, c.secret)));
    for (const s of sessions) s.client.setReturnExtendedResponses(true);
    const started = Date.now();
    const statuses = (
      await Promise.all(
        sessions.map((session, n) =>
          Promise.all(Array.from({ length: REQUESTS }, (_, i) => mixedRequest(session, `load-${n}`, i, flowIds))),
        ),
      )
    ).flat();
    const elapsed = Date.now() - started;
    reading = false;
    await reader;

    expect(statuses).toHaveLength(CLIENTS * REQUESTS);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0); // the contended checkouts
    expect(reads).toBeGreaterThan(5);

    const counted = await emulatorStats(emulator);
    expect(counted.requests).toBe(CLIENTS * (REQUESTS + 1)); // a login each, then the mixed requests
    expect(counted.byClient).toEqual(Object.fromEntries(clients.map((c) => [c.id, REQUESTS + 1])));
    expect(counted.logins).toBe(CLIENTS);
    expect(counted.throttled).toBe(0);
    expect(Object.keys(counted.byStatus).sort()).toEqual(['200', '409']);

    // Every job and every POST landed, in memory and in the file.
    const check = await login(emulator, 'setup', 'setup');
    const sentOfKind = (kind: number) =>
      CLIENTS * Array.from({ length: REQUESTS }, (_, i) => i % 6).filter((k) => k === kind).length;
    const deadline = Date.now() + 10_000;
    let loaded = 0;
    while (Date.now() < deadline) {
      loaded = (await check.architect.getFlows({ name: 'Loaded', pageSize: 1 })).total ?? 0;
      if (loaded >= sentOfKind(5)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const posted = (await check.architect.getFlows({ name: 'Posted', pageSize: 1 })).total;
    expect(loaded).toBe(sentOfKind(5));
    expect(posted).toBe(sentOfKind(3));
    await emulator.close();
    const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { flows: Record<string, unknown> };
    expect(Object.keys(saved.flows)).toHaveLength(6 + (loaded ?? 0) + (posted ?? 0));
    console.info(`load: ${CLIENTS * REQUESTS} requests in ${elapsed} ms, ${reads} state file reads`);
  } finally {
    await emulator.close();
  }
}, 30_000);
