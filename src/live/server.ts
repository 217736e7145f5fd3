import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SoakError } from '../core/errors.js';
import { isLoopback } from '../core/loopback.js';
import { renderPartsHtml } from '../report/index.js';
import { accessCheck } from './access.js';
import { CONTENT_TYPES, formatFor } from './exposition.js';
import { LiveRunView, type LiveSnapshot } from './run-view.js';

export interface DashboardOptions {
  /** Default 127.0.0.1. Any other address than loopback needs a token. */
  host?: string;
  /** 0: a free port. */
  port: number;
  /** Asked of every request when set; required off loopback. */
  token?: string;
  /** How often the page asks for news and the detectors run again at most, ms (default 3000). */
  refreshMs?: number;
}

export interface Dashboard {
  /** The page's address (with the token when one is needed: the one line to open). */
  url: string;
  metricsUrl: string;
  close(): Promise<void>;
}

const UPDATE_PATH = 'update.json';
const DEFAULT_REFRESH_MS = 3000;

const WAITING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta http-equiv="refresh" content="2"><title>soak: waiting for the run</title>
<style>body { font: 15px system-ui, sans-serif; margin: 40px; color: #334155; }</style></head>
<body><p>Waiting for the run to start: this page reloads until its first records are written.</p></body></html>
`;

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers });
  response.end(body);
}

const TEXT = 'text/plain; charset=utf-8';

/** The parts a live page replaces, and where the run is. */
function update(snapshot: LiveSnapshot): string {
  const { parts } = snapshot;
  return JSON.stringify({ version: snapshot.version, state: snapshot.state, title: parts.title, header: parts.header, findings: parts.findings, run: parts.run, charts: parts.charts, data: parts.data });
}

/**
 * Serves a run directory while it runs (or after): `/` the report page, kept current by its script
 * from `/update.json`; `/metrics` the live figures for Prometheus. Reads nothing but the records.
 */
export async function serveRunDir(dir: string, options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token) throw new SoakError('usage', `--dashboard-host ${host}: a dashboard off loopback needs a token`);
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const view = new LiveRunView(dir, { refreshMs });
  const allowed = accessCheck(options.token);
  const pages = new Map<number, string>();

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://soak');
    const access = allowed(request, url);
    if (access === 'no-token') return send(response, 401, TEXT, 'soak dashboard: give the token (Authorization: Bearer <token>, or ?token=)\n', { 'www-authenticate': 'Bearer' });
    if (access === 'bad-host') return send(response, 403, TEXT, 'soak dashboard: answers only requests to a loopback host name\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, TEXT, 'soak dashboard: GET only\n', { allow: 'GET, HEAD' });
    if (url.pathname === '/metrics') {
      const format = formatFor(request.headers.accept);
      const body = await view.metrics(format);
      return body === undefined ? send(response, 503, TEXT, 'soak dashboard: the run has not started yet\n') : send(response, 200, CONTENT_TYPES[format], body);
    }
    if (url.pathname === `/${UPDATE_PATH}`) {
      const snapshot = await view.snapshot();
      if (!snapshot) return send(response, 503, TEXT, 'soak dashboard: the run has not started yet\n');
      if (url.searchParams.get('since') === String(snapshot.version)) {
        response.writeHead(204, { 'cache-control': 'no-store' });
        return void response.end();
      }
      return send(response, 200, 'application/json; charset=utf-8', update(snapshot));
    }
    if (url.pathname === '/') {
      const snapshot = await view.snapshot();
      if (!snapshot) return send(response, 200, 'text/html; charset=utf-8', WAITING_PAGE);
      let page = pages.get(snapshot.version);
      if (!page) {
        pages.clear();
        page = renderPartsHtml(snapshot.parts, { updateUrl: UPDATE_PATH, everyMs: refreshMs, version: snapshot.version, state: snapshot.state });
        pages.set(snapshot.version, page);
      }
      return send(response, 200, 'text/html; charset=utf-8', page);
    }
    return send(response, 404, TEXT, 'soak dashboard: / (the report), /metrics (Prometheus)\n');
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, TEXT, `soak dashboard: ${(error as Error).message}\n`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port)));
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
  return {
    url: `${base}/${query}`,
    metricsUrl: `${base}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new SoakError('usage', `--dashboard: port ${port} on ${host} is in use; give another port, or 0 for a free one`);
  if (error.code === 'EADDRNOTAVAIL') return new SoakError('usage', `--dashboard-host ${host}: not an address of this machine`);
  if (error.code === 'EACCES') return new SoakError('usage', `--dashboard: not allowed to listen on port ${port} of ${host}`);
  if (error.code === 'ENOTFOUND') return new SoakError('usage', `--dashboard-host ${host}: no such host`);
  return error;
}
