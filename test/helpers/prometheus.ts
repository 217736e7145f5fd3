import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Prometheus project's own Python client parses what soak serves at /metrics: its parser of the
 * Prometheus text format, and its strict OpenMetrics 1.0 parser (Debian: python3-prometheus-client;
 * .ci/run installs it). The npm parsers looked at merge the buckets of labelled histograms.
 */
const PYTHON = '/usr/bin/python3';

const PARSE = `
import sys, json
if sys.argv[1] == 'openmetrics':
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
else:
    from prometheus_client.parser import text_string_to_metric_families
families = [{"name": f.name, "type": f.type, "help": f.documentation, "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]} for f in text_string_to_metric_families(sys.stdin.read())]
print(json.dumps(families))
`;

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

/** Why the parser cannot run here, or undefined when it can. */
export function prometheusParserMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `no ${PYTHON}`;
  const probe = spawnSync(PYTHON, ['-c', 'import prometheus_client'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'no prometheus_client for it (apt-get install -y python3-prometheus-client)';
}

/** The families of an exposition, as the Prometheus client parses it; throws with the parser's complaint when it does not parse. */
export function parseExposition(text: string, format: 'prometheus' | 'openmetrics'): ParsedFamily[] {
  const parsed = spawnSync(PYTHON, ['-c', PARSE, format], { input: text, encoding: 'utf8' });
  if (parsed.status !== 0) throw new Error(`the ${format} parser refused the exposition: ${parsed.stderr.trim().split('\n').at(-1)}`);
  return JSON.parse(parsed.stdout) as ParsedFamily[];
}

/** The value of the one sample named so with these labels (among others). */
export function sampleValue(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families) {
    for (const sample of family.samples) {
      if (sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) return sample.value;
    }
  }
  return undefined;
}
