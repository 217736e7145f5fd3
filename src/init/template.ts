import type { ProjectFacts } from './project.js';
import { readinessCandidates, type ReadinessProbe } from './readiness.js';

export interface PlanOptions {
  /** The whole plan: ramp, steady and spike together. */
  durationMs: number;
  /** Requests per second in the steady phase; the spike sends three times as many. */
  rate: number;
}

export const defaultPlan: PlanOptions = { durationMs: 60_000, rate: 50 };

const formatDuration = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A quarter of the plan ramps up: the warm-up that trend and regression checks skip. */
const rampMs = (plan: PlanOptions) => Math.round(plan.durationMs / 4 / 100) * 100;

/** The ramp, a spike at three times the rate over a sixth of the plan, and steady load in between. */
function phases(plan: PlanOptions): string[] {
  const ramp = rampMs(plan);
  const spike = Math.round(plan.durationMs / 6 / 100) * 100;
  const steady = plan.durationMs - ramp - spike;
  return [
    `{ kind: 'ramp', duration: '${formatDuration(ramp)}', rate: [${Math.max(1, Math.round(plan.rate / 10))}, ${plan.rate}] },`,
    `{ kind: 'steady', duration: '${formatDuration(steady)}', rate: ${plan.rate} },`,
    `{ kind: 'spike', duration: '${formatDuration(spike)}', rate: ${plan.rate * 3} },`,
  ];
}

function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** soak.scenario.ts for a project: what soak init writes. */
export function renderScenario(facts: ProjectFacts, readiness: ReadinessProbe, plan: PlanOptions = defaultPlan): string {
  const loadPath = readiness.rootAnswers || !readiness.readyPath ? '/' : readiness.readyPath;
  const unready = readiness.problem
    ? `not probed: ${readiness.problem.replace(/\s+/g, ' ')}`
    : `none of ${readinessCandidates.join(', ')} answered 2xx: soak waits for the port to accept connections instead`;
  const ready = readiness.readyPath
    ? `    ready: { path: '${readiness.readyPath}' }, // answered 2xx when soak init tried it`
    : `    // ready: { path: '/health' }, // ${unready}`;
  const dependencies = facts.dependencies.length
    ? [
        '  // Throwaway instances on free loopback ports, handed to the service by env (DATABASE_URL and PG*, REDIS_URL).',
        '  dependencies: [',
        ...facts.dependencies.map((dependency) => `    { kind: '${dependency.kind}' }, // package.json has ${dependency.because}`),
        '  ],',
      ]
    : [];
  return [
    "import { defineScenario } from 'soak-harness';",
    '',
    '/** Written by soak init: run it with `npx soak run soak.scenario.ts`, then make the load look like your traffic. */',
    'export default defineScenario({',
    `  name: ${stringLiteral(facts.name)},`,
    '  target: {',
    `    // From ${facts.cmdSource}. soak passes a free loopback port as PORT: the service must listen on it.`,
    `    cmd: ${stringLiteral(facts.cmd)},`,
    ready,
    '  },',
    ...dependencies,
    '  load: {',
    "    kind: 'http',",
    '    // The requests your users send: add endpoints with a weight, a method and a body; {{random}} is a fresh id.',
    `    requests: [{ method: 'GET', path: '${loadPath}' }],`,
    `    // ${formatDuration(plan.durationMs)} in all; a soak test runs its steady phase for hours (kind: 'soak', duration: '8h').`,
    '    phases: [',
    ...phases(plan).map((line) => `      ${line}`),
    '    ],',
    '  },',
    `  analysis: { warmup: '${formatDuration(rampMs(plan))}' }, // trend detectors and regression checks leave out the ramp`,
    '  // What the run must hold (soak gate judges them again in CI). The commented ones are off until you set them.',
    '  budgets: {',
    "    p99: '500ms', // 99th-percentile latency over the whole run",
    '    errorRate: 0.01, // errors and timeouts over requests sent (the default)',
    '    // minThroughput: ' + Math.round(plan.rate * 0.9) + ', // completed req/s, a floor',
    "    // phases: ['steady'], // judge the load budgets over the steady phase only",
    '    // heapGrowthMBPerHour: 20, // post-GC heap growth',
    "    // eventLoopP99: '50ms',",
    "    // eventLoopMax: '100ms',",
    '    // abortOnFail: true, // stop the run as soon as a budget is broken',
    '  },',
    '});',
    '',
  ].join('\n');
}
