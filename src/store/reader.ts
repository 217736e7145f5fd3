import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { SoakError } from '../core/errors.js';
import type { RunData } from '../analyze/types.js';
import { MalformedRecords, metaProblem, parseRecord, type RecordKind } from './record-schema.js';
import { RunFiles, type ContainerSample, type LoadInterval, type NodeProbeSample, type OsProbeSample, type RunEvent, type RunMeta } from './records.js';

/**
 * Streams a JSON-lines file. A line that is not a record of the file's kind (cut short by a killed
 * run, or of the wrong shape) is skipped and counted; returns the one line of news about them.
 */
async function readLines<K extends RecordKind>(file: string, kind: K, onRecord: (record: RecordOf<K>) => void): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  const malformed = new MalformedRecords(basename(file));
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.length === 0) continue;
    const record = parseRecord(kind, line, lineNumber, malformed);
    if (record) onRecord(record);
  }
  malformed.end(lineNumber);
  return malformed.message();
}

type RecordOf<K extends RecordKind> = NonNullable<ReturnType<typeof parseRecord<K>>>;

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
  await readLines(join(dir, RunFiles.events), 'event', (event) => {
    if (event.type === 'run-end') ended = true;
  });
  return ended;
}

/** Reads a run directory back into memory for analysis and reporting. */
export async function readRun(dir: string): Promise<RunData> {
  const metaFile = requireRunDir(dir);
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (error) {
    throw new SoakError('io', `${metaFile}: ${(error as Error).message}`);
  }
  const problem = metaProblem(meta);
  if (problem) throw new SoakError('io', `${metaFile}: not a soak run's meta.json (${problem})`);
  return readRecords(dir, meta as RunMeta);
}

async function readRecords(dir: string, meta: RunMeta): Promise<RunData> {
  const node = new Map<string, NodeProbeSample[]>();
  const os = new Map<string, OsProbeSample[]>();
  const containers = new Map<string, ContainerSample[]>();
  const load: LoadInterval[] = [];
  const events: RunEvent[] = [];
  let lastT = meta.startedAt;
  const seen = (t: number) => {
    if (t > lastT) lastT = t;
  };

  const skipped: (string | undefined)[] = [];
  skipped.push(await readLines(join(dir, RunFiles.probe), 'probe', (sample) => {
    seen(sample.t);
    if (sample.source === 'node') push(node, sample.service, sample);
    else if (sample.source === 'container') push(containers, sample.service, sample);
    else push(os, sample.service, sample);
  }));
  skipped.push(await readLines(join(dir, RunFiles.load), 'load', (interval) => {
    seen(interval.t);
    load.push(interval);
  }));
  skipped.push(await readLines(join(dir, RunFiles.events), 'event', (event) => {
    seen(event.t);
    events.push(event);
  }));
  // Children that outlive the run would move its end: their exits only join the events.
  skipped.push(await readLines(join(dir, RunFiles.childExits), 'event', (event) => events.push(event)));

  const byTime = (a: { t: number }, b: { t: number }) => a.t - b.t;
  for (const list of [...node.values(), ...os.values(), ...containers.values()]) list.sort(byTime);
  load.sort(byTime);
  events.sort(byTime);
  const end = events.find((event) => event.type === 'run-end');
  const skippedRecords = skipped.filter((line): line is string => line !== undefined);
  return { dir, meta, startT: meta.startedAt, endT: end?.t ?? lastT, node, os, containers, load, events, ...(skippedRecords.length > 0 ? { skippedRecords } : {}) };
}
