import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { SoakError } from '../../core/errors.js';
import { ciRecipes, initProject, SCENARIO_FILE_NAME } from '../../init/index.js';

interface InitFlags {
  force?: boolean;
  ci?: string;
  cmd?: string;
  duration: string;
  rate: string;
}

function planFrom(flags: InitFlags): { durationMs: number; rate: number } {
  const durationMs = parseDuration(flags.duration);
  if (durationMs === undefined || durationMs < 3000) throw new SoakError('usage', `--duration: expected a duration of 3s or more like "60s" or "10m", got "${flags.duration}"`);
  const rate = Number(flags.rate);
  if (!Number.isFinite(rate) || rate <= 0) throw new SoakError('usage', `--rate: expected a positive number of requests per second, got "${flags.rate}"`);
  return { durationMs, rate };
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(`write ${SCENARIO_FILE_NAME} for the project in this directory (start command, readiness path and dependencies from package.json and a try of the service), and with --ci a workflow that gates pull requests`)
    .option('--force', `overwrite an existing ${SCENARIO_FILE_NAME} (and workflow)`)
    .addOption(new Option('--ci <ci>', 'also write a CI workflow that soaks pull requests against a baseline of main').choices(Object.keys(ciRecipes)))
    .option('--cmd <command>', 'the command that starts the service (default: the start script of package.json, else node <main>)')
    .option('--duration <d>', 'the whole ramp, steady and spike plan', '60s')
    .option('--rate <n>', 'requests per second in the steady phase (the spike sends three times as many)', '50')
    .action(async (flags: InitFlags) => {
      const plan = planFrom(flags);
      const dir = process.cwd();
      const { facts, readiness, written } = await initProject({ dir, force: flags.force, ci: flags.ci, cmd: flags.cmd, plan });
      const out = process.stdout;
      out.write(`target:  ${facts.cmd}  (${facts.cmdSource})\n`);
      out.write(`ready:   ${readiness.readyPath ?? `none found${readiness.problem ? `: ${readiness.problem}` : ''}`}\n`);
      if (facts.dependencies.length > 0) out.write(`depends: ${facts.dependencies.map((dependency) => `${dependency.kind} (${dependency.because})`).join(', ')}\n`);
      for (const path of written) out.write(`wrote    ${relative(dir, path)}\n`);
      out.write(`\nnext:    npx soak run ${SCENARIO_FILE_NAME}\n`);
    });
}
