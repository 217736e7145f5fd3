// A small circuit breaker (seed 000 #8): after `failureThreshold` failures in a row it opens and
// refuses calls at once for `openMs`; then it lets a single trial call through (half-open). The
// trial's success closes it, its failure opens it again for another `openMs`. An error for which
// `isFailure` says false (a 404: the dependency answered) counts as a success.

class CircuitOpenError extends Error {
  constructor(retryInMs) {
    super(`circuit open, retry in ${Math.max(0, Math.ceil(retryInMs))} ms`);
    this.status = 503;
  }
}

class CircuitBreaker {
  constructor({ failureThreshold, openMs, isFailure = () => true }) {
    this.failureThreshold = failureThreshold;
    this.openMs = openMs;
    this.isFailure = isFailure;
    this.state = 'closed';
    this.failures = 0;
    this.openedAt = 0;
    this.trialInFlight = false;
    this.opened = 0;
  }

  async call(work) {
    this.admit();
    const trial = this.state === 'half-open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await work();
      this.succeeded();
      return result;
    } catch (error) {
      if (!this.isFailure(error)) this.succeeded();
      else this.failed(trial);
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  /** Throws CircuitOpenError unless the call may go ahead; moves open -> half-open once openMs has passed. */
  admit() {
    if (this.state === 'closed') return;
    const retryInMs = this.openedAt + this.openMs - Date.now();
    if (this.state === 'open' && retryInMs > 0) throw new CircuitOpenError(retryInMs);
    // Half-open: only one trial at a time, the others are refused as if still open.
    if (this.trialInFlight) throw new CircuitOpenError(0);
    this.state = 'half-open';
  }

  succeeded() {
    this.state = 'closed';
    this.failures = 0;
  }

  failed(trial) {
    this.failures += 1;
    if (trial || (this.state === 'closed' && this.failures >= this.failureThreshold)) this.open();
  }

  open() {
    if (this.state !== 'open') this.opened += 1;
    this.state = 'open';
    this.openedAt = Date.now();
  }

  stats() {
    return { state: this.state, failuresInARow: this.failures, timesOpened: this.opened };
  }
}

module.exports = { CircuitBreaker };
