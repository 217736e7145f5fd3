/**
 * Toxics in the manner of toxiproxy: each one describes what happens to one direction of one
 * proxied connection. `upstream` is client → dependency, `downstream` is dependency → client.
 */
export type Direction = 'upstream' | 'downstream';
export type DirectionChoice = Direction | 'both';

interface ToxicCommon {
  /** Probability (0..1) that the toxic applies to a given connection; drawn once per connection. */
  toxicity?: number;
  direction?: DirectionChoice;
}

/** What a toxic does, without where and how often. */
export type ToxicSpec =
  | { type: 'latency'; latencyMs: number; jitterMs?: number }
  /** Kilobytes (1000 bytes) per second. */
  | { type: 'bandwidth'; rateKBps: number }
  /** Data stops flowing (held, not dropped); with timeoutMs the connection is closed after that long. */
  | { type: 'timeout'; timeoutMs?: number }
  /** The connection is reset (TCP RST) when the toxic applies, or afterMs later. */
  | { type: 'reset'; afterMs?: number }
  /** Data is dropped silently; the connection stays open. */
  | { type: 'blackhole' }
  /** A close (FIN) is passed on only after delayMs. */
  | { type: 'slow-close'; delayMs: number }
  /** The connection is closed once this many bytes have passed in the direction. */
  | { type: 'limit-data'; bytes: number };

export type Toxic = ToxicCommon & ToxicSpec;

export type ToxicType = Toxic['type'];

/** What a connection lets a toxic do to it when the toxic starts to apply. */
export interface LinkControl {
  /** Sends a TCP RST to the client (downstream), to the dependency (upstream) or both. */
  reset(direction: DirectionChoice): void;
  destroy(): void;
}

/**
 * The effect of one toxic on one direction; a pipe combines the effects of every toxic applied
 * to it (delays add up, the lowest rate wins, any hold or drop wins).
 */
export interface ToxicEffect {
  holds?: boolean;
  drops?: boolean;
  /** Delay for one chunk; `draw` is the chunk's own random number in [-1, 1] so jitter is stable. */
  delayMs?(draw: number): number;
  bytesPerSecond?: number;
  /** Bytes the direction may still carry, counted per connection from when the toxic applied. */
  byteLimit?: number;
  closeDelayMs?: number;
  /** Runs once per connection when the toxic starts to apply; returns what cancels it. */
  onApply?(link: LinkControl): () => void;
}

function timer(ms: number, action: () => void): () => void {
  const handle = setTimeout(action, ms);
  return () => clearTimeout(handle);
}

const effects: { [T in ToxicType]: (toxic: Extract<Toxic, { type: T }>) => ToxicEffect } = {
  latency: ({ latencyMs, jitterMs = 0 }) => ({ delayMs: (draw) => Math.max(0, latencyMs + draw * jitterMs) }),
  bandwidth: ({ rateKBps }) => ({ bytesPerSecond: rateKBps * 1000 }),
  timeout: ({ timeoutMs }) => ({
    holds: true,
    onApply: timeoutMs ? (link) => timer(timeoutMs, () => link.destroy()) : undefined,
  }),
  reset: ({ afterMs = 0, direction = 'both' }) => ({ onApply: (link) => timer(afterMs, () => link.reset(direction)) }),
  blackhole: () => ({ drops: true }),
  'slow-close': ({ delayMs }) => ({ closeDelayMs: delayMs }),
  'limit-data': ({ bytes }) => ({ byteLimit: bytes }),
};

export function toxicEffect(toxic: Toxic): ToxicEffect {
  return (effects[toxic.type] as (toxic: Toxic) => ToxicEffect)(toxic);
}

/** toxiproxy's defaults: latency-like toxics act on responses, blocking ones on both directions. */
const defaultDirection: Record<ToxicType, DirectionChoice> = {
  latency: 'downstream',
  bandwidth: 'downstream',
  'slow-close': 'downstream',
  'limit-data': 'downstream',
  timeout: 'both',
  reset: 'both',
  blackhole: 'both',
};

export function directionsOf(toxic: Toxic): Direction[] {
  const choice = toxic.direction ?? defaultDirection[toxic.type];
  return choice === 'both' ? ['upstream', 'downstream'] : [choice];
}
