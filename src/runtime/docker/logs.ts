import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type Dockerode from 'dockerode';

/**
 * Appends a container's stdout and stderr to the service's two log files, as the local runtime
 * does. Attached before each start, so nothing the container prints early is lost; resolves once
 * the container's output has ended and both files are written (`done`).
 */
export async function attachLogs(docker: Dockerode, container: Dockerode.Container, files: { stdout: string; stderr: string }): Promise<{ done: Promise<void> }> {
  const stream = await container.attach({ stream: true, stdout: true, stderr: true, logs: false });
  const out = createWriteStream(files.stdout, { flags: 'a', mode: 0o600 });
  const err = createWriteStream(files.stderr, { flags: 'a', mode: 0o600 });
  docker.modem.demuxStream(stream, out, err);
  const close = async (file: WriteStream) => {
    file.end();
    await finished(file).catch(() => {});
  };
  const done = new Promise<void>((resolve) => {
    const end = () => void Promise.all([close(out), close(err)]).then(() => resolve());
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  });
  return { done };
}
