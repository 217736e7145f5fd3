import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SoakError } from '../core/errors.js';
import { READABLE_RECORDS_VERSIONS, RunFiles, type RunMeta } from './records.js';

/**
 * meta.json as this soak writes it, checked when read back: the scenario's budgets and analysis
 * settings in their resolved form (durations in ms), the phases, the host. A directory written with
 * another layout of the records is refused in one line rather than half-read.
 */
const ms = z.number().min(0);
const window = z.array(z.string()).min(1);
const loadBudgets = {
  p50: ms.optional(),
  p90: ms.optional(),
  p99: ms.optional(),
  max: ms.optional(),
  errorRate: z.number().min(0).max(1).optional(),
  minThroughput: z.number().positive().optional(),
  phases: window.optional(),
};

export const storedBudgetsSchema = z
  .object({
    ...loadBudgets,
    heapGrowthMBPerHour: ms.optional(),
    eventLoopP99: ms.optional(),
    eventLoopMax: ms.optional(),
    gcPause: ms.optional(),
    recovery: ms.optional(),
    poolWaiting: ms.optional(),
    streams: z.record(z.string(), z.object(loadBudgets)).optional(),
    endpoints: z.record(z.string(), z.object(loadBudgets).omit({ minThroughput: true })).optional(),
    abortOnFail: z.boolean().optional(),
  })
  .strict();

export const storedAnalysisSchema = z
  .object({ warmup: ms.optional(), alpha: z.number().min(0).max(1).optional(), minLeakMBPerHour: ms.optional(), heapSnapshots: z.boolean().optional() })
  .strict();

const storedScenarioSchema = z
  .object({
    budgets: storedBudgetsSchema.default({}),
    analysis: storedAnalysisSchema.default({}),
    load: z.array(z.object({ name: z.string(), target: z.string().optional(), phases: z.array(z.object({ name: z.string(), kind: z.string(), durationMs: ms })) }).loose()).default([]),
  })
  .loose();

export const metaSchema = z.object({
  recordsVersion: z.number().refine((version) => READABLE_RECORDS_VERSIONS.includes(version)),
  soakVersion: z.string(),
  name: z.string(),
  scenarioFile: z.string().optional(),
  startedAt: z.number(),
  plannedMs: ms,
  sampleIntervalMs: z.number().positive(),
  scenario: storedScenarioSchema,
  host: z.object({
    node: z.string(),
    platform: z.string(),
    cpus: z.number().int().positive(),
    hostname: z.string(),
    totalMemory: z.number().positive(),
    memoryLimit: z.number().positive().optional(),
  }),
  readyServices: z.array(z.string()).optional(),
});

/** The part of the stored scenario the analysis reads. */
export type StoredScenario = z.output<typeof storedScenarioSchema>;

/** Throws the usage error every command gives for a directory soak did not write; returns its meta.json path. */
export function requireRunDir(dir: string): string {
  const metaFile = join(dir, RunFiles.meta);
  if (!existsSync(metaFile)) throw new SoakError('usage', `${dir} is not a soak run directory (no ${RunFiles.meta})`);
  return metaFile;
}

/** The scenario part of a meta.json, validated. */
export function storedScenario(meta: RunMeta): StoredScenario {
  return storedScenarioSchema.parse(meta.scenario);
}

export function readMeta(dir: string): RunMeta {
  const metaFile = requireRunDir(dir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (error) {
    throw new SoakError('io', `${metaFile}: ${(error as Error).message}`);
  }
  const version = (raw as { recordsVersion?: unknown; soakVersion?: unknown } | null) ?? {};
  if (typeof version.recordsVersion !== 'number' || !READABLE_RECORDS_VERSIONS.includes(version.recordsVersion)) {
    const by = typeof version.soakVersion === 'string' ? `soak ${version.soakVersion}` : 'another soak';
    throw new SoakError('usage', `${dir} was written by ${by} with records of version ${String(version.recordsVersion ?? 1)}; this soak reads version ${[...READABLE_RECORDS_VERSIONS].reverse().join(' or ')} (run it again, or report it with the soak that wrote it)`);
  }
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SoakError('usage', `${metaFile}: ${issue.path.join('.') || '(meta)'}: ${issue.message}`);
  }
  return { ...parsed.data, scenario: raw && typeof raw === 'object' ? (raw as { scenario: unknown }).scenario : {} } as RunMeta;
}
