import { z } from 'zod';
import { CONNECTIONS_CAP_MESSAGE, MAX_CONNECTIONS_PER_STREAM, MAX_RATE_PER_STREAM, RATE_CAP_MESSAGE } from '../core/limits.js';
import { durationMs, fraction, nonNegativeNumber, positiveInt, positiveNumber, rampable, serviceName } from '../core/fields.js';
import type { CheckContext, CheckResult } from './types.js';

export const phaseSchema = z
  .object({
    name: z.string().optional(),
    kind: z.enum(['ramp', 'steady', 'spike', 'soak'], { error: 'expected one of ramp, steady, spike, soak' }).default('steady'),
    duration: durationMs,
    rate: rampable(positiveNumber, MAX_RATE_PER_STREAM, RATE_CAP_MESSAGE).optional(),
    connections: rampable(positiveInt, MAX_CONNECTIONS_PER_STREAM, CONNECTIONS_CAP_MESSAGE).optional(),
  })
  .strict()
  .refine((phase) => (phase.rate === undefined) !== (phase.connections === undefined), {
    message: 'give either rate (open model, req/s) or connections (closed model), not both or neither',
  });

/** Fields common to every service; the runtime named in `runtime` validates the rest (cmd, image...). */
export const serviceSchema = z
  .object({
    name: serviceName.default('target'),
    /** Where it runs: local (a process), docker (a container), external (already running). Default: the scenario's runtime. */
    runtime: z.string().optional(),
    env: z.record(z.string(), z.string()).default({}),
    /** "auto": soak picks a free loopback port and passes it as PORT. false: the service listens on none. */
    port: z.union([z.literal('auto'), z.literal(false), z.number().int().min(1).max(65535)]).default('auto'),
    ready: z
      .object({
        /** HTTP path that must answer (any status < 500); without it, the port accepting connections is enough. */
        path: z.string().startsWith('/').optional(),
        timeout: durationMs.default(30_000),
      })
      .strict()
      .default({ timeout: 30_000 }),
    /** Inject the Node probe (NODE_OPTIONS=--require). Turn off for non-Node services: they are still sampled from the OS. */
    probe: z.boolean().default(true),
  })
  .loose();

export const dependencySchema = z
  .object({
    kind: z.string({ error: 'expected a dependency kind such as "postgres" or "redis"' }),
    name: serviceName.optional(),
    /** local (a process) or docker (a container). Default: the scenario's runtime. */
    runtime: z.string().optional(),
  })
  .loose();

export const loadStreamSchema = z
  .object({
    kind: z.string().default('http'),
    name: z.string().optional(),
    /** Which service receives this load (default: the first target). */
    target: serviceName.optional(),
    phases: z.array(phaseSchema, { error: 'expected a list of phases' }).min(1, { error: 'expected at least one phase' }),
    /** Driver threads that send this stream, each its share (default: from its load and the cores, see load/threads/sizing.ts). */
    workers: positiveInt.max(256, { error: 'expected at most 256 workers' }).optional(),
    /** soak worker processes that send this stream, each its share on `workers` threads (see src/distributed). */
    processes: positiveInt.max(1024, { error: 'expected at most 1024 processes' }).optional(),
    /** Where those processes run: local (this machine; the default with more than one), swarm, kubernetes. */
    engine: z.string().optional(),
  })
  .loose();

/** Phase names (or kinds) a budget is judged over, e.g. ["steady"]: ramps and spikes left out. */
export const budgetWindow = z.array(z.string(), { error: 'expected a list of phase names or kinds' }).min(1, { error: 'expected at least one phase' });

/** Budgets of the load itself, judged over the window (every phase when none is given). */
const loadBudgetFields = {
  p50: durationMs.optional(),
  p90: durationMs.optional(),
  p99: durationMs.optional(),
  max: durationMs.optional(),
  errorRate: fraction.optional(),
  /** Least successful (non-5xx) responses per second over the window. */
  minThroughput: positiveNumber.optional(),
  phases: budgetWindow.optional(),
};

export const streamBudgetsSchema = z.object(loadBudgetFields).strict();

/** An endpoint's budgets: its latency and error rate (throughput is the stream's). */
export const endpointBudgetsSchema = streamBudgetsSchema.omit({ minThroughput: true });

export const budgetsSchema = z
  .object({
    ...loadBudgetFields,
    heapGrowthMBPerHour: nonNegativeNumber.optional(),
    eventLoopP99: durationMs.optional(),
    eventLoopMax: durationMs.optional(),
    /** Longest acceptable stall caused by a garbage collection (otherwise a gc-pause finding is a warning). */
    gcPause: durationMs.optional(),
    /** Longest acceptable time from the end of a fault until throughput and p99 are back to the pre-fault baseline. */
    recovery: durationMs.optional(),
    /** Most callers that may wait for a pool connection at once (0: none may wait), judged over the window. */
    poolWaiting: nonNegativeNumber.optional(),
    /** Load budgets of single streams, by stream name, judged on their own. */
    streams: z.record(z.string(), streamBudgetsSchema).optional(),
    /** Latency and error budgets of single endpoints (an http request's `name`), by name, over every stream that sends it. */
    endpoints: z.record(z.string(), endpointBudgetsSchema).optional(),
    /** Stop the run as soon as a budget is broken beyond recovery (latency, error rate, pool waiting, event loop; per stream and endpoint too) instead of running to the end. */
    abortOnFail: z.boolean().optional(),
  })
  .strict();

export const analysisSchema = z
  .object({
    /** Trend detectors skip this much of the start (JIT, caches filling, pools opening). */
    warmup: durationMs.optional(),
    /** Significance level for trend tests. */
    alpha: fraction.optional(),
    minLeakMBPerHour: nonNegativeNumber.optional(),
    /** Heap snapshots to name what leaks: true at 20/60/95% of the load, false never; unset, only once a memory leak shows during the run. */
    heapSnapshots: z.boolean().optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string({ error: 'expected a scenario name' }).regex(/^[A-Za-z0-9._-]+$/, {
      error: 'expected letters, digits, dot, dash or underscore',
    }),
    description: z.string().optional(),
    /** Where targets and dependencies run unless they say otherwise: local (default) or docker. `soak run --runtime` overrides it. */
    runtime: z.string().optional(),
    target: serviceSchema.optional(),
    targets: z.array(serviceSchema).min(1).optional(),
    dependencies: z.array(dependencySchema).default([]),
    load: z.union([loadStreamSchema, z.array(loadStreamSchema).min(1)]),
    budgets: budgetsSchema.default({}),
    analysis: analysisSchema.default({}),
    sampleInterval: durationMs.default(1000),
    faults: z.array(z.object({ kind: z.string(), name: z.string().optional(), at: durationMs }).loose()).default([]),
    checks: z
      .array(
        z
          .object({
            name: z.string(),
            kind: z.string().default('data-loss'),
            run: z.custom<(context: CheckContext) => Promise<CheckResult>>((value) => typeof value === 'function', {
              message: 'expected a function (context) => Promise<{ ok, detail? }>',
            }),
          })
          .strict(),
      )
      .default([]),
    /** Send load to non-loopback addresses: only with the user's explicit consent. */
    allowRemote: z.boolean().default(false),
  })
  .strict()
  .refine((scenario) => (scenario.target === undefined) !== (scenario.targets === undefined), {
    message: 'give either target or targets',
  });

/** What a scenario file may contain (durations as text, defaults omitted). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioParsed = z.output<typeof scenarioSchema>;
