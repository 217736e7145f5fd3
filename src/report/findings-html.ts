import type { Finding, Severity } from '../analyze/types.js';
import { escapeHtml } from './escape.js';
import { formatBytes, formatNumber, offset as formatOffset } from '../core/format.js';
import { leakingTypesHtml } from './leaking-types-html.js';

const severityOrder: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

/** Keys that name a size in bytes (heapUsed, rssBytes; not heapGrowthMBPerHour or heapRatio) get a human size next to the figure. */
const isBytesKey = (key: string) => /bytes|heap|rss/i.test(key) && !/per|rate|ratio|percent|count|mb|kb|gb/i.test(key);

/** Epoch milliseconds of this era (2001-2286): shown as time since the run started. */
const looksLikeEpochMs = (value: number) => value > 1e12 && value < 1e13;

function describe(key: string, value: unknown, startT: number): { value: string; hint: string } {
  if (typeof value === 'number') {
    const hint = looksLikeEpochMs(value)
      ? formatOffset(value, startT)
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

/** Every evidence figure but the summary; one level of nesting is flattened (trend.slopePerMs). */
function evidenceRows(evidence: Finding['evidence'], startT: number): [string, { value: string; hint: string }][] {
  const rows: [string, { value: string; hint: string }][] = [];
  for (const [key, value] of Object.entries(evidence)) {
    if (key === 'summary' || key === 'leakingTypes') continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) rows.push([`${key}.${inner}`, describe(inner, innerValue, startT)]);
    } else {
      rows.push([key, describe(key, value, startT)]);
    }
  }
  return rows;
}

function findingHtml(finding: Finding, startT: number): string {
  const meta = [
    finding.service ? `service ${finding.service}` : '',
    finding.at !== undefined ? `first seen ${formatOffset(finding.at, startT)}` : '',
  ].filter(Boolean);
  const rows = evidenceRows(finding.evidence, startT);
  const evidenceTable = rows.length
    ? `<table class="evidence-table">${rows
        // A long value (a list, JSON) wraps inside its cell instead of stretching the table past the page.
        .map(([key, { value, hint }]) => `<tr><th>${escapeHtml(key)}</th><td class="${value.length > 40 ? 'text' : 'num'}">${escapeHtml(value)}</td><td class="hint">${escapeHtml(hint)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<article class="finding sev-${escapeHtml(finding.severity)}">
  <header><span class="badge ${escapeHtml(finding.severity)}">${escapeHtml(finding.severity)}</span><h3>${escapeHtml(finding.title)}</h3><span class="kind">${escapeHtml(finding.kind)}</span></header>
  ${meta.length ? `<p class="meta">${escapeHtml(meta.join(' · '))}</p>` : ''}
  <p class="evidence">${escapeHtml(finding.evidence.summary)}</p>
  ${evidenceTable}
  ${leakingTypesHtml(finding.evidence.leakingTypes)}
</article>`;
}

export function findingsHtml(findings: Finding[], startT: number): string {
  if (findings.length === 0) return '<p class="note">No findings: no detector saw a problem and no budget was exceeded.</p>';
  const ordered = [...findings].sort(
    (a, b) => severityOrder[a.severity] - severityOrder[b.severity] || (a.at ?? Infinity) - (b.at ?? Infinity),
  );
  return ordered.map((finding) => findingHtml(finding, startT)).join('\n');
}
