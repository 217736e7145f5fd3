import WebSocket from 'ws';
import type { WsRecorder } from './recorder.js';
import type { WsOptions } from './schema.js';
import { replyKey, type MessageVars, type RenderedMessage } from './template.js';

/** A connection whose peer stopped reading: past this much unsent data, messages are counted as failed instead of queued. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface ClientSettings {
  url: string;
  options: WsOptions;
  render: (vars: MessageVars) => RenderedMessage;
  recorder: WsRecorder;
  nextSeq(): number;
  /** A connection began to close at soak's request: it no longer counts toward those held. */
  closing(): void;
}

function connectOutcome(error: Error & { code?: string }): string {
  const status = /Unexpected server response: (\d+)/.exec(error.message);
  if (status) return `http-${status[1]}`;
  if (/handshake has timed out/i.test(error.message)) return 'connect-timeout';
  return error.code ?? 'connect-error';
}

/**
 * One connection of a WebSocket stream: opens, sends at its own rate, times the replies it
 * expects, and with churn closes itself after its quota of messages so the pool opens a new one.
 */
export class Client {
  state: 'connecting' | 'open' | 'gone' = 'connecting';
  /** Soak asked for the close (end of run, fewer connections wanted, churn): not an error. */
  closing = false;
  private readonly socket: WebSocket;
  /** Reply key (or, with expectReply: true, arrival order) -> when the message was meant to be sent, performance.now() ms. */
  private readonly pending = new Map<string, number>();
  private readonly inOrder: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextAt = 0;
  private sentCount = 0;
  private connectFailure: string | undefined;

  constructor(
    private readonly index: number,
    private readonly settings: ClientSettings,
    onGone: (client: Client) => void,
  ) {
    const { options, recorder } = settings;
    const startedAt = performance.now();
    this.socket = new WebSocket(settings.url, { handshakeTimeout: options.timeout, perMessageDeflate: false, headers: options.headers });
    this.socket.on('open', () => {
      this.state = 'open';
      recorder.connectionOpened(performance.now() - startedAt);
      this.startSending();
    });
    this.socket.on('message', (data) => this.onMessage(data as Buffer));
    this.socket.on('error', (error) => {
      if (this.state === 'connecting') this.connectFailure ??= connectOutcome(error);
    });
    this.socket.on('close', (code) => {
      clearTimeout(this.timer);
      if (this.state === 'open') recorder.connectionClosed();
      // A close soak asked for (end of run, fewer connections wanted, churn) is not an error, even mid-handshake.
      if (!this.closing) recorder.error(this.state === 'connecting' ? (this.connectFailure ?? 'connect-error') : `closed-${code}`);
      this.state = 'gone';
      onGone(this);
    });
  }

  get awaiting(): number {
    return this.pending.size + this.inOrder.length;
  }

  close(): void {
    this.markClosing();
    clearTimeout(this.timer);
    if (this.state === 'open') this.socket.close(1000);
    else this.socket.terminate();
  }

  terminate(): void {
    this.markClosing();
    clearTimeout(this.timer);
    this.socket.terminate();
  }

  private markClosing(): void {
    if (this.closing) return;
    this.closing = true;
    this.settings.closing();
  }

  /** Counts replies that did not come within the timeout. */
  sweep(now: number): void {
    const deadline = now - this.settings.options.timeout;
    let expired = 0;
    for (const [key, intendedAt] of this.pending) {
      if (intendedAt > deadline) break;
      this.pending.delete(key);
      expired += 1;
    }
    while (this.inOrder.length > 0 && this.inOrder[0]! <= deadline) {
      this.inOrder.shift();
      expired += 1;
    }
    for (let i = 0; i < expired; i++) this.settings.recorder.replyTimedOut();
    if (expired > 0) this.afterAnswer();
  }

  private get churnDone(): boolean {
    const churn = this.settings.options.churn;
    return churn !== undefined && this.sentCount >= churn.messages;
  }

  private startSending(): void {
    const { messageRate, churn } = this.settings.options;
    if (messageRate > 0) {
      const period = 1000 / messageRate;
      // A random first offset spreads the connections' sends over the period instead of in bursts.
      this.nextAt = performance.now() + Math.random() * period;
      this.schedule(period);
    } else if (churn) {
      this.send(performance.now());
    }
  }

  private schedule(period: number): void {
    this.timer = setTimeout(() => {
      const intendedAt = this.nextAt;
      this.nextAt += period;
      this.send(intendedAt);
      if (!this.churnDone) this.schedule(period);
    }, Math.max(0, this.nextAt - performance.now()));
  }

  private send(intendedAt: number): void {
    const { recorder, options, render } = this.settings;
    if (this.state !== 'open' || this.closing) return;
    recorder.messageScheduled();
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      recorder.error('send-buffer-full');
      return;
    }
    const message = render({ seq: this.settings.nextSeq(), conn: this.index });
    if (message.key !== undefined) this.pending.set(message.key, intendedAt);
    else if (options.expectReply === true) this.inOrder.push(intendedAt);
    this.socket.send(message.text);
    this.sentCount += 1;
    recorder.messageSent();
    if (options.expectReply === undefined) this.afterAnswer();
  }

  private onMessage(data: Buffer): void {
    const { expectReply } = this.settings.options;
    if (expectReply === undefined) return;
    const now = performance.now();
    let intendedAt: number | undefined;
    if (expectReply === true) {
      intendedAt = this.inOrder.shift();
    } else {
      const key = replyKey(data.toString(), expectReply);
      intendedAt = key === undefined ? undefined : this.pending.get(key);
      if (intendedAt !== undefined) this.pending.delete(key!);
    }
    if (intendedAt === undefined) return;
    this.settings.recorder.reply(now - intendedAt);
    this.afterAnswer();
  }

  /** After a reply, a timeout, or a send needing none: the next closed-loop churn message, or the churn disconnect. */
  private afterAnswer(): void {
    const { churn, messageRate } = this.settings.options;
    if (!churn || this.closing) return;
    if (!this.churnDone) {
      // Closed loop: the next message goes once this one is answered; setImmediate keeps a long quota off the stack.
      if (messageRate === 0) setImmediate(() => this.send(performance.now()));
      return;
    }
    if (this.awaiting === 0) this.close();
  }
}
