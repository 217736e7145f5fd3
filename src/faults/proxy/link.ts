import { connect, type Socket } from 'node:net';
import { Pipe, type PipeToxic } from './pipe.js';
import { directionsOf, toxicEffect, type Direction, type DirectionChoice, type LinkControl, type Toxic } from './toxics.js';

interface AppliedToxic {
  views: Partial<Record<Direction, PipeToxic>>;
  cancel?: () => void;
}

function isReset(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'ECONNREFUSED' || error.code === 'EPIPE';
}

/** One proxied connection: the client's socket, the socket to the dependency, a pipe each way. */
export class Link implements LinkControl {
  private readonly upstream: Socket;
  private readonly pipes: Record<Direction, Pipe>;
  private readonly applied = new Map<string, AppliedToxic>();
  private closedSockets = 0;

  constructor(
    private readonly client: Socket,
    target: { host: string; port: number },
    onClosed: (link: Link) => void,
  ) {
    this.upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    const close = () => this.limitReached();
    this.pipes = {
      upstream: new Pipe(client, this.upstream, () => this.toxicsFor('upstream'), close),
      downstream: new Pipe(this.upstream, client, () => this.toxicsFor('downstream'), close),
    };
    // A reset or refusal on one side is passed on as a reset, so the client sees what a direct connection would.
    const passOn = (other: () => Socket) => (error: NodeJS.ErrnoException) => {
      if (isReset(error)) other().resetAndDestroy();
      else other().destroy();
    };
    client.on('error', passOn(() => this.upstream));
    this.upstream.on('error', passOn(() => client));
    for (const socket of [client, this.upstream]) {
      socket.on('close', () => {
        this.closedSockets += 1;
        if (this.closedSockets < 2) return;
        for (const pipe of Object.values(this.pipes)) pipe.close();
        for (const toxic of this.applied.values()) toxic.cancel?.();
        onClosed(this);
      });
    }
  }

  apply(id: string, toxic: Toxic): void {
    const effect = toxicEffect(toxic);
    const entry: AppliedToxic = { views: {} };
    for (const direction of directionsOf(toxic)) entry.views[direction] = { effect, bytesLeft: effect.byteLimit };
    this.applied.set(id, entry);
    entry.cancel = effect.onApply?.(this);
    this.wakePipes();
  }

  remove(id: string): void {
    const entry = this.applied.get(id);
    if (!entry) return;
    entry.cancel?.();
    this.applied.delete(id);
    this.wakePipes();
  }

  reset(direction: DirectionChoice): void {
    if (direction === 'upstream') this.client.destroy();
    else this.client.resetAndDestroy();
    if (direction === 'downstream') this.upstream.destroy();
    else this.upstream.resetAndDestroy();
  }

  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  private limitReached(): void {
    for (const pipe of Object.values(this.pipes)) pipe.close();
    for (const socket of [this.client, this.upstream]) socket.end(() => socket.destroy());
  }

  private toxicsFor(direction: Direction): PipeToxic[] {
    const toxics: PipeToxic[] = [];
    for (const entry of this.applied.values()) {
      const view = entry.views[direction];
      if (view) toxics.push(view);
    }
    return toxics;
  }

  private wakePipes(): void {
    this.pipes.upstream.wake();
    this.pipes.downstream.wake();
  }
}
