// The analysis tool the API shells out to (in the seed, a Python script): a little CPU, then waits
// on I/O for TASK_MS (default 400 ms). Runs one job from argv and prints JSON (per-request mode),
// or, when forked with an IPC channel, serves jobs sent as messages until its parent goes away.
const { createHash } = require('node:crypto');

const taskMs = Number(process.env.TASK_MS ?? 400);

async function analyse(input) {
  let digest = String(input);
  for (let i = 0; i < 20_000; i += 1) digest = createHash('sha256').update(digest).digest('hex');
  await new Promise((resolve) => setTimeout(resolve, taskMs));
  return { input, digest: digest.slice(0, 16), pid: process.pid };
}

if (process.send) {
  process.on('message', async ({ jobId, input }) => {
    try {
      process.send({ jobId, result: await analyse(input) });
    } catch (error) {
      process.send({ jobId, error: error.message });
    }
  });
  // The parent closing the channel (exit, crash, kill -9) is the signal to go too.
  process.on('disconnect', () => process.exit(0));
} else {
  analyse(process.argv[2] ?? '').then((result) => process.stdout.write(JSON.stringify(result)));
}
