import { wholeStream, type Share } from '../share.js';
import { Client, type ClientSettings } from './client.js';

/** How often the end of the load closes its next connections. */
const CLOSE_STEP_MS = 20;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens and closes connections to follow a target count, never opening faster than connectRate. */
export class ClientPool {
  /** How many connections the current phase asks for. */
  target = 0;
  private readonly clients = new Set<Client>();
  /** Clients not closing: counted as they come and go, so a tick costs nothing per connection held. */
  private live = 0;
  private tokens = 1;
  private lastTick = performance.now();
  private opened = 0;
  private seq = 0;
  private readonly settings: ClientSettings;

  /** Connection numbers ({{conn}}) and {{seq}} count up across the whole stream: this share's are index, index + count, ... */
  constructor(
    settings: Omit<ClientSettings, 'nextSeq' | 'closing'>,
    private readonly share: Share = wholeStream,
  ) {
    this.seq = share.index + 1 - share.count;
    this.settings = { ...settings, nextSeq: () => (this.seq += share.count), closing: () => (this.live -= 1) };
  }

  tick(): void {
    const now = performance.now();
    const { connectRate } = this.settings.options;
    // A short burst allowance so a slow tick does not lose its share; no more, or a ramp would jump.
    this.tokens = Math.min(this.tokens + (connectRate * (now - this.lastTick)) / 1000, Math.max(1, connectRate / 10));
    this.lastTick = now;
    const live = this.live;
    if (live > this.target) {
      let surplus = live - this.target;
      for (const client of this.clients) {
        if (surplus === 0) break;
        if (client.closing) continue;
        client.close();
        surplus -= 1;
      }
      return;
    }
    const opening = Math.min(Math.floor(this.tokens), this.target - live);
    for (let i = 0; i < opening; i++) this.clients.add(new Client(this.opened++ * this.share.count + this.share.index, this.settings, (gone) => this.forget(gone)));
    this.live += opening;
    this.tokens -= opening;
  }

  private forget(gone: Client): void {
    this.clients.delete(gone);
    // Closed without soak asking (the server, an error): it stopped counting only now.
    if (!gone.closing) this.live -= 1;
  }

  sweep(): void {
    const now = performance.now();
    for (const client of this.clients) client.sweep(now);
  }

  state(): { open: number; inflight: number } {
    let open = 0;
    let inflight = 0;
    for (const client of this.clients) {
      if (client.state === 'open') open += 1;
      inflight += client.awaiting;
    }
    return { open, inflight };
  }

  /**
   * Ends the load: closes every connection with a close frame, at connectRate as they were opened
   * (closing thousands at once is a burst of work soak would make the target do, and then blame on
   * it), then drops those that do not finish within graceMs. Stops at once, dropping the rest, when
   * `stop` is aborted.
   */
  async close(graceMs: number, stop: AbortSignal): Promise<void> {
    this.target = 0;
    const closing = [...this.clients].filter((client) => !client.closing);
    const startedAt = performance.now();
    const { connectRate } = this.settings.options;
    let closed = 0;
    while (closed < closing.length && !stop.aborted) {
      const due = Math.min(closing.length, 1 + Math.floor(((performance.now() - startedAt) * connectRate) / 1000));
      for (; closed < due; closed++) closing[closed]!.close();
      if (closed < closing.length) await pause(CLOSE_STEP_MS);
    }
    const deadline = performance.now() + graceMs;
    while (this.clients.size > 0 && performance.now() < deadline && !stop.aborted) await pause(CLOSE_STEP_MS);
    this.terminate();
  }

  terminate(): void {
    this.target = 0;
    for (const client of this.clients) client.terminate();
  }
}
