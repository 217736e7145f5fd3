import type { RunFacts } from '../analyze/facts/builder.js';
import { formatDuration } from '../core/duration.js';
import { formatBytes, formatMs, formatNumber, formatPercent, formatTimestamp, offset as formatOffset } from '../core/format.js';
import { escapeHtml } from './escape.js';
import type { LoadFigures } from './load-summary.js';
import { facts, num, table, type Cell } from './markup.js';
import type { Summary } from './summary.js';

function runFacts(run: RunFacts, summary: Summary): string {
  const { meta } = run;
  const info = summary.run;
  return facts([
    ['Scenario', info.name],
    ['Scenario file', meta.scenarioFile ?? '–'],
    ['Started', formatTimestamp(info.startedAt)],
    ['Ended', formatTimestamp(info.endedAt)],
    ['Duration', `${formatDuration(info.durationMs)} of ${formatDuration(info.plannedMs)} planned`],
    ['End', info.endMessage ? `${info.endReason}: ${info.endMessage}` : info.endReason],
    ['Host', `${meta.host.hostname} · ${meta.host.platform} · ${meta.host.cpus} CPUs · ${formatBytes(meta.host.totalMemory)} memory${meta.host.memoryLimit !== undefined ? ` (limit ${formatBytes(meta.host.memoryLimit)})` : ''} · Node ${meta.host.node}`],
    ['Sample interval', formatMs(meta.sampleIntervalMs)],
    ['soak', meta.soakVersion],
    ['Run directory', info.dir],
  ]);
}

function loadRow(label: string, figures: LoadFigures): (string | Cell)[] {
  const { latency } = figures;
  return [
    label,
    num(formatNumber(figures.requests)),
    num(formatNumber(figures.completed)),
    num(formatNumber(figures.errors)),
    num(formatNumber(figures.timeouts)),
    num(formatPercent(figures.errorRate)),
    num(formatNumber(figures.rps)),
    num(formatMs(latency.p50)),
    num(formatMs(latency.p90)),
    num(formatMs(latency.p99)),
    num(formatMs(latency.max)),
  ];
}

const loadHeaders = ['', num('requests'), num('completed'), num('errors'), num('timeouts'), num('error rate'), num('req/s'), num('p50'), num('p90'), num('p99'), num('max')];

/** Endpoints (http request names) of the load, under the stream table. */
function endpointTable(load: Summary['load']): string {
  const endpoints = Object.entries(load.byEndpoint ?? {});
  if (endpoints.length === 0) return '';
  const rows = endpoints.map(([name, endpoint]) => [
    name,
    num(formatNumber(endpoint.requests)),
    num(formatNumber(endpoint.completed)),
    num(formatNumber(endpoint.errors)),
    num(formatNumber(endpoint.timeouts)),
    num(formatPercent(endpoint.errorRate)),
    num(formatMs(endpoint.latency.p50)),
    num(formatMs(endpoint.latency.p90)),
    num(formatMs(endpoint.latency.p99)),
    num(formatMs(endpoint.latency.max)),
  ]);
  return `\n${table(['endpoint', ...loadHeaders.slice(1, 6), ...loadHeaders.slice(7)], rows)}`;
}

function loadTables(summary: Summary): string {
  const { load } = summary;
  const streams = Object.entries(load.byStream);
  if (streams.length === 0) return '<p class="note">No load was recorded.</p>';
  const rows = [loadRow('all streams', load), ...(streams.length > 1 ? streams.map(([name, stream]) => loadRow(`${name} (${stream.driver})`, stream)) : [])];
  const outcomes = Object.entries(load.outcomes).sort((a, b) => b[1] - a[1]);
  return `${table(loadHeaders, rows)}
${outcomes.length ? `<p class="muted">Outcomes: ${outcomes.map(([outcome, count]) => `${escapeHtml(outcome)} ${escapeHtml(formatNumber(count))}`).join(' · ')}</p>` : ''}${endpointTable(load)}`;
}

