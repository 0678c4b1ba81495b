/**
 * A pass-through HTTP proxy in front of the emulator that tallies requests by endpoint
 * (`GET /api/v2/flows/{id}`), so the bench can say which code path spends the requests. Both tools
 * go through it, so both pay the same extra hop. The Host header is passed on unchanged, so the
 * emulator's presigned URLs point back at the proxy and uploads and downloads are seen too (they are
 * listed, but, like the emulator's own stats, not counted as API requests).
 *
 * `latencyMs`: the time a request to the cloud takes beyond the emulator's own (the network's round
 * trip and the API's work). Every request through the proxy pays it, half before it is passed on and
 * half before its answer is: API calls, logins and presigned uploads and downloads alike (the
 * emulator's own `latencyMs` fault delays only `/api/v2` requests, and before the work, which would
 * make a job start a whole round trip after its upload instead of half of one).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  url: string;
  /** Requests by endpoint since the last `take()`, and resets the tally. */
  take(): Map<string, number>;
  close(): Promise<void>;
}

/** `/api/v2/flows/4f6c...` -> `/api/v2/flows/{id}`: ids are anything with a digit, or uuid-like. */
export function endpointOf(method: string, url: string): string {
  const path = url.split('?')[0] ?? url;
  const shape = path
    .split('/')
    .map((segment) => (/\d/.test(segment) && !/^v\d+$/.test(segment) ? '{id}' : segment))
    .join('/');
  return `${method} ${shape}`;
}

export async function startCountingProxy(target: string, options: { latencyMs?: number } = {}): Promise<CountingProxy> {
  const upstream = new URL(target);
  const latency = Math.max(0, options.latencyMs ?? 0);
  const there = Math.floor(latency / 2);
  const back = latency - there;
  const later = (ms: number, then: () => void) => (ms > 0 ? void setTimeout(then, ms) : then());
  let tally = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = endpointOf(req.method ?? 'GET', req.url ?? '/');
    if (!key.includes('/__emulator/stats')) tally.set(key, (tally.get(key) ?? 0) + 1);
    // The body waits in the paused request stream meanwhile.
    later(there, () => {
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) =>
          later(back, () => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          }),
      );
      // A connection the emulator drops (its `reset` fault) is dropped here too.
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take() {
      const out = tally;
      tally = new Map();
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
