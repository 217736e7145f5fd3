import type { HttpSender } from './http-sender.js';

/** After a request that got no response, a loop waits this long: a dead target is not hammered in a busy loop. */
const PAUSE_AFTER_FAILURE_MS = 10;

/**
 * The closed model: `target` loops, each sending its next request as soon as the previous one is
 * settled. Raising the target starts loops at once; lowering it ends loops as their requests finish.
 */
export class ClosedLoops {
  private running = 0;
  private wanted = 0;

  constructor(private readonly sender: HttpSender) {}

  get target(): number {
    return this.wanted;
  }

  setTarget(loops: number): void {
    this.wanted = loops;
    while (this.running < this.wanted) {
      this.running += 1;
      this.sendNext();
    }
  }

  private readonly next = (answered: boolean): void => {
    if (this.running > this.wanted) {
      this.running -= 1;
      return;
    }
    if (answered) this.sendNext();
    else setTimeout(() => this.next(true), PAUSE_AFTER_FAILURE_MS);
  };

  private sendNext(): void {
    this.sender.send(performance.now(), false, this.next);
  }
}
