/**
 * The PUT of a job's file to its presigned upload URL, with node's own http(s) client rather than
 * fetch: an apply uploads fifty files in the same instant, and fetch (undici) both loads itself on
 * first use (some 50 ms of this thread, in the middle of the burst) and costs about twice the CPU a
 * request of http.request does; the uploads start their jobs, so that time is every job's delay.
 * Keep-alive sockets come from the global agents (Node 20 keeps them alive by default).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';

export interface PutAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The answer's body as text (decompressed when the server compressed it). */
  text: string;
}

/** A network failure shaped as errors.ts reads them (`code`). */
function networkError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function decoded(body: Buffer, encoding: string | undefined): string {
  try {
    if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
    if (encoding === 'deflate') return inflateSync(body).toString('utf8');
  } catch {
    return '';
  }
  return body.toString('utf8');
}

/**
 * PUTs `body` (UTF-8) to `url` with exactly `headers` (and its length). Resolves with any HTTP answer;
 * rejects with a `code` (ECONNRESET, ETIMEDOUT after `timeoutMs` an attempt, ...) when there is none.
 */
export async function presignedPut(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
): Promise<PutAnswer> {
  // S3 may send a PUT elsewhere with a 307 or 308 (a bucket's region); fetch followed those, with
  // the same body, and so do we, a few times.
  let target = url;
  for (let hops = 0; ; hops++) {
    const answer = await putOnce(target, headers, body, timeoutMs);
    const location = answer.headers.location;
    if ((answer.status !== 307 && answer.status !== 308) || !location || hops >= MAX_REDIRECTS) return answer;
    target = new URL(location, target).toString();
  }
}

/** Redirects followed (307, 308) before the answer is taken as it is. */
const MAX_REDIRECTS = 3;

function putOnce(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
): Promise<PutAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const bytes = Buffer.from(body, 'utf8');
  return new Promise<PutAnswer>((resolve, reject) => {
    const req = send(
      target,
      { method: 'PUT', headers: { ...headers, 'Content-Length': String(bytes.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const encoding = res.headers['content-encoding'];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: decoded(Buffer.concat(chunks), typeof encoding === 'string' ? encoding.toLowerCase() : undefined),
          });
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(networkError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT')),
      Math.max(1, timeoutMs),
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(bytes);
  });
}
