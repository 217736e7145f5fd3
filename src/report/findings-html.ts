import type { RunFacts } from '../analyze/facts/builder.js';
import type { Finding, Severity } from '../analyze/types.js';
import { formatBytes, formatNumber, sinceStart } from '../core/format.js';
import { cardChart } from './cards/index.js';
import { chartEntry } from './chart-html.js';
import { escapeHtml } from './escape.js';
import { evidenceEntries, evidenceFigures, isBytesKey, looksLikeEpochMs } from './evidence-figures.js';
import { leakingTypesHtml } from './leaking-types-html.js';

const severityOrder: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

/** A raw figure as summary.json holds it, with a hint for the ones hard to read (a time, a size). */
function describe(key: string, value: unknown, startT: number): { value: string; hint: string } {
  if (typeof value === 'number') {
    const hint = looksLikeEpochMs(value)
      ? sinceStart(value, startT)
      : isBytesKey(key) && Math.abs(value) >= 1024
        ? formatBytes(value)
        : '';
    return { value: looksLikeEpochMs(value) ? String(value) : formatNumber(value, 6), hint };
  }
  if (typeof value === 'boolean') return { value: value ? 'yes' : 'no', hint: '' };
  if (value === null || value === undefined) return { value: '–', hint: '' };
  if (typeof value === 'string') return { value, hint: '' };
  if (Array.isArray(value)) {
    if (value.length <= 8 && value.every((item) => typeof item !== 'object' || item === null)) {
      return { value: value.map((item) => (typeof item === 'number' ? formatNumber(item, 6) : String(item))).join(', '), hint: '' };
    }
    const text = JSON.stringify(value);
    return { value: text.length > 160 ? `${text.slice(0, 160)}…` : text, hint: `${value.length} values` };
  }
  const text = JSON.stringify(value);
  return { value: text.length > 160 ? `${text.slice(0, 160)}…` : text, hint: '' };
}

function figuresTable(finding: Finding, startT: number): string {
  const rows = evidenceFigures(finding.evidence, startT);
  return rows.length ? `<table class="evidence-figures">${rows.map(([name, text]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(text)}</td></tr>`).join('')}</table>` : '';
}

/** The evidence as summary.json holds it, folded away: for checking a figure by hand. */
function rawTable(finding: Finding, startT: number): string {
  const rows = evidenceEntries(finding.evidence).map(({ name, key, value }) => [name, describe(key, value, startT)] as const);
  if (rows.length === 0) return '';
  // A long value (a list, JSON) wraps inside its cell instead of stretching the table past the page.
  const table = `<table class="evidence-table">${rows
    .map(([name, { value, hint }]) => `<tr><th>${escapeHtml(name)}</th><td class="${value.length > 40 ? 'text' : 'num'}">${escapeHtml(value)}</td><td class="hint">${escapeHtml(hint)}</td></tr>`)
    .join('')}</table>`;
  return `<details class="raw-evidence"><summary>Raw evidence, as in summary.json</summary>${table}</details>`;
}

function chartHtml(canvas: string | undefined, title: string): string {
  return canvas ? `<figure class="card-chart"><h4>${escapeHtml(title)}</h4><div class="chart-box"><canvas id="${canvas}" role="img" aria-label="${escapeHtml(title)}"></canvas></div></figure>` : '';
}

function findingHtml(finding: Finding, startT: number, chart: { canvas: string; title: string } | undefined): string {
  const meta = [finding.service ? `service ${finding.service}` : '', finding.at !== undefined ? `first seen ${sinceStart(finding.at, startT)}` : ''].filter(Boolean);
  return `<article class="finding sev-${escapeHtml(finding.severity)}" data-kind="${escapeHtml(finding.kind)}">
  <header><span class="badge ${escapeHtml(finding.severity)}">${escapeHtml(finding.severity)}</span><h3>${escapeHtml(finding.title)}</h3><span class="kind">${escapeHtml(finding.kind)}</span></header>
  ${meta.length ? `<p class="meta">${escapeHtml(meta.join(' · '))}</p>` : ''}
  <p class="evidence">${escapeHtml(finding.evidence.summary)}</p>
  <div class="card-body">${chartHtml(chart?.canvas, chart?.title ?? '')}${figuresTable(finding, startT)}</div>
  ${rawTable(finding, startT)}
  ${leakingTypesHtml(finding.evidence.leakingTypes)}
</article>`;
}

/** The findings' cards, and the charts of their evidence for the page script (canvases card-0, card-1...). */
export interface FindingCards {
  html: string;
  charts: ReturnType<typeof chartEntry>[];
}

/** Failing findings first, by when they were seen; then the notes (warn, info) apart, which do not fail a run. */
export function findingCards(findings: Finding[], facts: RunFacts): FindingCards {
  if (findings.length === 0) return { html: '<p class="note">No findings: no detector saw a problem and no budget was exceeded.</p>', charts: [] };
  const ordered = [...findings].sort(
    (a, b) => severityOrder[a.severity] - severityOrder[b.severity] || (a.at ?? Infinity) - (b.at ?? Infinity),
  );
  const charts: FindingCards['charts'] = [];
  const card = (finding: Finding) => {
    const chart = cardChart(finding, facts);
    const entry = chart && chartEntry(chart, `card-${charts.length}`);
    if (entry) charts.push(entry);
    return findingHtml(finding, facts.startT, entry);
  };
  const failing = ordered.filter((finding) => finding.severity === 'fail');
  const notes = ordered.filter((finding) => finding.severity !== 'fail');
  const html = [
    ...(failing.length > 0 ? failing.map(card) : ['<p class="note">No failing finding.</p>']),
    ...(notes.length > 0 ? [`<h3 class="sub">Notes (${notes.length}; they do not fail the run)</h3>`, ...notes.map(card)] : []),
  ].join('\n');
  return { html, charts };
}
