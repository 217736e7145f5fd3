import type { RunFacts } from '../analyze/facts/builder.js';
import { effectiveEnd } from '../analyze/facts/spans.js';
import type { Finding } from '../analyze/types.js';
import { formatDuration } from '../core/duration.js';
import type { ChartSection } from './chart-spec.js';
import { chartList, chartsHtml } from './chart-html.js';
import { escapeHtml } from './escape.js';
import { findingCards, type FindingCards } from './findings-html.js';
import { loadSection } from './load-charts.js';
import { renderPage, type LiveReport } from './page.js';
import { profilesHtml } from './profiles-html.js';
import { runHtml } from './run-html.js';
import { serviceSection } from './service-charts.js';
import type { Summary } from './summary.js';

const seconds = (t: number, startT: number) => Math.round((t - startT) / 100) / 10;

/** What the page script reads: the charts to draw (the sections' and the findings' cards'), keyed by their canvas, and the marks drawn on every chart. */
function chartData(facts: RunFacts, summary: Summary, sections: ChartSection[], cards: FindingCards) {
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
    charts: [...chartList(sections), ...cards.charts],
  };
}

function verdictHtml(summary: Summary): string {
  const failing = summary.findings.filter((finding) => finding.severity === 'fail').length;
  const notes = summary.findings.length - failing;
  // As the verdict line of soak run: the failing findings it counts, and the notes apart (they do not fail a run).
  const counts = `${failing} failing finding${failing === 1 ? '' : 's'}${notes > 0 ? ` · ${notes} note${notes === 1 ? '' : 's'}` : ''}`;
  if (summary.provisional) return provisionalHtml(summary, counts);
  const ran = `${formatDuration(summary.run.durationMs)} run, ended ${summary.run.endReason}${summary.run.incomplete ? `; incomplete: ${summary.run.incomplete.message}` : ''}`;
  return `<header class="verdict verdict-${summary.verdict}"><div class="wrap">
  <div class="verdict-word">${summary.verdict.toUpperCase()}</div>
  <div><h1>${escapeHtml(summary.run.name)}</h1><p>${escapeHtml(counts)} · ${escapeHtml(ran)}</p></div>
</div></header>`;
}

/** A run still going (or still writing its report): what is known so far, never a verdict. */
function provisionalHtml(summary: Summary, counts: string): string {
  const { run } = summary;
  const state = run.endReason === 'unfinished' ? `run in progress, ${formatDuration(run.durationMs)} of ${formatDuration(run.plannedMs)}` : `run ended ${run.endReason}; its report is being written`;
  return `<header class="verdict verdict-provisional"><div class="wrap">
  <div class="verdict-word">PROVISIONAL</div>
  <div><h1>${escapeHtml(run.name)}</h1><p>${escapeHtml(state)} · ${escapeHtml(counts)} so far · the detectors ran on the records so far</p></div>
</div></header>`;
}

/** The report page in parts: a live page replaces each part in place as the run goes on. */
export interface ReportParts {
  title: string;
  header: string;
  findings: string;
  run: string;
  profiles: string;
  charts: string;
  footer: string;
  /** What the page script draws: see client-script.ts. */
  data: ReturnType<typeof chartData>;
}

export function reportParts(facts: RunFacts, findings: Finding[], summary: Summary): ReportParts {
  // Probed services (the targets) before the ones only seen from the OS (dependencies).
  const services = [...facts.services.values()].sort((a, b) => Number(!a.probed) - Number(!b.probed));
  const sections = [loadSection(facts), ...services.map((service) => serviceSection(facts, service, findings))];
  const cards = findingCards(findings, facts);
  return {
    title: `soak: ${summary.run.name} — ${summary.provisional ? 'PROVISIONAL' : summary.verdict.toUpperCase()}`,
    header: verdictHtml(summary),
    findings: `<section id="findings"><h2>Findings${summary.provisional ? ' so far' : ''}</h2>
${cards.html}
</section>`,
    run: `<section id="run"><h2>Run</h2>
${runHtml(facts, summary)}
</section>`,
    profiles: profilesHtml(summary.profiles),
    charts: `<section id="charts"><h2>Over time</h2>
<p class="muted">Time runs from the start of the run. <span class="legend-key fault"></span>fault active <span class="legend-key phase"></span>phase start. Charts show at most about 1,000 points per line (lowest and highest of each stretch are kept); the analysis used every sample.</p>
${chartsHtml(sections)}
</section>`,
    footer: `<footer>Written by soak ${escapeHtml(facts.meta.soakVersion)} from the records in ${escapeHtml(facts.dir)}.</footer>`,
    data: chartData(facts, summary, sections, cards),
  };
}

/** Findings first, then the run, then the charts. */
export function renderReportHtml(facts: RunFacts, findings: Finding[], summary: Summary): string {
  return renderPartsHtml(reportParts(facts, findings, summary));
}

/** The page of a report's parts. `live`: the page follows the run, fetching its next parts from the server that served it. */
export function renderPartsHtml(parts: ReportParts, live?: LiveReport): string {
  return renderPage({
    title: parts.title,
    header: parts.header,
    main: [parts.findings, parts.run, parts.profiles, parts.charts, parts.footer].filter(Boolean).join('\n'),
    data: parts.data,
    live,
  });
}
