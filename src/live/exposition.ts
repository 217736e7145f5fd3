/**
 * The text exposition formats Prometheus scrapes: its own (text/plain; version=0.0.4) and
 * OpenMetrics 1.0 (what a Prometheus asks for first). They differ in three places: a counter's
 * family is named without its `_total` in OpenMetrics, an info metric is a type of its own there,
 * and OpenMetrics ends with `# EOF`.
 */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** OpenMetrics when the scraper lists it among what it accepts, as Prometheus does. */
export const formatFor = (accept: string | undefined): ExpositionFormat => (accept?.includes('application/openmetrics-text') ? 'openmetrics' : 'prometheus');

export type Labels = Record<string, string | number>;
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'info';

export interface Sample {
  labels: Labels;
  value: number;
}

export interface HistogramSample {
  labels: Labels;
  /** Upper bounds, ascending, without +Inf; `counts` cumulative, one per bound. */
  bounds: readonly number[];
  counts: readonly number[];
  count: number;
  sum: number;
}

/** One metric family: its name as scraped (counters end in `_total`, info metrics in `_info`), help and samples. */
export type Family = { name: string; help: string } & ({ type: 'counter' | 'gauge' | 'info'; samples: Sample[] } | { type: 'histogram'; samples: HistogramSample[] });

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(String(value))}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** The family's name in its TYPE and HELP lines. */
function familyName(family: Family, format: ExpositionFormat): string {
  if (format === 'prometheus') return family.name;
  if (family.type === 'counter') return family.name.replace(/_total$/, '');
  if (family.type === 'info') return family.name.replace(/_info$/, '');
  return family.name;
}

function typeName(family: Family, format: ExpositionFormat): string {
  return family.type === 'info' && format === 'prometheus' ? 'gauge' : family.type;
}

/** Families with no sample are left out: a scraper learns nothing from them. */
export function exposition(families: readonly Family[], format: ExpositionFormat): string {
  const lines: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    const name = familyName(family, format);
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${typeName(family, format)}`);
    if (family.type === 'histogram') {
      for (const sample of family.samples) {
        sample.bounds.forEach((bound, i) => lines.push(`${family.name}_bucket${labelText(sample.labels, ['le', number(bound)])} ${number(sample.counts[i]!)}`));
        lines.push(`${family.name}_bucket${labelText(sample.labels, ['le', '+Inf'])} ${number(sample.count)}`);
        lines.push(`${family.name}_count${labelText(sample.labels)} ${number(sample.count)}`);
        lines.push(`${family.name}_sum${labelText(sample.labels)} ${number(sample.sum)}`);
      }
    } else {
      for (const sample of family.samples) lines.push(`${family.name}${labelText(sample.labels)} ${number(sample.value)}`);
    }
  }
  if (format === 'openmetrics') lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
