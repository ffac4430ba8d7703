// A fake of the GitHub API on 127.0.0.1 for the sticky PR comment: the issue-comment endpoints, who a
// token acts for (`GET /user` and the GraphQL `viewer`), and comments recorded with their authors.
// It answers as api.github.com does (JSON bodies, `Link` pagination, 401 without a known token, 403
// for `GET /user` with an installation token and for editing someone else's comment, 404 for an
// unknown route) and records every request so tests can count what the Action sent.
import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer, type RecordedRequest } from './http-server.js';

/**
 * Whom a token acts for: an app installation (the job's GITHUB_TOKEN is one of the `github-actions`
 * app; `actions/create-github-app-token` makes others) or a user (a personal access token).
 */
export type TokenOwner = { app: string } | { user: string };

/** A comment as the fake stores it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  /** The app whose installation token wrote the comment; null for a user. */
  performed_via_github_app: { slug: string; name: string } | null;
  html_url: string;
  issue_url: string;
}

/** The running fake: its base URL (for GITHUB_API_URL), the requests it got and its comments per issue. */
export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  comments: Map<number, FakeComment[]>;
  /** Seeds a comment by someone (`octocat` unless named) to prove the Action finds its own among many. */
  addComment(issue: number, body: string, login?: string): FakeComment;
  close(): Promise<void>;
}

/** Options of the fake. */
export interface FakeGitHubOptions {
  /** The job's GITHUB_TOKEN (`Authorization: token …`): an installation token of the github-actions app. */
  token: string;
  /** More tokens the fake accepts, and whom each acts for. */
  tokens?: Record<string, TokenOwner>;
  owner: string;
  repo: string;
  /** Largest page the fake returns whatever `per_page` asks, to force pagination in tests. */
  maxPerPage?: number;
  /** Answer every write (POST, PATCH) with this status, as GitHub does for a read-only fork token (403). */
  denyWrites?: number;
  /** Answer every GraphQL query with this status (GitHub's GraphQL API down). */
  graphqlStatus?: number;
}

/** The login GitHub shows for a token's owner: an app writes as `<slug>[bot]`. */
export function loginOf(owner: TokenOwner): string {
  return 'app' in owner ? `${owner.app}[bot]` : owner.user;
}

const NOT_ACCESSIBLE = { message: 'Resource not accessible by integration', status: '403' };

/** Starts the fake GitHub API on a free port. */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owners = new Map<string, TokenOwner>([
    [options.token, { app: 'github-actions' }],
    ...Object.entries(options.tokens ?? {}),
  ]);
  const comments = new Map<number, FakeComment[]>();
  let nextId = 1000;
  const prefix = `/repos/${options.owner}/${options.repo}/issues`;
  const server = await startHttpServer((request, response) => {
    const url = new URL(request.path, 'http://127.0.0.1');
    const owner = owners.get(request.headers.authorization?.replace(/^token /, '') ?? '');
    if (!owner) return sendJson(response, 401, { message: 'Bad credentials', status: '401' });
    if (url.pathname === '/user' && request.method === 'GET') return authenticatedUser(response, owner);
    if (url.pathname === '/graphql' && request.method === 'POST') return graphql(response, request, owner);
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
      const comment = addComment(Number(list[1]), JSON.parse(request.body.toString()).body, owner);
      return sendJson(response, 201, comment);
    }
    if (edit && request.method === 'PATCH') {
      const comment = [...comments.values()].flat().find((item) => item.id === Number(edit[1]));
      if (!comment) return sendJson(response, 404, { message: 'Not Found', status: '404' });
      // Only the author may edit a comment (a token without admin rights on the repository).
      if (comment.user.login !== loginOf(owner)) return sendJson(response, 403, NOT_ACCESSIBLE);
      comment.body = JSON.parse(request.body.toString()).body;
      return sendJson(response, 200, comment);
    }
    return sendJson(response, 404, { message: 'Not Found', status: '404' });
  });

  /** `GET /user`: the user of a personal token; an installation token is refused, as on GitHub. */
  function authenticatedUser(response: ServerResponse, owner: TokenOwner): void {
    if ('app' in owner) {
      return sendJson(response, 403, {
        ...NOT_ACCESSIBLE,
        documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
      });
    }
    sendJson(response, 200, { login: owner.user, id: 583231, type: 'User', site_admin: false });
  }

  /** `POST /graphql`: only `viewer { login }`, which GitHub answers for user and installation tokens. */
  function graphql(response: ServerResponse, request: RecordedRequest, owner: TokenOwner): void {
    if (options.graphqlStatus) {
      return sendJson(response, options.graphqlStatus, { message: 'Server Error' });
    }
    const { query } = JSON.parse(request.body.toString()) as { query: string };
    if (!/\bviewer\s*\{\s*login\s*\}/.test(query)) {
      return sendJson(response, 200, { errors: [{ message: `the fake does not answer ${query}` }] });
    }
    sendJson(response, 200, { data: { viewer: { login: loginOf(owner) } } });
  }

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

  function addComment(issue: number, body: string, owner: TokenOwner): FakeComment {
    const id = nextId++;
    const comment: FakeComment = {
      id,
      body,
      user: { login: loginOf(owner), type: 'app' in owner ? 'Bot' : 'User' },
      performed_via_github_app: 'app' in owner ? { slug: owner.app, name: owner.app } : null,
      html_url: `https://github.example/${options.owner}/${options.repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${server.url}${prefix}/${issue}`,
    };
    comments.set(issue, [...(comments.get(issue) ?? []), comment]);
    return comment;
  }

  const fake: FakeGitHub = {
    url: server.url,
    requests: server.requests,
    comments,
    addComment: (issue, body, login = 'octocat') =>
      addComment(issue, body, login.endsWith('[bot]') ? { app: login.slice(0, -5) } : { user: login }),
    close: () => server.close(),
  };
  return fake;
}

/** Whether a recorded request created or edited a comment (not a lookup of who the token is). */
export function isCommentWrite(request: RecordedRequest): boolean {
  return (request.method === 'POST' || request.method === 'PATCH') && request.path.includes('/comments');
}
