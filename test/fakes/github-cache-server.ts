// A fake of the Actions cache service (the REST protocol @actions/cache speaks when ACTIONS_CACHE_URL
// is set: look up by keys and version, reserve, upload chunks, commit, download the archive) on
// 127.0.0.1. It stores archives in memory, so two Action processes can share a cache as two workflow
// runs do. Lookup follows the service: each key in order, an exact key first, then the newest entry
// whose key starts with it.
import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer, type RecordedRequest } from './http-server.js';

/** A committed cache entry. */
export interface FakeCacheEntry {
  id: number;
  key: string;
  version: string;
  archive: Buffer;
  createdAt: number;
}

/** The running fake: set ACTIONS_CACHE_URL to `url` (it ends in a slash, as the runner's does). */
export interface FakeCacheService {
  url: string;
  entries: FakeCacheEntry[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the fake cache service on a free port; `token` is the ACTIONS_RUNTIME_TOKEN it expects. */
export async function startFakeCacheService(token: string): Promise<FakeCacheService> {
  const entries: FakeCacheEntry[] = [];
  const pending = new Map<
    number,
    { key: string; version: string; chunks: Array<{ start: number; data: Buffer }> }
  >();
  let nextId = 1;
  const server = await startHttpServer((request, response) => {
    const url = new URL(request.path, 'http://127.0.0.1');
    const archive = url.pathname.match(/^\/archives\/(\d+)$/);
    if (archive && request.method === 'GET') return sendArchive(response, Number(archive[1]));
    if (request.headers.authorization !== `Bearer ${token}`)
      return sendJson(response, 401, { message: 'unauthorized' });
    const path = url.pathname.replace(/^\/_apis\/artifactcache\//, '');
    const entry = path.match(/^caches\/(\d+)$/);
    if (path === 'cache' && request.method === 'GET') {
      const keys = (url.searchParams.get('keys') ?? '').split(',');
      const found = lookup(keys, url.searchParams.get('version') ?? '');
      if (!found) return void response.writeHead(204).end();
      return sendJson(response, 200, {
        cacheKey: found.key,
        scope: 'refs/heads/main',
        archiveLocation: `${server.url}/archives/${found.id}`,
      });
    }
    if (path === 'caches' && request.method === 'POST') {
      const { key, version } = JSON.parse(request.body.toString()) as { key: string; version: string };
      const taken =
        entries.some((item) => item.key === key && item.version === version) ||
        [...pending.values()].some((item) => item.key === key && item.version === version);
      if (taken)
        return sendJson(response, 409, {
          message: `Cache already exists. Scope: refs/heads/main, Key: ${key}`,
        });
      const id = nextId++;
      pending.set(id, { key, version, chunks: [] });
      return sendJson(response, 201, { cacheId: id });
    }
    if (entry && request.method === 'PATCH') {
      const upload = pending.get(Number(entry[1]));
      const range = String(request.headers['content-range'] ?? '').match(/^bytes (\d+)-(\d+)\/\*$/);
      if (!upload || !range) return sendJson(response, 400, { message: 'bad upload' });
      upload.chunks.push({ start: Number(range[1]), data: request.body });
      return void response.writeHead(204).end();
    }
    if (entry && request.method === 'POST') {
      const id = Number(entry[1]);
      const upload = pending.get(id);
      if (!upload) return sendJson(response, 404, { message: 'no such reservation' });
      const archive = Buffer.concat(
        upload.chunks.sort((a, b) => a.start - b.start).map((chunk) => chunk.data),
      );
      const { size } = JSON.parse(request.body.toString()) as { size: number };
      if (archive.length !== size)
        return sendJson(response, 400, { message: `size ${size} != ${archive.length}` });
      pending.delete(id);
      entries.push({ id, key: upload.key, version: upload.version, archive, createdAt: entries.length });
      return void response.writeHead(204).end();
    }
    return sendJson(response, 404, { message: 'not found' });
  });

  function lookup(keys: string[], version: string): FakeCacheEntry | undefined {
    const candidates = entries.filter((item) => item.version === version);
    for (const key of keys) {
      const exact = candidates.find((item) => item.key === key);
      if (exact) return exact;
      const prefixed = candidates
        .filter((item) => item.key.startsWith(key))
        .sort((a, b) => b.createdAt - a.createdAt);
      if (prefixed[0]) return prefixed[0];
    }
    return undefined;
  }

  function sendArchive(response: ServerResponse, id: number): void {
    const found = entries.find((item) => item.id === id);
    if (!found) return void response.writeHead(404).end();
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': found.archive.length,
    });
    response.end(found.archive);
  }

  return { url: `${server.url}/`, entries, requests: server.requests, close: () => server.close() };
}
