import { createHash } from 'node:crypto';
import { chartJsSource } from './chartjs.js';
import { clientScript } from './client-script.js';
import { escapeHtml, jsonForScript, scriptSource } from './escape.js';
import { liveScript } from './live-script.js';
import { styles } from './styles.js';

export interface PageParts {
  title: string;
  /** Markup above the main column (the verdict banner). */
  header: string;
  main: string;
  /** What the page script reads: the charts to draw (see client-script.ts). */
  data: unknown;
  /** A page that follows a run in progress (soak's dashboard): it fetches its next parts from the server that served it. */
  live?: LiveReport;
}

export interface LiveReport {
  /** Where the next state of the page is fetched (same origin), as JSON of the report's parts. */
  updateUrl: string;
  everyMs: number;
  /** The state of the records the page was made from; the server answers 204 until it has a newer one. */
  version: number;
  /** running, ended, or stopped (not going on, never ended: its soak was killed). */
  state: string;
}

const sha256 = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/**
 * One self-contained page with its charts. Nothing is fetched: Chart.js and the data are inline, and
 * the content security policy forbids any request and runs only the two scripts written here, so text
 * from the target can never become live markup. A live page also runs the script that fetches its
 * next parts, and may ask its own origin for them, nothing else.
 */
export function renderPage(parts: PageParts): string {
  const chartJs = scriptSource(chartJsSource());
  const client = scriptSource(clientScript);
  const live = parts.live ? scriptSource(liveScript) : undefined;
  const scripts = [chartJs, client, ...(live ? [live] : [])];
  const policy = `default-src 'none'; script-src ${scripts.map(sha256).join(' ')}; style-src 'unsafe-inline'; img-src data:${live ? "; connect-src 'self'" : ''}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>${escapeHtml(parts.title)}</title>
<style>${styles}</style>
</head>
<body>
${parts.header}${parts.live ? '\n<div class="live-status wrap" id="soak-live-status" role="status"></div>' : ''}
<main class="wrap">
${parts.main}
</main>
<script type="application/json" id="soak-data">${jsonForScript(parts.data)}</script>${parts.live ? `\n<script type="application/json" id="soak-live">${jsonForScript(parts.live)}</script>` : ''}
${scripts.map((script) => `<script>${script}</script>`).join('\n')}
</body>
</html>
`;
}
