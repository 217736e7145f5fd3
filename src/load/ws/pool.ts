import { Client, type ClientSettings } from './client.js';

/** Opens and closes connections to follow a target count, never opening faster than connectRate. */
export class ClientPool {
  /** How many connections the current phase asks for. */
  target = 0;
  private readonly clients = new Set<Client>();
  private tokens = 1;
  private lastTick = performance.now();
  private opened = 0;
  private seq = 0;
  private readonly settings: ClientSettings;

  constructor(settings: Omit<ClientSettings, 'nextSeq'>) {
    this.settings = { ...settings, nextSeq: () => ++this.seq };
  }

  tick(): void {
    const now = performance.now();
    const { connectRate } = this.settings.options;
    // A short burst allowance so a slow tick does not lose its share; no more, or a ramp would jump.
    this.tokens = Math.min(this.tokens + (connectRate * (now - this.lastTick)) / 1000, Math.max(1, connectRate / 10));
    this.lastTick = now;
    let live = 0;
    for (const client of this.clients) if (!client.closing) live += 1;
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
    for (let i = 0; i < opening; i++) this.clients.add(new Client(this.opened++, this.settings, (gone) => this.clients.delete(gone)));
    this.tokens -= opening;
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

  /** Closes every connection with a close frame, and drops those that do not finish within graceMs. */
  async close(graceMs: number): Promise<void> {
    this.target = 0;
    for (const client of this.clients) client.close();
    const deadline = performance.now() + graceMs;
    while (this.clients.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    this.terminate();
  }

  terminate(): void {
    this.target = 0;
    for (const client of this.clients) client.terminate();
  }
}
