import type { IncomingMessage } from 'node:http';
import { isLoopback } from '../core/loopback.js';
import { tokenMatches } from '../core/token.js';

/** The token a request shows: a bearer token, else the `token` query parameter (a browser opening the printed URL). */
function shownToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return url.searchParams.get('token') ?? undefined;
}

/**
 * Who may read a dashboard. On loopback, requests that name the server by a loopback Host (so a web
 * page elsewhere cannot reach it through a DNS name that points at 127.0.0.1); with a token (always
 * on another address), requests that show it, compared in constant time.
 */
export function accessCheck(token: string | undefined): (request: IncomingMessage, url: URL) => 'ok' | 'no-token' | 'bad-host' {
  return (request, url) => {
    if (token !== undefined) {
      const shown = shownToken(request, url);
      return shown !== undefined && tokenMatches(shown, token) ? 'ok' : 'no-token';
    }
    const host = request.headers.host ?? '';
    const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
    return isLoopback(name) ? 'ok' : 'bad-host';
  };
}
