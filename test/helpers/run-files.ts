import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunFiles } from '../../src/store/records.js';
import type { RunRecords } from '../analyze/run-builder.js';

const lines = (records: readonly object[]) => records.map((record) => `${JSON.stringify(record)}\n`).join('');

/**
 * Writes a synthetic run into a run directory as a live run does, a stretch at a time: each call
 * appends the records after `from` up to `to` (epoch ms), events up to `to`, probe samples and load
 * intervals up to `to - lagMs` (the appender's flush delay). meta.json is written with the first stretch.
 */
export function appendRunFiles(dir: string, run: RunRecords, from: number, to: number, lagMs = 0): void {
  if (from === -Infinity) writeFileSync(join(dir, RunFiles.meta), JSON.stringify(run.meta, null, 2));
  const within = <T extends { t: number }>(records: readonly T[], until: number, after = from - lagMs) => records.filter((record) => record.t > after && record.t <= until);
  appendFileSync(join(dir, RunFiles.events), lines(within(run.events, to, from)));
  appendFileSync(join(dir, RunFiles.probe), lines(within([...run.node, ...run.os].sort((a, b) => a.t - b.t), to - lagMs)));
  appendFileSync(join(dir, RunFiles.load), lines(within(run.load, to - lagMs)));
}

/** The whole run at once, as a finished run leaves it. */
export function writeRunFiles(dir: string, run: RunRecords): void {
  appendRunFiles(dir, run, -Infinity, Infinity);
}
