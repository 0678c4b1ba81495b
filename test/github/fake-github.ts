import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A strict stand-in for the part of GitHub's REST API that flowops uses: the comments of an issue
 * (a pull request's conversation). Requests outside it are refused and recorded in `unexpected`,
 * so a test can assert there were none. Bodies longer than GitHub accepts are refused with its 422.
 */
export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  html_url: string;
  user: { login: string; type: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

export interface FakeGitHub {
  url: string;
  token: string;
  comments: Map<number, FakeComment>;
  requests: RecordedRequest[];
  unexpected: string[];
  /** The next `count` requests matching `method` answer 403 "secondary rate limit" with retry-after. */
  secondaryRateLimit(method: string, count?: number, retryAfter?: number): void;
  /** Adds a comment as someone else would have. */
  addComment(issue: number, body: string, login?: string): FakeComment;
  issueComments(issue: number): FakeComment[];
  close(): Promise<void>;
}

export const GITHUB_BODY_LIMIT = 65_536;
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.';

export async function startFakeGitHub(
  options: { owner?: string; repo?: string; token?: string } = {},
): Promise<FakeGitHub> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'flows';
  const token = options.token ?? 'ghs_fakeToken1234567890';
  const comments = new Map<number, FakeComment>();
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  const limits: Array<{ method: string; left: number; retryAfter: number }> = [];
  let nextId = 1000;
  let url = '';

  const add = (issue: number, body: string, login = 'github-actions[bot]'): FakeComment => {
    const id = nextId++;
    const comment = {
      id,
      issue,
      body,
      html_url: `https://github.test/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
    };
    comments.set(id, comment);
    return comment;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
      return status;
    };
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`)
      return send(401, { message: 'Bad credentials' });
    const limit = limits.find((l) => l.method === method && l.left > 0);
    if (limit) {
      limit.left--;
      return send(
        403,
        {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': String(limit.retryAfter) },
      );
    }
    const text = await readBody(req);
    const prefix = `/repos/${owner}/${repo}/issues`;
    let m = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(u.pathname);
    if (m && method === 'GET') {
      const issue = Number(m[1]);
      const perPage = Math.min(100, Number(u.searchParams.get('per_page') ?? 30));
      const page = Number(u.searchParams.get('page') ?? 1);
      const all = [...comments.values()].filter((c) => c.issue === issue).sort((a, b) => a.id - b.id);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length)
        headers.link = `<${url}${u.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      return send(200, slice, headers);
    }
    if (m && method === 'POST') {
      const body = bodyOf(text);
      if (body === undefined) return send(422, { message: 'Invalid request.' });
      if (body.length > GITHUB_BODY_LIMIT) return tooLong(send);
      return send(201, add(Number(m[1]), body));
    }
    m = new RegExp(`^${prefix}/comments/(\\d+)$`).exec(u.pathname);
    if (m && (method === 'PATCH' || method === 'DELETE')) {
      const comment = comments.get(Number(m[1]));
      if (!comment) return send(404, { message: 'Not Found' });
      if (method === 'DELETE') {
        comments.delete(comment.id);
        return send(204);
      }
      const body = bodyOf(text);
      if (body === undefined) return send(422, { message: 'Invalid request.' });
      if (body.length > GITHUB_BODY_LIMIT) return tooLong(send);
      comment.body = body;
      return send(200, comment);
    }
    unexpected.push(`${method} ${u.pathname}`);
    return send(404, { message: 'Not Found (not part of the fake)' });
  };

  const server = createServer((req, res) => {
    handle(req, res)
      .then((status) =>
        requests.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://localhost').pathname, status }),
      )
      .catch((err: unknown) => {
        unexpected.push(`error: ${String(err)}`);
        res.statusCode = 500;
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    comments,
    requests,
    unexpected,
    secondaryRateLimit: (method, count = 1, retryAfter = 1) => void limits.push({ method, left: count, retryAfter }),
    addComment: add,
    issueComments: (issue) => [...comments.values()].filter((c) => c.issue === issue).sort((a, b) => a.id - b.id),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function tooLong(send: (status: number, body?: unknown) => number): number {
  return send(422, {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`,
      },
    ],
  });
}

function bodyOf(text: string): string | undefined {
  try {
    const body = (JSON.parse(text) as { body?: unknown }).body;
    return typeof body === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
