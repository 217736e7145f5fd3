import type { Socket } from 'node:net';
import type { ToxicEffect } from './toxics.js';

/** Past this many queued bytes the pipe stops reading its source, so TCP backpressure reaches the sender. */
const HIGH_WATER_BYTES = 1 << 20;
const lowWaterBytes = HIGH_WATER_BYTES / 4;
/** Bandwidth is paced in slices this long, so a big chunk does not leave in one burst. */
const PACE_SLICE_MS = 50;

interface Chunk {
  data?: Buffer;
  /** The source's FIN, queued behind its data so order and delays hold for it too. */
  end?: true;
  arrivedAt: number;
  draw: number;
}

/** One applied toxic as this pipe sees it: its effect and, for limit-data, what is left of its budget. */
export interface PipeToxic {
  effect: ToxicEffect;
  bytesLeft?: number;
}

/**
 * One direction of a proxied connection: reads `source`, applies the toxics that currently
 * apply, writes `sink`. Chunks leave strictly in arrival order; toxics may change at any time
 * (`wake` makes the pipe re-read them).
 */
export class Pipe {
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private wakeUp: (() => void) | undefined;
  private lastReleaseAt = 0;
  private paceFreeAt = 0;
  private closed = false;

  constructor(
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly toxics: () => PipeToxic[],
    /** limit-data spent: the whole connection closes. */
    private readonly onLimit: () => void,
  ) {
    source.on('data', (data: Buffer) => this.push({ data, arrivedAt: performance.now(), draw: Math.random() * 2 - 1 }));
    source.on('end', () => this.push({ end: true, arrivedAt: performance.now(), draw: Math.random() * 2 - 1 }));
    void this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private push(chunk: Chunk): void {
    this.queue.push(chunk);
    this.queuedBytes += chunk.data?.length ?? 0;
    if (this.queuedBytes > HIGH_WATER_BYTES) this.source.pause();
    this.wake();
  }

  private shift(): void {
    const chunk = this.queue.shift();
    this.queuedBytes -= chunk?.data?.length ?? 0;
    if (this.queuedBytes < lowWaterBytes && this.source.isPaused()) this.source.resume();
  }

  /** Waits ms (forever when Infinity) or until woken by new data, a toxic change or close. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let handle: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(handle);
        this.wakeUp = undefined;
        resolve();
      };
      if (Number.isFinite(ms)) handle = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const chunk = this.queue[0];
      if (!chunk) {
        await this.sleep(Infinity);
        continue;
      }
      const waitMs = this.waitFor(chunk);
      if (waitMs > 0) {
        await this.sleep(waitMs);
        continue;
      }
      if (chunk.end) {
        this.shift();
        this.sink.end();
        return;
      }
      await this.forward(chunk);
    }
  }

  /** How long the head chunk must still wait under the current toxics (Infinity while held). */
  private waitFor(chunk: Chunk): number {
    const now = performance.now();
    const toxics = this.toxics();
    if (toxics.some((toxic) => toxic.effect.holds)) return Infinity;
    const delay = toxics.reduce((sum, toxic) => sum + (toxic.effect.delayMs?.(chunk.draw) ?? 0), 0);
    const releaseAt = Math.max(this.lastReleaseAt, chunk.arrivedAt + delay);
    if (releaseAt > now) return releaseAt - now;
    if (chunk.end) {
      const closeDelay = Math.max(0, ...toxics.map((toxic) => toxic.effect.closeDelayMs ?? 0));
      return chunk.arrivedAt + delay + closeDelay - now;
    }
    if (toxics.some((toxic) => toxic.effect.bytesPerSecond !== undefined)) return this.paceFreeAt - now;
    return 0;
  }

  private async forward(chunk: Chunk): Promise<void> {
    const toxics = this.toxics();
    this.lastReleaseAt = performance.now();
    if (toxics.some((toxic) => toxic.effect.drops)) {
      this.shift();
      return;
    }
    let data = chunk.data!;
    const rate = Math.min(...toxics.map((toxic) => toxic.effect.bytesPerSecond ?? Infinity));
    if (Number.isFinite(rate)) {
      const slice = Math.max(1, Math.floor((rate * PACE_SLICE_MS) / 1000));
      if (data.length > slice) {
        chunk.data = data.subarray(slice);
        this.queuedBytes -= slice;
        data = data.subarray(0, slice);
      } else {
        this.shift();
      }
      this.paceFreeAt = Math.max(this.paceFreeAt, this.lastReleaseAt) + (data.length / rate) * 1000;
    } else {
      this.shift();
    }
    const limited = toxics.filter((toxic) => toxic.bytesLeft !== undefined);
    const allowed = Math.min(data.length, ...limited.map((toxic) => toxic.bytesLeft!));
    for (const toxic of limited) toxic.bytesLeft! -= allowed;
    if (allowed < data.length || limited.some((toxic) => toxic.bytesLeft === 0)) {
      this.sink.write(data.subarray(0, allowed));
      this.onLimit();
      return;
    }
    if (!this.sink.write(data)) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.sink.off('drain', done);
        this.sink.off('close', done);
        resolve();
      };
      this.sink.on('drain', done);
      this.sink.on('close', done);
    });
  }
}