function phaseTable(summary: Summary): string {
  if (summary.phases.length === 0) return '';
  const start = summary.run.startedAt;
  const rows = summary.phases.map((phase) => [
    phase.stream,
    phase.phase,
    phase.kind ?? '–',
    num(formatOffset(phase.start, start)),
    num(phase.plannedMs === null ? '–' : formatDuration(phase.plannedMs)),
    num(formatNumber(phase.requests)),
    num(formatNumber(phase.rps)),
    num(formatPercent(phase.errorRate)),
    num(formatMs(phase.latency.p50)),
    num(formatMs(phase.latency.p99)),
  ]);
  return `<h3 class="sub">Phases</h3>${table(['stream', 'phase', 'kind', num('start'), num('planned'), num('requests'), num('req/s'), num('error rate'), num('p50'), num('p99')], rows)}`;
}

function faultTable(summary: Summary): string {
  if (summary.faults.length === 0) return '';
  const start = summary.run.startedAt;
  const rows = summary.faults.map((fault) => [
    fault.fault,
    fault.kind,
    fault.target,
    num(formatOffset(fault.start, start)),
    num(fault.end === null ? 'still active at the end' : formatOffset(fault.end, start)),
    num(fault.end === null ? '–' : formatDuration(fault.end - fault.start)),
  ]);
  return `<h3 class="sub">Faults</h3>${table(['fault', 'kind', 'target', num('start'), num('end'), num('lasted')], rows)}`;
}

function serviceTable(summary: Summary): string {
  const services = Object.values(summary.target);
  if (services.length === 0) return '';
  const rows = services.map((service) => [
    service.name,
    service.pids.length > 1 ? `${service.pid} (${service.pids.length} starts)` : String(service.pid ?? '–'),
    num(String(service.exits.length)),
    num(formatBytes(service.peakRss ?? service.peakTreeRss)),
    num(formatBytes(service.heapLimit)),
    num(formatBytes(service.lastHeapUsed)),
    num(service.postGc ? `${formatBytes(service.postGc.min)} – ${formatBytes(service.postGc.max)}` : '–'),
    num(formatMs(service.eventLoopP99Max)),
    num(service.handlesLast ? formatNumber(service.handlesLast.total) : '–'),
    num(service.meanCpuPercent === null ? '–' : `${formatNumber(service.meanCpuPercent)}%`),
  ]);
  return `<h3 class="sub">Services</h3>${table(
    ['service', 'pid', num('exits'), num('peak RSS'), num('heap limit'), num('last heapUsed'), num('post-GC heap'), num('max loop p99'), num('handles at end'), num('mean CPU')],
    rows,
  )}`;
}

function exitsHtml(summary: Summary): string {
  const start = summary.run.startedAt;
  const exits = Object.values(summary.target).flatMap((service) => service.exits.map((exit) => ({ service: service.name, ...exit })));
  if (exits.length === 0) return '';
  const items = exits.map((exit) => {
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code ?? '–'}`;
    const tail = exit.stderrTail.length ? `<pre class="stderr">${escapeHtml(exit.stderrTail.join('\n'))}</pre>` : '<p class="note">No stderr output before the exit.</p>';
    return `<p><strong>${escapeHtml(exit.service)}</strong> (pid ${escapeHtml(exit.pid)}) exited with ${escapeHtml(how)} at ${escapeHtml(formatOffset(exit.t, start))}${exit.expected ? ' (asked to stop)' : ''}</p>${tail}`;
  });
  return `<h3 class="sub">Service exits</h3>${items.join('\n')}`;
}

function checksTable(facts: RunFacts): string {
  const { checks } = facts;
  if (checks.length === 0) return '';
  const rows = checks.map((check) => [check.check, check.ok ? 'ok' : 'failed', JSON.stringify(check.detail)]);
  return `<h3 class="sub">Checks</h3>${table(['check', 'result', 'detail'], rows)}`;
}

export function runHtml(facts: RunFacts, summary: Summary): string {
  return [runFacts(facts, summary), '<h3 class="sub">Load</h3>', loadTables(summary), phaseTable(summary), faultTable(summary), serviceTable(summary), exitsHtml(summary), checksTable(facts)]
    .filter(Boolean)
    .join('\n');
}
