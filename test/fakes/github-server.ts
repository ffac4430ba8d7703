// A fake of the GitHub REST API's issue-comment endpoints on 127.0.0.1, for the sticky PR comment.
// It answers as api.github.com does (JSON bodies, `Link` pagination, 401 without the token, 404 for
// an unknown route) and records every request so tests can count what the Action sent.
import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer, type RecordedRequest } from './http-server.js';

/** A comment as the fake stores it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  issue_url: string;
}

/** The running fake: its base URL (for GITHUB_API_URL), the requests it got and its comments per issue. */
export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  comments: Map<number, FakeComment[]>;
  /** Seeds a comment by someone else (to prove the Action finds its own among many). */
  addComment(issue: number, body: string, login?: string): FakeComment;
  close(): Promise<void>;
}

/** Options of the fake. */
export interface FakeGitHubOptions {
  /** The token the Action must send (`Authorization: token …`). */
  token: string;
  owner: string;
  repo: string;
  /** Largest page the fake returns whatever `per_page` asks, to force pagination in tests. */
  maxPerPage?: number;
  /** Answer every write (POST, PATCH) with this status, as GitHub does for a read-only fork token (403). */
  denyWrites?: number;
}

/** Starts the fake GitHub API on a free port. */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const comments = new Map<number, FakeComment[]>();
  let nextId = 1000;
  const prefix = `/repos/${options.owner}/${options.repo}/issues`;
  const server = await startHttpServer((request, response) => {
    const url = new URL(request.path, 'http://127.0.0.1');
    if (request.headers.authorization !== `token ${options.token}`) {
      return sendJson(response, 401, { message: 'Bad credentials', status: '401' });
    }
    const list = url.pathname.match(new RegExp(`^${prefix}/(\\d+)/comments$`));
    const edit = url.pathname.match(new RegExp(`^${prefix}/comments/(\\d+)$`));
    if ((request.method === 'POST' || request.method === 'PATCH') && options.denyWrites) {
      return sendJson(response, options.denyWrites, {
        message: 'Resource not accessible by integration',
        status: String(options.denyWrites),
      });
    }
    if (list && request.method === 'GET') return listComments(response, url, Number(list[1]));
    if (list && request.method === 'POST') {
      const comment = fake.addComment(
        Number(list[1]),
        JSON.parse(request.body.toString()).body,
        'github-actions[bot]',
      );
      return sendJson(response, 201, comment);
    }
    if (edit && request.method === 'PATCH') {
      const comment = [...comments.values()].flat().find((item) => item.id === Number(edit[1]));
      if (!comment) return sendJson(response, 404, { message: 'Not Found', status: '404' });
      comment.body = JSON.parse(request.body.toString()).body;
      return sendJson(response, 200, comment);
    }
    return sendJson(response, 404, { message: 'Not Found', status: '404' });
  });

  function listComments(response: ServerResponse, url: URL, issue: number): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.maxPerPage ?? 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = comments.get(issue) ?? [];
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(url.toString().replace('http://127.0.0.1', server.url));
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    sendJson(response, 200, all.slice((page - 1) * perPage, page * perPage), headers);
  }

  const fake: FakeGitHub = {
    url: server.url,
    requests: server.requests,
    comments,
    addComment(issue, body, login = 'octocat') {
      const id = nextId++;
      const comment: FakeComment = {
        id,
        body,
        user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
        html_url: `https://github.example/${options.owner}/${options.repo}/pull/${issue}#issuecomment-${id}`,
        issue_url: `${server.url}${prefix}/${issue}`,
      };
      comments.set(issue, [...(comments.get(issue) ?? []), comment]);
      return comment;
    },
    close: () => server.close(),
  };
  return fake;
}
