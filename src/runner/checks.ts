import type { ServiceHandle } from '../runtime/types.js';
import type { Scenario } from '../scenario/types.js';
import type { RunEvent } from '../store/records.js';

/** Runs the scenario's invariant checks after the load; each result becomes a `check` event. */
export async function runChecks(
  scenario: Scenario,
  services: Map<string, ServiceHandle>,
  env: Record<string, string>,
  event: (record: RunEvent) => void,
): Promise<void> {
  const context = {
    services: Object.fromEntries([...services.entries()].map(([name, handle]) => [name, { url: handle.url, port: handle.port }])),
    env,
  };
  for (const check of scenario.checks) {
    try {
      const result = await check.run(context);
      event({ t: Date.now(), type: 'check', check: check.name, ok: result.ok, detail: { kind: check.kind, message: result.message, ...result.detail } });
    } catch (error) {
      event({ t: Date.now(), type: 'check', check: check.name, ok: false, detail: { kind: check.kind, message: `the check threw: ${(error as Error).message}` } });
    }
  }
}
