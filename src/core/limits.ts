/**
 * What one soak process can carry out, checked when a scenario is loaded so an absurd figure is a
 * one-line error instead of a run that never ends or floods itself. The load engine reads the same
 * constants: a faster engine raises them here, in one place.
 */

/**
 * Arrivals per second one load stream may ask for. One driver thread sends about 30-45k req/s to a
 * hello-world target on this project's 2-core machine before it saturates (README, "Measured"), a
 * stream's threads are at most half the cores by default: 100k/s is beyond what soak sends here, so
 * it runs and is reported as generator-saturated; far beyond it the schedule is nothing but
 * backlog, and a 3-s phase at 1e9/s once kept soak busy for 87 s. The open model's backlog holds
 * one second of this rate.
 */
export const MAX_RATE_PER_STREAM = 100_000;

/** Connections one stream may hold: each is a socket on both sides, and ulimit -n is rarely above a few 100k. */
export const MAX_CONNECTIONS_PER_STREAM = 100_000;

/** The longest a Node timer can wait (2^31 - 1 ms, about 24.8 days): any duration beyond it would fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export const RATE_CAP_MESSAGE = `at most ${MAX_RATE_PER_STREAM} per second per stream (what one soak process can schedule)`;
export const CONNECTIONS_CAP_MESSAGE = `at most ${MAX_CONNECTIONS_PER_STREAM} connections per stream`;
export const DURATION_CAP_MESSAGE = `at most ${Math.floor(MAX_DURATION_MS / 3_600_000)}h, about 24 days (the longest a timer can wait)`;
