import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { probeEnv, startProbeCollector, type ProbeCollector } from '../../src/probe/index.js';
import { ContainerService } from '../../src/runtime/docker/container.js';
import { connectEngine } from '../../src/runtime/docker/engine.js';
import { dockerRuntime } from '../../src/runtime/docker/index.js';
import { resolveImage } from '../../src/runtime/docker/images.js';
import { label } from '../../src/runtime/docker/labels.js';
import { removeLeftovers } from '../../src/runtime/docker/leftovers.js';
import { freePort, waitUntilReady } from '../../src/runtime/index.js';
import type { NodeProbeSample } from '../../src/store/records.js';
import { skipReason, soakLabelled } from '../helpers/docker.js';
import { waitFor } from '../helpers/processes.js';
import { runSoak, startSoak } from '../helpers/soak-cli.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const reason = await skipReason('docker runtime tests');
/** A loopback port nothing listens on: an engine address that cannot answer. */
const noEngine = { DOCKER_HOST: 'tcp://127.0.0.1:1' };

describe('docker runtime without an engine', () => {
  it('fails a run with one line naming the engine address and `soak doctor`', async () => {
    const out = mkdtempSync(join(tmpdir(), 'soak-noengine-'));
    const result = await runSoak(['run', '--runtime', 'docker', '--cmd', 'node server.js', '--duration', '2s', '--no-progress', '--out', out], noEngine);
    rmSync(out, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^soak: docker runtime: no Docker engine at tcp:\/\/127\.0\.0\.1:1 \(.+; run `npx soak doctor`\)$/m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('soak doctor says why Docker is not usable and exits 1', async () => {
    const result = await runSoak(['doctor'], noEngine);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}docker engine: no Docker engine at tcp:\/\/127\.0\.0\.1:1 \(nothing accepts connections there/m);
  });
});

describe.skipIf(reason)('docker runtime', () => {
  let dir: string;
  let resources: Resources;
  let collector: ProbeCollector;
  let samples: NodeProbeSample[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soak-docker-'));
    resources = new Resources();
    samples = [];
    collector = await startProbeCollector((sample) => samples.push(sample));
  });
  afterEach(async () => {
    await resources.close();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    expect(await soakLabelled()).toEqual([]);
  });

  async function start(options: Record<string, unknown>, env: Record<string, string> = {}): Promise<ContainerService> {
    return (await dockerRuntime.start({
      name: 'target',
      options: dockerRuntime.schema.parse(options),
      env,
      port: await freePort(),
      stdoutFile: join(dir, 'target.stdout.log'),
      stderrFile: join(dir, 'target.stderr.log'),
      resources,
      runId: 'test',
      allowRemote: false,
    })) as ContainerService;
  }
  const echoServer = { cmd: `node ${fixture('echo-server.cjs')}` };
  const ready = (handle: ContainerService) => waitUntilReady({ port: handle.port!, timeoutMs: 15_000, gone: handle.exited });

  it('runs a Node target on a loopback port, probed from inside, with the pid the host sees', async () => {
    const handle = await start(echoServer, probeEnv(collector.address, 'target', 200));
    expect(await ready(handle)).toBe(true);
    expect(await (await fetch(handle.url!)).text()).toBe(`pid ${handle.pid}\n`);
    expect(await waitFor(() => samples.some((sample) => sample.pid === handle.pid && sample.service === 'target'), 5000)).toBe(true);

    await handle.resourceSample();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const engineSample = await handle.resourceSample();
    expect(engineSample).toMatchObject({ source: 'container', container: handle.container.id.slice(0, 12) });
    expect(engineSample!.memory).toBeGreaterThan(1 << 20);

    await handle.stop();
    expect(await handle.exited).toMatchObject({ code: 0, expected: true });
  });

  it('stops with the target\'s stop signal, as a local target would', async () => {
    const handle = await start({ ...echoServer, stopSignal: 'SIGINT', stopTimeout: '3s' });
    await ready(handle);
    await handle.stop();
    expect(await handle.exited).toMatchObject({ code: null, signal: 'SIGINT', expected: true });
  });

  it('pauses the whole container and resumes it', async () => {
    const handle = await start(echoServer);
    await ready(handle);
    await handle.pause();
    await expect(fetch(handle.url!, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    await handle.resume();
    expect((await fetch(handle.url!, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
  });

  it('kills it, then starts the same container again with a new pid on the same port', async () => {
    const handle = await start(echoServer);
    const exits: boolean[] = [];
    handle.onExit((exit) => exits.push(exit.expected));
    await ready(handle);
    const firstPid = handle.pid;
    handle.kill('SIGKILL');
    expect(await handle.exited).toMatchObject({ signal: 'SIGKILL', expected: true });
    await handle.restart();
    expect(handle.pid).not.toBe(firstPid);
    expect(await ready(handle)).toBe(true);
    expect(await (await fetch(handle.url!)).text()).toBe(`pid ${handle.pid}\n`);
    await handle.stop();
    expect(exits).toEqual([true, true]);
  });

  it('reports a crash with its exit code and the end of its stderr', async () => {
    const handle = await start(echoServer, { CRASH_AFTER_MS: '300' });
    const exit = await handle.exited;
    expect(exit).toMatchObject({ code: 3, signal: null, expected: false });
    expect(exit.stderrTail.at(-1)).toBe('fatal: <b>simulated</b> crash');
  });

  it('builds a target from a directory with a Dockerfile and removes the image with the run', async () => {
    const engine = await connectEngine();
    const context = join(dir, 'app');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), `FROM ${await resolveImage(engine, 'node')}\nCOPY server.cjs /app/server.cjs\nCMD ["node", "/app/server.cjs"]\n`);
    writeFileSync(join(context, 'server.cjs'), readFileSync(fixture('echo-server.cjs')));
    const handle = await start({ build: context });
    expect(await ready(handle)).toBe(true);
    expect((await fetch(handle.url!)).status).toBe(200);
    expect(await engine.docker.listImages({ filters: { reference: ['soak-run/target:test'] } })).toHaveLength(1);
    await resources.close();
    expect(await engine.docker.listImages({ filters: { reference: ['soak-run/target:test'] } })).toHaveLength(0);
  });

  it('says which image field is wrong when an image is neither here nor pullable', async () => {
    await expect(start({ image: 'soak-test/absent:1' })).rejects.toThrow(/^target\.image: image "soak-test\/absent:1" is not on this machine and cannot be pulled: /);
  });

  it('Ctrl-C ends a run: the report is written and the container removed', async () => {
    const out = join(dir, 'interrupted');
    const { child, result } = startSoak(['run', '--runtime', 'docker', '--cmd', `node ${fixture('echo-server.cjs')}`, '--duration', '60s', '--no-progress', '--out', out]);
    expect(await waitFor(async () => (await soakLabelled()).length > 0, 20_000, 200)).toBe(true);
    child.kill('SIGINT');
    const { code } = await result;
    expect(code).not.toBeNull();
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(await soakLabelled()).toEqual([]);
  });

  it('removes its containers when soak is killed with SIGKILL: the reaper outlives it', async () => {
    const harness = spawn(process.execPath, [new URL('./fixtures/docker-harness.mjs', import.meta.url).pathname, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const id = await new Promise<string>((resolve) => harness.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
    const { docker } = await connectEngine();
    expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
    harness.kill('SIGKILL');
    const gone = async () => docker.getContainer(id).inspect().then(() => false, () => true);
    expect(await waitFor(gone, 15_000, 200)).toBe(true);
  });

  it('removes them too when soak dies while its reaper is still starting', async () => {
    const harness = spawn(process.execPath, [new URL('./fixtures/dies-after-forking-reaper.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    const id = await new Promise<string>((resolve) => harness.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
    const { docker } = await connectEngine();
    const gone = async () => docker.getContainer(id).inspect().then(() => false, () => true);
    expect(await waitFor(gone, 15_000, 200)).toBe(true);
  });

  it('removes at the next start what a soak process that is gone left behind', async () => {
    const engine = await connectEngine();
    const leftover = await engine.docker.createContainer({
      Image: await resolveImage(engine, 'node'),
      Labels: { [label.owner]: `${hostname()}/999999999/1`, [label.run]: 'dead-run' },
      HostConfig: { NetworkMode: 'host' },
    });
    expect(await removeLeftovers(engine.docker)).toBeGreaterThanOrEqual(1);
    await expect(leftover.inspect()).rejects.toThrow();
  });
});
