import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SoakError } from '../core/errors.js';
import type { RunData } from '../analyze/types.js';
import { RunFiles, type ContainerSample, type LoadInterval, type NodeProbeSample, type OsProbeSample, type ProbeSample, type RunEvent, type RunMeta } from './records.js';

/** Streams a JSON-lines file; a line cut short by a killed run (the last one) is skipped. */
async function readLines<T>(file: string, onRecord: (record: T) => void): Promise<void> {
  if (!existsSync(file)) return;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    try {
      onRecord(JSON.parse(line) as T);
    } catch {
      // A partial line from a run killed mid-write.
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Throws the usage error every command gives for a directory soak did not write; returns its meta.json path. */
export function requireRunDir(dir: string): string {
  const metaFile = join(dir, RunFiles.meta);
  if (!existsSync(metaFile)) throw new SoakError('usage', `${dir} is not a soak run directory (no ${RunFiles.meta})`);
  return metaFile;
}

/** Whether the run's run-end record has reached disk: false while it goes on (or after soak was killed). */
export async function runHasEnded(dir: string): Promise<boolean> {
  let ended = false;
  await readLines<RunEvent>(join(dir, RunFiles.events), (event) => {
    if (event.type === 'run-end') ended = true;
  });
  return ended;
}

/** Reads a run directory back into memory for analysis and reporting. */
export async function readRun(dir: string): Promise<RunData> {
  const metaFile = requireRunDir(dir);
  let meta: RunMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as RunMeta;
  } catch (error) {
    throw new SoakError('io', `${metaFile}: ${(error as Error).message}`);
  }

  const node = new Map<string, NodeProbeSample[]>();
  const os = new Map<string, OsProbeSample[]>();
  const containers = new Map<string, ContainerSample[]>();
  const load: LoadInterval[] = [];
  const events: RunEvent[] = [];
  let lastT = meta.startedAt;
  const seen = (t: number) => {
    if (t > lastT) lastT = t;
  };

  await readLines<ProbeSample>(join(dir, RunFiles.probe), (sample) => {
    seen(sample.t);
    if (sample.source === 'node') push(node, sample.service, sample);
    else if (sample.source === 'container') push(containers, sample.service, sample);
    else push(os, sample.service, sample);
  });
  await readLines<LoadInterval>(join(dir, RunFiles.load), (interval) => {
    seen(interval.t);
    load.push(interval);
  });
  await readLines<RunEvent>(join(dir, RunFiles.events), (event) => {
    seen(event.t);
    events.push(event);
  });
  // Children that outlive the run would move its end: their exits only join the events.
  await readLines<RunEvent>(join(dir, RunFiles.childExits), (event) => events.push(event));

  const byTime = (a: { t: number }, b: { t: number }) => a.t - b.t;
  for (const list of [...node.values(), ...os.values(), ...containers.values()]) list.sort(byTime);
  load.sort(byTime);
  events.sort(byTime);
  const end = events.find((event) => event.type === 'run-end');
  return { dir, meta, startT: meta.startedAt, endT: end?.t ?? lastT, node, os, containers, load, events };
}
