import type { RunFacts } from './builder.js';
import type { EndpointCell, LoadCell } from './load.js';
import { inWindow } from './spans.js';
import { LoadTally } from './tally.js';

/** Every figure over a window is a sum of cells: a stream's phases that the window names (by name or kind). */
export function cellsIn(facts: RunFacts, window: readonly string[] | undefined, stream?: string): LoadCell[] {
  const cells: LoadCell[] = [];
  for (const cell of facts.load.cells.values()) {
    if (stream !== undefined && cell.stream !== stream) continue;
    if (inWindow(window, cell.phase, kindOf(facts, cell.stream, cell.phase))) cells.push(cell);
  }
  return cells;
}

export function endpointCellsIn(facts: RunFacts, endpoint: string, window: readonly string[] | undefined): EndpointCell[] {
  return [...facts.load.endpointCells.values()].filter((cell) => cell.endpoint === endpoint && inWindow(window, cell.phase, kindOf(facts, cell.stream, cell.phase)));
}

export function kindOf(facts: RunFacts, stream: string, phase: string): string | undefined {
  for (let i = facts.phases.length - 1; i >= 0; i -= 1) {
    const span = facts.phases[i]!;
    if (span.stream === stream && span.phase === phase) return span.kind;
  }
  return undefined;
}

export const tallyOf = (cells: readonly { tally: LoadTally }[]): LoadTally => LoadTally.of(cells.map((cell) => cell.tally));

/** Each stream's tally of the cells, in the order the streams were first seen. */
export function byStream(cells: readonly LoadCell[]): Map<string, LoadTally> {
  const streams = new Map<string, LoadTally>();
  for (const cell of cells) {
    let tally = streams.get(cell.stream);
    if (!tally) streams.set(cell.stream, (tally = new LoadTally()));
    tally.addTally(cell.tally);
  }
  return streams;
}

/** Names of the endpoints the run recorded figures for. */
export function endpointNames(facts: RunFacts): string[] {
  return [...new Set([...facts.load.endpointCells.values()].map((cell) => cell.endpoint))];
}
