import type { ComparisonOutcome, FindingsDiff, MetricRow, RunComparison } from '../analyze/regression/index.js';
import { describeWindow, effectiveEnd } from '../analyze/facts/spans.js';
import type { Finding } from '../analyze/types.js';
import { formatDuration } from '../core/duration.js';
import { formatNumber, formatTimestamp, pCell } from '../core/format.js';
import { chartList, chartsHtml } from './chart-html.js';
import { compareSections, runColors, type ComparedRun } from './compare-charts.js';
import { shiftWords, testedWords, wholeWords } from './comparison-words.js';
import { escapeHtml } from './escape.js';
import { num, table } from './markup.js';
import { renderPage } from './page.js';

export interface CompareInput {
  before: ComparedRun['run'];
  after: ComparedRun['run'];
  comparison: RunComparison;
  findings: FindingsDiff;
  outcome: ComparisonOutcome;
  /** Runs that did not carry out their plan, one line each: the comparison is then not judged. */
  incomplete: string[];
  alpha: number;
  warmupMs: number;
  /** The phases the load figures and the heap slope are compared over (the after run's budget window); none: every phase. */
  window?: readonly string[];
}

function metricsTable(rows: MetricRow[]): string {
  const body = rows.map((row) => [row.subject, row.metric, num(testedWords(row)), num(shiftWords(row)), num(pCell(row.p)), num(wholeWords(row)), row.verdict, row.reason || '–']);
  return table(['subject', 'metric', num('tested: before → after'), num('shift (95% CI)'), num('p (two-sided)'), num('whole run: before → after'), 'verdict', 'why'], body, 'metrics');
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A list of findings headed with what it holds: the failing findings the headline counts, and the notes apart. */
function findingList(title: string, findings: Finding[], empty: string): string {
  const failing = findings.filter((finding) => finding.severity === 'fail');
  const notes = findings.filter((finding) => finding.severity !== 'fail');
  const heading = findings.length > 0 ? `${title}: ${counted(failing.length, 'failing finding')}${notes.length > 0 ? `, ${counted(notes.length, 'note')}` : ''}` : title;
  const items = [...failing, ...notes].map((finding) => `<li><span class="badge ${escapeHtml(finding.severity)}">${escapeHtml(finding.severity)}</span> <span class="kind">${escapeHtml(finding.kind)}</span> ${escapeHtml(finding.title)}</li>`);
  return `<h3 class="sub">${escapeHtml(heading)}</h3>${items.length ? `<ul class="finding-diff">${items.join('')}</ul>` : `<p class="note">${escapeHtml(empty)}</p>`}`;
}

function runFacts(label: 'before' | 'after', run: ComparedRun['run']): string {
  return `<div><dt><span class="legend-key" style="background:${runColors[label]}"></span>${label}</dt><dd>${escapeHtml(run.meta.name)} · ${escapeHtml(formatTimestamp(run.startT))} · ${escapeHtml(formatDuration(run.endT - run.startT))} · ${escapeHtml(run.dir)}</dd></div>`;
}

const seconds = (t: number, startT: number) => Math.round((t - startT) / 100) / 10;

/** Both runs' fault windows on the shared axis (seconds since each run's start), labelled with their run in its colour. */
function faultMarks(runs: ComparedRun[]) {
  return runs.flatMap(({ label, run }, row) =>
    run.faults.map((fault) => ({
      start: seconds(fault.start, run.startT),
      end: seconds(effectiveEnd(fault, run.endT), run.startT),
      label: `${label}: ${fault.kind} → ${fault.target}`,
      color: runColors[label],
      row,
    })),
  );
}

const VERDICT_CLASS = { regressed: 'fail', improved: 'pass', unchanged: 'pass' } as const;

/** Both runs overlaid: what changed, how sure that is, which findings came and went. */
export function renderCompareHtml(input: CompareInput): string {
  const { before, after, comparison, findings, outcome, incomplete, alpha } = input;
  const word = incomplete.length > 0 ? 'incomplete' : outcome.outcome;
  const headline = incomplete.length > 0 ? `incomplete, not judged (${outcome.headline})` : outcome.headline;
  const runs: ComparedRun[] = [
    { label: 'before', run: before },
    { label: 'after', run: after },
  ];
  const sections = compareSections(runs, input.warmupMs);
  const durationS = Math.max(before.endT - before.startT, after.endT - after.startT) / 1000;
  const header = `<header class="verdict verdict-${incomplete.length > 0 ? 'incomplete' : VERDICT_CLASS[outcome.outcome]}"><div class="wrap">
  <div class="verdict-word">${escapeHtml(word.toUpperCase())}</div>
  <div><h1>${escapeHtml(`${before.meta.name} → ${after.meta.name}`)}</h1><p>${escapeHtml(headline)}${incomplete.map((line) => `<br>${escapeHtml(line)}`).join('')}</p></div>
</div></header>`;
  const main = `<section id="runs"><h2>Runs</h2><dl class="facts">${runFacts('before', before)}${runFacts('after', after)}</dl></section>
<section id="findings"><h2>Findings</h2>
${findingList('Appeared (only after)', findings.appeared, 'No new finding.')}
${findingList('Disappeared (only before)', findings.disappeared, 'No finding went away.')}
${findingList('In both', findings.persisted, 'No finding in both runs.')}
</section>
<section id="metrics"><h2>Every metric</h2>
<p class="muted">Each metric is reduced to one value per ${escapeHtml(formatNumber(comparison.bucketMs / 1000))} s bucket after the ${escapeHtml(formatDuration(input.warmupMs))} warm-up${input.window ? escapeHtml(`; the load figures and the heap slope over the ${describeWindow(input.window)}, which the after run's budgets judge (the service figures over every phase)`) : ''}; "tested" is the median bucket of each run, and the two runs' buckets are compared with a Mann-Whitney U test, their shift estimated with Hodges-Lehmann; where neighbouring buckets resemble each other (lag-1 autocorrelation), both are on the means of blocks of consecutive buckets, long enough to count as independent values (the heap slope: the two Theil-Sen slopes, unless both runs' memory-leak verdicts agree). "Whole run" is each run's figure over the whole stretch. Only p99 latency, throughput (successful responses per second), error rate and heap slope can be a regression or an improvement: significant at ${alpha} one-sided and at least the minimum effect, or a whole-run change past the large effect, however few the buckets.</p>
${metricsTable(comparison.rows)}
</section>
<section id="charts"><h2>Over time</h2>
<p class="muted">Both runs on one axis: seconds since each run's start. <span class="legend-key" style="background:${runColors.before}"></span>before <span class="legend-key" style="background:${runColors.after}"></span>after <span class="legend-key fault"></span>fault active (labelled with its run)</p>
${chartsHtml(sections)}
</section>
<footer>Written by soak from the records in ${escapeHtml(before.dir)} and ${escapeHtml(after.dir)}.</footer>`;
  return renderPage({
    title: `soak compare: ${before.meta.name} → ${after.meta.name} — ${headline}`,
    header,
    main,
    data: { durationS, marks: { faults: faultMarks(runs), phases: [] }, charts: chartList(sections) },
  });
}
