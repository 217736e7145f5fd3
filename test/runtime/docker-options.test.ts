import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/wiring/index.js';

const base = {
  name: 'demo',
  target: { cmd: 'node server.js' },
  dependencies: [{ kind: 'postgres' }],
  load: { path: '/', phases: [{ duration: '10s', rate: 10 }] },
};

function messageOf(input: unknown): string {
  try {
    resolveScenario(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('choosing the docker runtime', () => {
  it('runs targets and dependencies locally unless told otherwise', () => {
    const scenario = resolveScenario(base);
    expect([scenario.targets[0]!.runtime, scenario.dependencies[0]!.runtime]).toEqual(['local', 'local']);
  });

  it('a scenario-level runtime moves targets and dependencies that name none into containers', () => {
    const scenario = resolveScenario({ ...base, runtime: 'docker' });
    expect(scenario.targets[0]).toMatchObject({ runtime: 'docker', options: { cmd: 'node server.js' } });
    expect(scenario.dependencies[0]).toMatchObject({ kind: 'postgres', runtime: 'docker' });
  });

  it('--runtime docker overrides the scenario; a service that names its runtime keeps it', () => {
    const scenario = resolveScenario({ ...base, dependencies: [{ kind: 'postgres', runtime: 'local' }] }, undefined, { runtime: 'docker' });
    expect([scenario.targets[0]!.runtime, scenario.dependencies[0]!.runtime]).toEqual(['docker', 'local']);
  });

  it('validates docker options with one line naming the field', () => {
    const docker = (target: object) => messageOf({ ...base, dependencies: [], target: { runtime: 'docker', ...target } });
    expect(docker({ cmd: undefined, image: 'api:1', build: './api' })).toBe('target.build: give image or build, not both');
    expect(docker({ cmd: undefined })).toBe("target.cmd: required: a command to run in soak's Node image, or give image or build");
    expect(docker({ image: 'api:1', cwd: '/srv' })).toBe("target.cwd: only without image or build (it is mounted into soak's Node image)");
    expect(messageOf({ ...base, runtime: 'podman' })).toMatch(/^unknown runtime "podman" \(known: local, external, docker\)$/);
    expect(messageOf({ ...base, dependencies: [{ kind: 'mysql', runtime: 'docker' }] })).toBe('unknown dependency kind "mysql" (known: postgres, redis)');
  });
});
