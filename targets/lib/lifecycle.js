// What every target does at the edges: read its variant and port, listen, and stop cleanly on SIGTERM.

/** VARIANT=buggy|fixed (default buggy): one codebase, the bug switched by this flag. */
function readVariant() {
  const variant = process.env.VARIANT ?? 'buggy';
  if (variant !== 'buggy' && variant !== 'fixed') {
    console.error(`VARIANT must be "buggy" or "fixed", got "${variant}"`);
    process.exit(2);
  }
  return variant;
}

function readPort() {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`PORT must be a TCP port number, got "${process.env.PORT ?? ''}"`);
    process.exit(2);
  }
  return port;
}

/** Listens on 127.0.0.1:port; a port that cannot be had ends the process with a one-line reason. */
function listen(server, port = readPort()) {
  return new Promise((resolve) => {
    server.once('error', (error) => {
      console.error(`cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`);
      process.exit(1);
    });
    server.listen(port, '127.0.0.1', () => resolve(port));
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open until the client hangs up.
    server.closeAllConnections();
  });
}

/**
 * On SIGTERM/SIGINT runs each step in order, each bounded by `stepTimeoutMs` so one stuck step
 * (a pool waiting for a client that leaked) cannot hold the exit, then exits 0.
 * steps: [name, () => Promise|void][]
 */
function onShutdown(steps, { stepTimeoutMs = 2000 } = {}) {
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    for (const [name, step] of steps) {
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), stepTimeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(step), timedOut]);
        if (outcome === 'timeout') console.error(`shutdown: ${name} did not finish within ${stepTimeoutMs} ms, going on`);
      } catch (error) {
        console.error(`shutdown: ${name} failed: ${error.message}`);
      } finally {
        clearTimeout(timer);
      }
    }
    console.error(`stopped on ${signal}`);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A non-negative integer from env, or the default. */
function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

function requireEnv(name, example) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required, e.g. ${example}`);
    process.exit(2);
  }
  return value;
}

module.exports = { readVariant, readPort, listen, closeServer, onShutdown, sleep, envInt, requireEnv };
