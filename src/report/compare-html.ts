import type { FindingsDiff, MetricRow, RunComparison } from '../analyze/regression/index.js';
import type { Finding } from '../analyze/types.js';
import { formatDuration } from '../core/duration.js';
import { chartList, chartsHtml } from './chart-html.js';
import { compareSections, runColors, type ComparedRun } from './compare-charts.js';
import { escapeHtml } from './escape.js';
import { formatNumber, formatPercent, formatTimestamp } from '../core/format.js';
import { num, table } from './markup.js';
import { renderPage } from './page.js';

export interface CompareInput {
  before: ComparedRun['run'];
  after: ComparedRun['run'];
  comparison: RunComparison;
  findings: FindingsDiff;
  alpha: number;
  warmupMs: number;
}

function value(row: MetricRow, figure: number | null): string {
  if (figure === null) return '–';
  if (row.unit === 'share') return formatPercent(figure);
  return `${formatNumber(figure)} ${row.unit}`;
}

function change(row: MetricRow): string {
  if (row.difference === null) return '–';
  const sign = row.difference > 0 ? '+' : '';
  const absolute = row.unit === 'share' ? `${sign}${formatNumber(row.difference * 100)} pts` : `${sign}${formatNumber(row.difference)} ${row.unit}`;
  const relative = row.unit !== 'share' && row.unit !== 'MB/h' && row.before ? ` (${sign}${formatNumber((row.difference / Math.abs(row.before)) * 100)}%)` : '';
  return absolute + relative;
}

function verdict(row: MetricRow, alpha: number): string {
  if (row.untested) return `not tested: ${row.untested}`;
  if (row.regressed) return 'regression';
  if (row.significant) return `significant change (p < ${alpha})${row.regressed === false ? ', below the minimum effect' : ''}`;
  return 'no significant change';
}

function metricsTable(rows: MetricRow[], alpha: number): string {
  const body = rows.map((row) => [
    row.subject,
    row.metric,
    num(value(row, row.before)),
    num(value(row, row.after)),
    num(change(row)),
    num(row.p === undefined ? '–' : row.p < 1e-4 ? row.p.toExponential(1) : row.p.toFixed(4)),
    verdict(row, alpha),
  ]);
  return table(['subject', 'metric', num('before'), num('after'), num('difference'), num('p (two-sided)'), 'verdict'], body, 'metrics');
}

function findingList(title: string, findings: Finding[], empty: string): string {
  const items = findings.map((finding) => `<li><span class="badge ${escapeHtml(finding.severity)}">${escapeHtml(finding.severity)}</span> <span class="kind">${escapeHtml(finding.kind)}</span> ${escapeHtml(finding.title)}</li>`);
  return `<h3 class="sub">${escapeHtml(title)}</h3>${items.length ? `<ul class="finding-diff">${items.join('')}</ul>` : `<p class="note">${escapeHtml(empty)}</p>`}`;
}

function runFacts(label: 'before' | 'after', run: ComparedRun['run']): string {
  return `<div><dt><span class="legend-key" style="background:${runColors[label]}"></span>${label}</dt><dd>${escapeHtml(run.meta.name)} · ${escapeHtml(formatTimestamp(run.startT))} · ${escapeHtml(formatDuration(run.endT - run.startT))} · ${escapeHtml(run.dir)}</dd></div>`;
}

/** Both runs overlaid: what changed, how sure that is, which findings came and went. */
export function renderCompareHtml(input: CompareInput): string {
  const { before, after, comparison, findings, alpha } = input;
  const regressions = comparison.checks.filter((check) => check.regressed);
  const verdictClass = regressions.length > 0 ? 'fail' : 'pass';
  const headline = regressions.length > 0 ? `${regressions.length} regression${regressions.length === 1 ? '' : 's'}` : 'no regression';
  const sections = compareSections(
    [
      { label: 'before', run: before },
      { label: 'after', run: after },
    ],
    input.warmupMs,
  );
  const durationS = Math.max(before.endT - before.startT, after.endT - after.startT) / 1000;
  const header = `<header class="verdict verdict-${verdictClass}"><div class="wrap">
  <div class="verdict-word">${escapeHtml(headline.toUpperCase())}</div>
  <div><h1>${escapeHtml(`${before.meta.name} → ${after.meta.name}`)}</h1><p>${escapeHtml(`${findings.appeared.length} finding(s) appeared, ${findings.disappeared.length} disappeared`)}</p></div>
</div></header>`;
  const main = `<section id="runs"><h2>Runs</h2><dl class="facts">${runFacts('before', before)}${runFacts('after', after)}</dl></section>
<section id="findings"><h2>Findings</h2>
${findingList('Appeared (only after)', findings.appeared, 'No new finding.')}
${findingList('Disappeared (only before)', findings.disappeared, 'No finding went away.')}
${findingList('In both', findings.persisted, 'No finding in both runs.')}
</section>
<section id="metrics"><h2>Every metric</h2>
<p class="muted">Each metric is reduced to one value per ${escapeHtml(formatNumber(comparison.bucketMs / 1000))} s bucket after the ${escapeHtml(formatDuration(input.warmupMs))} warm-up, and the two runs' buckets are compared with a Mann-Whitney U test (the heap slope: the two Theil-Sen slopes with a z-test). Before and after are whole-run figures. Only p99 latency, throughput, error rate and heap slope can be a regression: significant at ${alpha} one-sided and at least the minimum effect.</p>
${metricsTable(comparison.rows, alpha)}
</section>
<section id="charts"><h2>Over time</h2>
<p class="muted">Both runs on one axis: seconds since each run's start. <span class="legend-key" style="background:${runColors.before}"></span>before <span class="legend-key" style="background:${runColors.after}"></span>after</p>
${chartsHtml(sections)}
</section>
<footer>Written by soak from the records in ${escapeHtml(before.dir)} and ${escapeHtml(after.dir)}.</footer>`;
  return renderPage({
    title: `soak compare: ${before.meta.name} → ${after.meta.name} — ${headline}`,
    header,
    main,
    data: { durationS, marks: { faults: [], phases: [] }, charts: chartList(sections) },
  });
}
