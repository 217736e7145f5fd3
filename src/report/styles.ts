/** The report's stylesheet: plain, readable on a laptop, and printable (no backgrounds lost, no charts cut in half). */
export const styles = `
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --panel: #ffffff; --page: #f8fafc;
  --fail: #b91c1c; --fail-bg: #fef2f2; --warn: #b45309; --warn-bg: #fffbeb; --info: #1d4ed8; --info-bg: #eff6ff;
  --pass: #15803d; --pass-bg: #f0fdf4;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; }
code, pre, .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }

.verdict { padding: 20px 0; border-bottom: 1px solid var(--line); }
.verdict .wrap { display: flex; align-items: center; gap: 20px; }
.verdict-word { font-size: 26px; font-weight: 800; letter-spacing: 0.06em; padding: 6px 16px; border-radius: 6px; color: #fff; }
.verdict-pass { background: var(--pass-bg); } .verdict-pass .verdict-word { background: var(--pass); }
.verdict-fail { background: var(--fail-bg); } .verdict-fail .verdict-word { background: var(--fail); }
.verdict-incomplete { background: var(--warn-bg); } .verdict-incomplete .verdict-word { background: var(--warn); }
.verdict-provisional { background: var(--info-bg); } .verdict-provisional .verdict-word { background: var(--info); }
.live-status { color: var(--muted); font-size: 12.5px; padding-top: 8px; }
.verdict h1 { font-size: 20px; }
.verdict p { margin: 2px 0 0; color: var(--muted); }

.finding { background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--info); border-radius: 6px; padding: 12px 16px; margin-bottom: 12px; break-inside: avoid; }
.finding.sev-fail { border-left-color: var(--fail); } .finding.sev-warn { border-left-color: var(--warn); }
.finding header { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.finding .meta { margin: 2px 0 6px; color: var(--muted); font-size: 12.5px; }
.finding .evidence { margin: 6px 0 8px; }
.badge { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; padding: 1px 7px; border-radius: 4px; }
.badge.fail { color: var(--fail); background: var(--fail-bg); border: 1px solid #fecaca; }
.badge.warn { color: var(--warn); background: var(--warn-bg); border: 1px solid #fde68a; }
.badge.info { color: var(--info); background: var(--info-bg); border: 1px solid #bfdbfe; }
.kind { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }

table { border-collapse: collapse; width: 100%; background: var(--panel); font-size: 13px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; background: #f1f5f9; }
td.num, th.num { text-align: right; white-space: nowrap; }
.table-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; margin-bottom: 16px; }
.table-scroll table { border: 0; }
.evidence-table { width: auto; min-width: 50%; border: 1px solid var(--line); }
.evidence-table th { background: transparent; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 400; color: var(--ink); }
.evidence-table .hint { color: var(--muted); padding-left: 8px; }
.evidence-table td.text { white-space: normal; word-break: break-word; max-width: 60ch; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.card-body { display: grid; grid-template-columns: minmax(360px, 3fr) minmax(260px, 2fr); gap: 12px; align-items: start; }
.card-body > :only-child { grid-column: 1 / -1; }
.card-chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 4px; break-inside: avoid; }
.card-chart h4 { margin: 0 0 2px; font-size: 12.5px; }
.card-chart .chart-box { height: 200px; }
.evidence-figures { width: 100%; border: 1px solid var(--line); font-size: 12.5px; }
.evidence-figures th { background: transparent; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 400; color: var(--muted); }
.evidence-figures td { white-space: normal; word-break: break-word; font-variant-numeric: tabular-nums; }
.raw-evidence { margin: 8px 0 0; } .raw-evidence summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
.leaking-types td:last-child { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-word; }

.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px 24px; margin: 0 0 16px; }
.facts div { border-bottom: 1px dotted var(--line); padding: 3px 0; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; word-break: break-word; }
h3.sub { margin: 18px 0 8px; font-size: 14px; }
pre.stderr { background: #0f172a; color: #e2e8f0; padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 6px 0 14px; }

.chart-section h3 { margin: 24px 0 4px; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 14px; }
.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px 6px; break-inside: avoid; }
.chart h4 { margin: 0 0 4px; font-size: 13px; }
.chart-box { position: relative; height: 230px; }
.chart-box canvas { display: block; }
.note { color: var(--muted); font-style: italic; margin: 4px 0; font-size: 13px; }
.legend-key { display: inline-block; width: 18px; height: 10px; vertical-align: middle; margin: 0 4px 0 12px; }
.legend-key.fault { background: rgba(220, 38, 38, 0.18); }
.legend-key.phase { border-left: 2px dashed #475569; width: 2px; }

footer { margin: 40px 0 24px; color: var(--muted); font-size: 12px; }

@media (max-width: 640px) { .chart-grid, .card-body { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 12px; }
  .wrap { max-width: none; padding: 0; }
  .chart-grid { grid-template-columns: 1fr 1fr; }
  .chart, .finding, table { break-inside: avoid; }
  .chart-box canvas { max-width: 100% !important; height: auto !important; }
  h2 { break-after: avoid; }
  .table-scroll { overflow: visible; }
}
`;
