import { expect } from 'vitest';
import { SoakError } from '../../src/core/errors.js';
import { resolveScenario } from '../../src/wiring/index.js';

/** The one-line message a scenario is rejected with; fails the test when it is accepted. */
export function rejectionOf(input: unknown): string {
  try {
    resolveScenario(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SoakError);
    return (error as SoakError).message;
  }
  throw new Error('expected the scenario to be rejected');
}
