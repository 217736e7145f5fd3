import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SoakError } from '../../core/errors.js';
import { faultKinds } from '../../faults/index.js';

/** `target=postgres duration=10s toxicity=0.5`: numbers and booleans as such, everything else as written. */
function parseFields(pairs: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z][\w-]*)=(.*)$/s.exec(pair);
    if (!match) throw new SoakError('usage', `fault field "${pair}": expected key=value, e.g. target=postgres or duration=10s`);
    const [, key, raw] = match;
    fields[key!] = /^-?\d+(\.\d+)?$/.test(raw!) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw;
  }
  return fields;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function registerFault(program: Command): void {
  program
    .command('fault')
    .description('inject a fault into a run while it is live, as the scenario\'s faults are (logged, shaded in the report, analysed)')
    .argument('<run-dir>', 'the directory of a run that is going on')
    .argument('<kind>', `the fault kind (${faultKinds.names().join(', ')})`)
    .argument('[fields...]', 'its fields as in a scenario, key=value: target=postgres duration=10s')
    .option('--name <name>', 'the name it gets in the run (default: <kind>-live-<n>)')
    .addHelpText('after', '\nExamples:\n  npx soak fault reports/my-run pause target=postgres duration=10s\n  npx soak fault reports/my-run latency target=postgres latency=200ms jitter=50ms duration=30s')
    .action(async (dir: string, kind: string, pairs: string[], flags: { name?: string }) => {
      const { requestFault } = await import('../../runner/live-faults.js');
      const answer = await requestFault(resolve(dir), { kind, fields: parseFields(pairs), ...(flags.name ? { name: flags.name } : {}) });
      const lasts = answer.durationMs !== undefined ? `ends after ${seconds(answer.durationMs)}` : 'lasts until the run ends';
      process.stdout.write(`fault ${answer.name} (${answer.kind}) began on ${answer.target} at +${seconds(answer.atMs)}; ${lasts}\n`);
    });
}
