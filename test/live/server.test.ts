import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveRunDir, type Dashboard } from '../../src/live/index.js';
import { claimRunDir, type RunDirClaim } from '../../src/store/index.js';
import { appendRunFiles, writeRunFiles } from '../helpers/run-files.js';
import { startT, syntheticRun } from '../report/synthetic-run.js';

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

/** A request as a browser or a scraper makes it, with the headers it would send. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, type: response.headers['content-type'], body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Update {
  version: number;
  state: string;
  header: string;
  run: string;
  data: { charts: { series: { points: unknown[] }[] }[] };
}

const pointsOf = (update: Pick<Update, 'data'> | Update['data']) => ('data' in update ? update.data : update).charts.reduce((sum, chart) => sum + chart.series.reduce((n, series) => n + series.points.length, 0), 0);

/** What a live page receives next after `version`, asking as it does until there is news. */
async function nextUpdate(url: string, version: number): Promise<Update> {
  for (let tries = 0; tries < 100; tries += 1) {
    const answer = await get(`${url}?since=${version}`);
    if (answer.status === 200) return JSON.parse(answer.body) as Update;
    await sleep(100);
  }
  throw new Error('no update in 10 s');
}

describe("a run directory's dashboard", () => {
  const dirs: string[] = [];
  const open: { dashboard?: Dashboard; claim?: RunDirClaim }[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-dashboard-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const { dashboard, claim } of open.splice(0)) {
      await dashboard?.close();
      claim?.release();
    }
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  it('waits for a run to start, then follows it: new records make a new version of the page, none leaves it as it was', async () => {
    const dir = newDir();
    // Held by this process, as a live soak run holds its directory.
    const claim = claimRunDir(dir);
    const dashboard = await serveRunDir(dir, { port: 0, refreshMs: 50 });
    open.push({ dashboard, claim });
    const waiting = await get(dashboard.url);
    expect(waiting.body).toContain('Waiting for the run to start');
    expect((await get(dashboard.metricsUrl)).status).toBe(503);

    const { run } = syntheticRun({ seconds: 200, distinctHistograms: 3 });
    // The synthetic run's clock: its records up to 100 s are on disk.
    appendRunFiles(dir, run, -Infinity, startT + 100_000, 1000);
    const page = await get(dashboard.url);
    expect(page.body).toContain('PROVISIONAL');
    expect(page.body).toContain("connect-src 'self'");
    const version = Number(/"version":(\d+)/.exec(page.body)![1]);

    const unchanged = await get(`${dashboard.url}update.json?since=${version}`);
    expect(unchanged.status).toBe(204);
    appendRunFiles(dir, run, startT + 100_000, startT + 150_000, 1000);
    const update = await nextUpdate(`${dashboard.url}update.json`, version);
    expect(update.state).toBe('running');
    expect(update.run).toContain('Run');
    expect(pointsOf(update)).toBeGreaterThan(pointsOf(JSON.parse(/id="soak-data">([\s\S]*?)<\/script>/.exec(page.body)![1]!) as Update['data']));

    // The soak that held the directory is gone and the run never ended: killed.
    claim.release();
    expect((await nextUpdate(`${dashboard.url}update.json`, update.version)).state).toBe('stopped');
  });

  it('shows a run that ended as provisional until its soak lets go of the directory, then as its final report', async () => {
    const dir = newDir();
    const claim = claimRunDir(dir);
    const { run } = syntheticRun({ seconds: 200, distinctHistograms: 3 });
    writeRunFiles(dir, run);
    const dashboard = await serveRunDir(dir, { port: 0, refreshMs: 50 });
    open.push({ dashboard });
    const writing = await get(dashboard.url);
    expect(writing.body).toContain('its report is being written');
    const version = Number(/"version":(\d+)/.exec(writing.body)![1]);
    claim.release();
    const update = await nextUpdate(`${dashboard.url}update.json`, version);
    expect(update.state).toBe('ended');
    expect(update.header).toContain('verdict-fail');
  });

  it('shows a finished run as its final report does, not provisional', async () => {
    const dir = newDir();
    const { run } = syntheticRun({ seconds: 200, distinctHistograms: 3 });
    writeRunFiles(dir, run);
    const dashboard = await serveRunDir(dir, { port: 0 });
    open.push({ dashboard });
    const page = await get(dashboard.url);
    expect(page.body).not.toContain('PROVISIONAL');
    expect(page.body).toContain('verdict-fail');
    expect((await get(dashboard.metricsUrl)).body).toContain('soak_run_state{state="ended"} 1');
  });

  it('answers on loopback only to a loopback host name, so a web page cannot reach it through a name of its own', async () => {
    const dir = newDir();
    writeRunFiles(dir, syntheticRun({ seconds: 100, distinctHistograms: 2 }).run);
    const dashboard = await serveRunDir(dir, { port: 0 });
    open.push({ dashboard });
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await get(dashboard.metricsUrl, { host: 'attacker.example:80' })).status).toBe(403);
    expect((await get(dashboard.metricsUrl, { host: `localhost:${new URL(dashboard.url).port}` })).status).toBe(200);
  });

  it('off loopback, asks every request for the token, from a header or the URL', async () => {
    const dir = newDir();
    writeRunFiles(dir, syntheticRun({ seconds: 100, distinctHistograms: 2 }).run);
    await expect(serveRunDir(dir, { port: 0, host: '0.0.0.0' })).rejects.toThrow(/needs a token/);
    const dashboard = await serveRunDir(dir, { port: 0, host: '0.0.0.0', token: 's3cret-token' });
    open.push({ dashboard });
    expect(dashboard.url).toMatch(/\?token=s3cret-token$/);
    // Reached over loopback: the test sends nothing off this machine.
    const local = `http://127.0.0.1:${new URL(dashboard.url).port}`;
    expect((await get(`${local}/metrics`)).status).toBe(401);
    expect((await get(`${local}/metrics`, { authorization: 'Bearer wrong-token!' })).status).toBe(401);
    expect((await get(`${local}/metrics`, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
    expect((await get(`${local}/?token=s3cret-token`)).status).toBe(200);
  });

  it('says in one line that a port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(serveRunDir(newDir(), { port })).rejects.toThrow(new RegExp(`^--dashboard: port ${port} on 127.0.0.1 is in use`));
    } finally {
      taken.close();
    }
  });

  it('serves the metrics in the format the scraper asks for', async () => {
    const dir = newDir();
    writeRunFiles(dir, syntheticRun({ seconds: 100, distinctHistograms: 2 }).run);
    const dashboard = await serveRunDir(dir, { port: 0 });
    open.push({ dashboard });
    const prometheus = await get(dashboard.metricsUrl);
    expect(prometheus.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(prometheus.body).toContain('# TYPE soak_http_requests_total counter');
    const openMetrics = await get(dashboard.metricsUrl, { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' });
    expect(openMetrics.type).toMatch(/^application\/openmetrics-text; version=1.0.0/);
    expect(openMetrics.body).toContain('# TYPE soak_http_requests counter');
    expect(openMetrics.body.endsWith('# EOF\n')).toBe(true);
  });
});
