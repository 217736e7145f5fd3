import { createHash } from 'node:crypto';
import { chartJsSource } from './chartjs.js';
import { clientScript } from './client-script.js';
import { escapeHtml, jsonForScript, scriptSource } from './escape.js';
import { styles } from './styles.js';

export interface PageParts {
  title: string;
  /** Markup above the main column (the verdict banner). */
  header: string;
  main: string;
  /** What the page script reads: the charts to draw (see client-script.ts). */
  data: unknown;
}

const sha256 = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/**
 * One self-contained page with its charts. Nothing is fetched: Chart.js and the data are inline, and
 * the content security policy forbids any request and runs only the two scripts written here, so text
 * from the target can never become live markup.
 */
export function renderPage(parts: PageParts): string {
  const chartJs = scriptSource(chartJsSource());
  const client = scriptSource(clientScript);
  const policy = `default-src 'none'; script-src ${sha256(chartJs)} ${sha256(client)}; style-src 'unsafe-inline'; img-src data:`;
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
${parts.header}
<main class="wrap">
${parts.main}
</main>
<script type="application/json" id="soak-data">${jsonForScript(parts.data)}</script>
<script>${chartJs}</script>
<script>${client}</script>
</body>
</html>
`;
}
