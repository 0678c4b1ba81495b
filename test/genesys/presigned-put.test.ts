/** The PUT of a job's file to its presigned URL (node's http client), against a plain local server. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/genesys/errors.js';
import { presignedPut } from '../../src/genesys/presigned-put.js';

let server: Server | undefined;

async function serve(handle: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void) {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/up/job-1?signature=s`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('presignedPut', () => {
  it('sends the body as UTF-8 with exactly the signed headers and its length, to the URL with its query', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await serve((req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(200, { ETag: '"job-1"' }).end();
    });
    const text = 'inboundCall:\n  name: Café ☎\n';
    const answer = await presignedPut(
      url,
      { 'Content-Type': 'application/octet-stream', 'x-amz-meta-job': 'j' },
      text,
      5_000,
    );
    expect(answer.status).toBe(200);
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe('/up/job-1?signature=s');
    expect(seen.body).toBe(text);
    expect(seen.headers?.['content-type']).toBe('application/octet-stream');
    expect(seen.headers?.['x-amz-meta-job']).toBe('j');
    expect(seen.headers?.['content-length']).toBe(String(Buffer.byteLength(text)));
    expect(seen.headers?.authorization).toBeUndefined();
  });

  it('follows a 307 or 308 with the same body and headers, as fetch did (S3 may send a PUT to another endpoint)', async () => {
    const seen: string[] = [];
    const url = await serve((req, body, res) => {
      seen.push(`${req.url} ${body} ${req.headers['content-type']}`);
      if (req.url === '/up/job-1?signature=s') res.writeHead(307, { Location: '/moved?signature=s' }).end();
      else if (req.url === '/moved?signature=s') res.writeHead(308, { Location: '/final' }).end();
      else res.writeHead(200).end();
    });
    const answer = await presignedPut(url, { 'Content-Type': 'application/octet-stream' }, 'flow', 5_000);
    expect(answer.status).toBe(200);
    expect(seen).toEqual([
      '/up/job-1?signature=s flow application/octet-stream',
      '/moved?signature=s flow application/octet-stream',
      '/final flow application/octet-stream',
    ]);
  });

  it("gives back an error answer's status, headers and text, decompressed when the server compressed it", async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(403, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/xml' });
      res.end(gzipSync('<Error><Code>SignatureDoesNotMatch</Code></Error>'));
    });
    const answer = await presignedPut(url, {}, 'x', 5_000);
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('application/xml');
    expect(answer.text).toBe('<Error><Code>SignatureDoesNotMatch</Code></Error>');
  });

  it('no answer in time is ETIMEDOUT, and a refused connection ECONNREFUSED, as the retry policy reads them', async () => {
    const url = await serve(() => {}); // never answers
    const slow = await presignedPut(url, {}, 'x', 200).catch((e: unknown) => e);
    expect(describeFailure(slow).code).toBe('ETIMEDOUT');
    const port = (server!.address() as AddressInfo).port;
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const refused = await presignedPut(`http://127.0.0.1:${port}/up`, {}, 'x', 2_000).catch((e: unknown) => e);
    expect(describeFailure(refused).code).toBe('ECONNREFUSED');
  });
});
