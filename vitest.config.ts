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

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Real processes and real load: two cores cannot run many of these side by side without the timing-sensitive ones starving.
    fileParallelism: false,
    sequence: { sequencer: ContainersLast },
  },
});
