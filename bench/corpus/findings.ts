/**
 * Reading a finding from summary.json defensively: its evidence fields change as detectors change,
 * so each figure is looked for under the names it has had or might have, then in the words.
 */
import type { Memory } from './cells.js';

export interface FindingLike {
  kind: string;
  severity: string;
  title: string;
  service?: string;
  at?: number;
  evidence: { summary?: string } & Record<string, unknown>;
}

const HOUR_MS = 3_600_000;

const numberAt = (evidence: Record<string, unknown>, key: string): number | undefined => {
  const value = evidence[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

const textOf = (finding: FindingLike): string => `${finding.title} ${finding.evidence.summary ?? ''}`;

/** Which memory a leak finding names: from a `memory` field if it has one, else from the series it was judged on, else its words. */
export function memoryNamed(finding: FindingLike): Memory | 'handles' | undefined {
  if (finding.kind === 'handle-leak') return 'handles';
  if (finding.kind !== 'memory-leak') return undefined;
  const { memory, series } = finding.evidence;
  // The corpus's service names hold these words themselves ("off-heap-20"), so they are taken out first.
  const sources = [memory, series, finding.title].filter((value): value is string => typeof value === 'string');
  for (const source of sources) {
    const words = (finding.service ? source.split(finding.service).join(' ') : source).toLowerCase();
    if (/off-heap|offheap|external|array ?buffer|buffer/.test(words)) return 'off-heap';
    if (/\brss\b|resident|native/.test(words)) return 'rss';
    if (/heap/.test(words)) return 'heap';
  }
  return undefined;
}

const UNIT_MB: Record<string, number> = { kb: 1 / 1024, mb: 1, gb: 1024 };

/** The growth rate a memory-leak finding states, MB/h. */
function memoryRate(finding: FindingLike): number | undefined {
  const { evidence } = finding;
  for (const key of ['slopeMBPerHour', 'rateMBPerHour', 'growthMBPerHour', 'mbPerHour']) {
    const value = numberAt(evidence, key);
    if (value !== undefined) return value;
  }
  const key = Object.keys(evidence).find((name) => /MBPerHour$/i.test(name) && !/low|high|threshold|budget|half|per(conn|request)/i.test(name));
  if (key !== undefined && numberAt(evidence, key) !== undefined) return numberAt(evidence, key);
  const match = /([\d.,]+)\s*(KB|MB|GB)\/h/i.exec(finding.title);
  return match ? Number(match[1]!.replace(/,/g, '')) * UNIT_MB[match[2]!.toLowerCase()]! : undefined;
}

/** The growth rate a handle-leak finding states, handles per hour. */
function handleRate(finding: FindingLike): number | undefined {
  for (const key of ['perHour', 'handlesPerHour', 'ratePerHour']) {
    const value = numberAt(finding.evidence, key);
    if (value !== undefined) return value;
  }
  const match = /([\d.,]+)\s*\/(min|h)\b/.exec(finding.title);
  if (!match) return undefined;
  const value = Number(match[1]!.replace(/,/g, ''));
  return match[2] === 'min' ? value * 60 : value;
}

/** The rate a leak finding states, in its unit (MB/h or handles/h). */
export function statedRate(finding: FindingLike): number | undefined {
  return finding.kind === 'handle-leak' ? handleRate(finding) : memoryRate(finding);
}

/** The window the finding judged, epoch ms, when it says. */
export function statedWindow(finding: FindingLike): { start: number; end: number } | undefined {
  const start = numberAt(finding.evidence, 'windowStart');
  const end = numberAt(finding.evidence, 'windowEnd');
  return start !== undefined && end !== undefined && end > start ? { start, end } : undefined;
}

/** Hours to the limit the finding projects, counted from the end of its window. */
export function statedHoursToLimit(finding: FindingLike): number | undefined {
  const { evidence } = finding;
  for (const key of ['hoursToLimit', 'hoursToOom', 'hoursToOOM']) {
    const value = numberAt(evidence, key);
    if (value !== undefined) return value;
  }
  const projected = numberAt(evidence, 'projectedLimitAt');
  const window = statedWindow(finding);
  if (projected !== undefined && window) return (projected - window.end) / HOUR_MS;
  const match = /reaches the .* in ([\d.,]+) h\b/.exec(textOf(finding));
  return match ? Number(match[1]!.replace(/,/g, '')) : undefined;
}

/** The limit the finding projects against, MB, when it says. */
export function statedLimitMB(finding: FindingLike): number | undefined {
  return numberAt(finding.evidence, 'limitMB');
}
