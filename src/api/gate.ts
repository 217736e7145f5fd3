import type { GateOptions, GateOutput } from '../gate/index.js';

/** A finished run judged as `soak gate` does: its budgets, findings and (with a baseline) regressions; writes junit.xml and summary.md. */
export async function gate(options: GateOptions): Promise<GateOutput> {
  const { gateRun } = await import('../gate/index.js');
  return gateRun(options);
}
