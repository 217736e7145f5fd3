import type { RunFacts } from '../analyze/facts/builder.js';
import { effectiveEnd } from '../analyze/facts/spans.js';
import type { Finding } from '../analyze/types.js';
import { formatDuration } from '../core/duration.js';
import type { ChartSection } from './chart-spec.js';
import { chartList, chartsHtml } from './chart-html.js';
import { escapeHtml } from './escape.js';
import { findingsHtml } from './findings-html.js';
import { loadSection } from './load-charts.js';
import { renderPage } from './page.js';
import { profilesHtml } from './profiles-html.js';
import { runHtml } from './run-html.js';
import { serviceSection } from './service-charts.js';
import type { Summary } from './summary.js';

const seconds = (t: number, startT: number) => Math.round((t - startT) / 100) / 10;

/** What the page script reads: the charts to draw, keyed by their canvas, and the marks drawn on every chart. */
function chartData(facts: RunFacts, summary: Summary, sections: ChartSection[]) {
  return {
    durationS: seconds(facts.endT, facts.startT),
    marks: {
      faults: summary.faults.map((fault) => ({
        start: seconds(fault.start, facts.startT),
        end: seconds(effectiveEnd(fault, facts.endT), facts.startT),
        label: `${fault.kind} → ${fault.target}`,
      })),
      phases: summary.phases.map((phase) => ({ x: seconds(phase.start, facts.startT), label: phase.phase })),
    },
    charts: chartList(sections),
  };
}

function verdictHtml(summary: Summary): string {
  const count = (severity: string) => summary.findings.filter((finding) => finding.severity === severity).length;
  const counts = [`${count('fail')} failing`, `${count('warn')} warning`, `${count('info')} info`].join(', ');
  const ran = `${formatDuration(summary.run.durationMs)} run, ended ${summary.run.endReason}${summary.run.incomplete ? `; incomplete: ${summary.run.incomplete.message}` : ''}`;
  return `<header class="verdict verdict-${summary.verdict}"><div class="wrap">
  <div class="verdict-word">${summary.verdict.toUpperCase()}</div>
  <div><h1>${escapeHtml(summary.run.name)}</h1><p>${escapeHtml(counts)} · ${escapeHtml(ran)}</p></div>
</div></header>`;
}

/** Findings first, then the run, then the charts. */
export function renderReportHtml(facts: RunFacts, findings: Finding[], summary: Summary): string {
  // Probed services (the targets) before the ones only seen from the OS (dependencies).
  const services = [...facts.services.values()].sort((a, b) => Number(!a.probed) - Number(!b.probed));
  const sections = [loadSection(facts), ...services.map((service) => serviceSection(facts, service, findings))];
  return renderPage({
    title: `soak: ${summary.run.name} — ${summary.verdict.toUpperCase()}`,
    header: verdictHtml(summary),
    main: `<section id="findings"><h2>Findings</h2>
${findingsHtml(findings, facts.startT)}
</section>
<section id="run"><h2>Run</h2>
${runHtml(facts, summary)}
</section>
${profilesHtml(summary.profiles)}
<section id="charts"><h2>Over time</h2>
<p class="muted">Time runs from the start of the run. <span class="legend-key fault"></span>fault active <span class="legend-key phase"></span>phase start. Charts show at most about 1,000 points per line (lowest and highest of each stretch are kept); the analysis used every sample.</p>
${chartsHtml(sections)}
</section>
<footer>Written by soak ${escapeHtml(facts.meta.soakVersion)} from the records in ${escapeHtml(facts.dir)}.</footer>`,
    data: chartData(facts, summary, sections),
  });
}
