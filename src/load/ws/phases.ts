import { SoakError } from '../../core/errors.js';
import type { Phase } from '../types.js';

export interface PhasePosition {
  index: number;
  phase: Phase;
  /** How many connections the phase asks for at this moment (a ramp moves linearly). */
  connections: number;
}

/** A WebSocket stream holds connections; a phase with only an arrival rate means nothing to it. */
export function assertConnectionPhases(phases: Phase[], stream: string): void {
  phases.forEach((phase, index) => {
    if (phase.connections === undefined) {
      throw new SoakError('scenario', `load "${stream}".phases[${index}]: a ws stream holds connections: give connections (held at once), not rate`);
    }
  });
}

export function maxConnections(phases: Phase[]): number {
  return Math.max(...phases.map((phase) => (Array.isArray(phase.connections) ? Math.max(...phase.connections) : phase.connections ?? 0)));
}

/** Where `elapsedMs` falls in the phases; undefined once they are all over. */
export function phaseAt(phases: Phase[], elapsedMs: number): PhasePosition | undefined {
  let start = 0;
  for (const [index, phase] of phases.entries()) {
    if (elapsedMs < start + phase.durationMs) {
      const progress = (elapsedMs - start) / phase.durationMs;
      const [from, to] = Array.isArray(phase.connections) ? phase.connections : [phase.connections ?? 0, phase.connections ?? 0];
      return { index, phase, connections: Math.round(from + (to - from) * progress) };
    }
    start += phase.durationMs;
  }
  return undefined;
}
