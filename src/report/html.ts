import { createHash } from 'node:crypto';
import type { Finding, RunData } from '../analyze/types.js';
import { formatDuration } from '../core/duration.js';
import { hasData, type ChartSection } from './chart-spec.js';
import { chartJsSource } from './chartjs.js';
import { clientScript } from './client-script.js';
import { escapeHtml, jsonForScript, scriptSource } from './escape.js';
import { findingsHtml } from './findings-html.js';
import { loadSection } from './load-charts.js';
import { runHtml } from './run-html.js';
import { serviceNames } from './run-events.js';
import { serviceSection } from './service-charts.js';
import { styles } from './styles.js';
import type { Summary } from './summary.js';

const seconds = (t: number, startT: number) => Math.round((t - startT) / 100) / 10;

/** What the page script reads: the charts to draw, keyed by their canvas, and the marks drawn on every chart. */
function chartData(run: RunData, summary: Summary, sections: ChartSection[]) {
  const charts = sections.flatMap((section) => section.charts.filter(hasData));
  return {
    durationS: seconds(run.endT, run.startT),
    marks: {
      faults: summary.faults.map((fault) => ({
        start: seconds(fault.start, run.startT),
        end: seconds(fault.end ?? run.endT, run.startT),
        label: `${fault.kind} → ${fault.target}`,
      })),
      phases: summary.phases.map((phase) => ({ x: seconds(phase.start, run.startT), label: phase.phase })),
    },
    charts: charts.map((chart, index) => ({ canvas: `chart-${index}`, title: chart.title, unit: chart.unit, series: chart.series })),
  };
}

function chartsHtml(sections: ChartSection[]): string {
  let index = 0;
  return sections
    .map((section) => {
      const items = section.charts.map((chart) =>
        hasData(chart)
          ? `<figure class="chart"><h4>${escapeHtml(chart.title)}</h4><div class="chart-box"><canvas id="chart-${index++}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`
          : `<p class="note">${escapeHtml(chart.title)}: ${escapeHtml(chart.emptyNote)}</p>`,
      );
      const drawn = items.filter((item) => item.startsWith('<figure')).join('\n');
      const notes = items.filter((item) => !item.startsWith('<figure')).join('\n');
      return `<section class="chart-section"><h3>${escapeHtml(section.title)}</h3>
${section.note ? `<p class="note">${escapeHtml(section.note)}</p>` : ''}
<div class="chart-grid">${drawn}</div>
${notes}</section>`;
    })
    .join('\n');
}

function verdictHtml(summary: Summary): string {
  const count = (severity: string) => summary.findings.filter((finding) => finding.severity === severity).length;
  const counts = [`${count('fail')} failing`, `${count('warn')} warning`, `${count('info')} info`].join(', ');
  const ran = `${formatDuration(summary.run.durationMs)} run, ended ${summary.run.endReason}`;
  return `<header class="verdict verdict-${summary.verdict}"><div class="wrap">
  <div class="verdict-word">${summary.verdict.toUpperCase()}</div>
  <div><h1>${escapeHtml(summary.run.name)}</h1><p>${escapeHtml(counts)} · ${escapeHtml(ran)}</p></div>
</div></header>`;
}

const sha256 = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/**
 * One self-contained page: findings first, then the run, then the charts. Nothing is fetched:
 * Chart.js and the data are inline, and the content security policy forbids any request and
 * runs only the two scripts written here, so text from the target can never become live markup.
 */
export function renderReportHtml(run: RunData, findings: Finding[], summary: Summary): string {
  // Probed services (the targets) before the ones only seen from the OS (dependencies).
  const services = serviceNames(run).sort((a, b) => Number(!run.node.has(a)) - Number(!run.node.has(b)));
  const sections = [loadSection(run), ...services.map((service) => serviceSection(run, service, findings))];
  const chartJs = scriptSource(chartJsSource());
  const client = scriptSource(clientScript);
  const policy = `default-src 'none'; script-src ${sha256(chartJs)} ${sha256(client)}; style-src 'unsafe-inline'; img-src data:`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>${escapeHtml(`soak: ${summary.run.name} — ${summary.verdict.toUpperCase()}`)}</title>
<style>${styles}</style>
</head>
<body>
${verdictHtml(summary)}
<main class="wrap">
<section id="findings"><h2>Findings</h2>
${findingsHtml(findings, run.startT)}
</section>
<section id="run"><h2>Run</h2>
${runHtml(run, summary)}
</section>
<section id="charts"><h2>Over time</h2>
<p class="muted">Time runs from the start of the run. <span class="legend-key fault"></span>fault active <span class="legend-key phase"></span>phase start. Charts show at most about 1,000 points per line (lowest and highest of each stretch are kept); the analysis used every sample.</p>
${chartsHtml(sections)}
</section>
<footer>Written by soak ${escapeHtml(run.meta.soakVersion)} from the records in ${escapeHtml(run.dir)}.</footer>
</main>
<script type="application/json" id="soak-data">${jsonForScript(chartData(run, summary, sections))}</script>
<script>${chartJs}</script>
<script>${client}</script>
</body>
</html>
`;
}
