import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The container suites (the docker runtime's, the swarm engine's) run last: `.ci/run` builds the images they use in the background while the
 * rest of the suite runs, and those suites wait for that build (test/helpers/docker.ts).
 */
class ContainersLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const usesContainers = (file: TestSpecification) => /[\\/]test[\\/](runtime[\\/]docker[^\\/]*|distributed[\\/]swarm)\.test\.ts$/.test(file.moduleId);
    return [...sorted.filter((file) => !usesContainers(file)), ...sorted.filter(usesContainers)];
  }
}

/**
 * Files that start no process, open no socket and time nothing: their tests are pure functions on
 * synthetic records, so two of them side by side cannot starve each other. Most of their cost is
 * loading modules, which two workers halve. A file goes here only when it stays that way; any other
 * file runs with the real-process files, one at a time.
 */
const inProcess = [
  'test/layers.test.ts',
  'test/analyze/{analyze,budgets,crash-loop,error-rate,event-loop-blocked,facts,growth,handle-leak,heap-findings,host-contention,latency-budget,live-judge,memory-leak,pool-exhaustion,regression,stats,target-crash}.test.ts',
  'test/bench/{corpus-score,doc-section}.test.ts',
  'test/core/{format,hdr}.test.ts',
  'test/faults/fault-detectors.test.ts',
  'test/init/project.test.ts',
  'test/live/{grafana,metrics}.test.ts',
  'test/load/{http-options,phases,template}.test.ts',
  'test/report/{cards,downsample,evidence-figures,html,summary}.test.ts',
  'test/runtime/docker-options.test.ts',
  'test/scenario/validation.test.ts',
  'test/store/tail.test.ts',
];

/**
 * Real-process files whose every assertion is an exit code, a message, a file or a count of crashes,
 * and whose runs either fail before any load or are too short for a detector to judge (a process's
 * first 3 s are not): a neighbour's CPU can slow them, not change what they assert. None of them
 * cleans up after a soak that is gone (that would blur whose cleanup a test saw), and each counts
 * only the processes its own worker started (test/setup.ts).
 */
const lifecycle = [
  'test/cli/{contract,crash-loop,dashboard-flags,report-errors}.test.ts',
  'test/scenario/{errors,limits}.test.ts',
  'test/store/run-files.test.ts',
];

/**
 * End-to-end accuracy checks of several minutes each: real services judged over real runs, side by
 * side (memory of every kind against the load, gate and compare on the seed targets, the seed
 * scenarios in containers against the local runtime). Together they would take CI past its 20 minutes,
 * so they run with `npm run test:heavy` (SOAK_TEST_HEAVY=1), like the benches, and not in `npm test`.
 */
const heavy = ['test/cli/memory.test.ts', 'test/cli/gc-pause.test.ts', 'test/cli/host-contention.test.ts', 'test/gate/seed-comparisons.test.ts', 'test/runtime/docker-scenarios.test.ts'];
const runHeavy = process.env.SOAK_TEST_HEAVY === '1';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    sequence: { sequencer: ContainersLast },
    projects: [
      {
        extends: true,
        // groupOrder: this group ends before the real-process files start, so none of them meets it.
        test: { name: 'in-process', include: inProcess, maxWorkers: 2, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'lifecycle', include: lifecycle, maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: 'real-process',
          include: ['test/**/*.test.ts'],
          exclude: [...inProcess, ...lifecycle, ...(runHeavy ? [] : heavy)],
          // Real processes and real load: two cores cannot run many of these side by side without the timing-sensitive ones starving.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
