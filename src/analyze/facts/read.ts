import { readMeta, readRecords, readyServices, storedScenario, type RunMeta, type RunRecord } from '../../store/index.js';
import { configFromScenario } from '../config.js';
import type { AnalysisConfig } from '../types.js';
import { RunFactsBuilder, type RunFacts } from './builder.js';

/** The analysis config a run asked for: its scenario's budgets and analysis settings over the defaults. */
export function configOf(meta: RunMeta): AnalysisConfig {
  const scenario = storedScenario(meta);
  return configFromScenario(scenario.budgets, scenario.analysis);
}

/** Services whose event loop is judged from their readiness on: those the run said it waits for, and those that said they were ready. */
export async function readyServicesOf(dir: string, meta: RunMeta): Promise<Set<string>> {
  const ready = await readyServices(dir);
  for (const service of meta.readyServices ?? []) ready.add(service);
  return ready;
}

/** Reads a run directory in one pass into its facts, judged by `config` (default: the run's own). */
export async function readRunFacts(dir: string, config?: AnalysisConfig): Promise<RunFacts> {
  const meta = readMeta(dir);
  const builder = new RunFactsBuilder({ dir, meta, config: config ?? configOf(meta), readyServices: await readyServicesOf(dir, meta) });
  const skippedRecords = await readRecords(dir, (record) => builder.add(record));
  const facts = builder.finish();
  return skippedRecords.length > 0 ? { ...facts, skippedRecords } : facts;
}

const timeOf = (record: RunRecord) => (record.kind === 'probe' ? record.sample.t : record.kind === 'load' ? record.interval.t : record.event.t);
const ORDER: Record<RunRecord['kind'], number> = { event: 0, probe: 1, load: 2 };

/** Facts of records held in memory (tests, tools), put in time order as the reader would. */
export function factsOf(dir: string, meta: RunMeta, records: readonly RunRecord[], config: AnalysisConfig = configOf(meta)): RunFacts {
  const ready = records.flatMap((record) => (record.kind === 'event' && record.event.type === 'service-ready' ? [record.event.service] : []));
  const builder = new RunFactsBuilder({ dir, meta, config, readyServices: ready });
  const ordered = [...records].sort((a, b) => timeOf(a) - timeOf(b) || ORDER[a.kind] - ORDER[b.kind]);
  for (const record of ordered) builder.add(record);
  return builder.finish();
}
