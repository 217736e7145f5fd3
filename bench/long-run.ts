/**
 * `soak report` on long runs, side by side with the floor of merely reading them: a real short run of
 * a healthy service (scenarios/quickstart.ts, made here unless a run directory is given) is repeated
 * with shifted times into an 8-hour and a 72-hour run of 1-s records (its phases and its service
 * started once, as in one long soak), and for each this measures, in
 * child processes one after the other:
 * - the parse floor: every line of the records read (readline) and JSON.parse'd, nothing else;
 * - `soak report <dir>`: wall time and peak RSS (/usr/bin/time), and the size of report.html.
 * Also the cost of one interval histogram decoded and summed: hdr-histogram-js's JS and WebAssembly
 * builds against soak's own decoder (core/hdr.ts).
 *
 *   npx tsx bench/long-run.ts [short-run-dir]
 *
 * Needs `npm run build` first (it runs bin/soak.js). Writes about 600 MB under the system temp dir,
 * removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import { decodeSlots, LatencyCounts } from '../src/core/hdr.js';
import { RunFiles, type LoadInterval } from '../src/store/records.js';
import { lines, longRun, shortRun } from './long-run-records.js';

const ROOT = join(import.meta.dirname, '..');
const SOAK = join(ROOT, 'bin/soak.js');
const work = mkdtempSync(join(tmpdir(), 'soak-long-run-'));
const MB = 1024 * 1024;

const PARSE_FLOOR = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
(async () => {
  let n = 0;
  for (const file of process.argv.slice(1)) {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) if (line) { JSON.parse(line); n++; }
  }
  process.stderr.write(n + ' records\\n');
})();`;

/** Wall seconds and peak RSS (MB) of a command, from /usr/bin/time. */
function timed(args: string[]): { seconds: number; peakMB: number } {
  const result = spawnSync('/usr/bin/time', ['-f', 'TIMED %e %M', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MB });
  const match = /TIMED ([\d.]+) (\d+)/.exec(result.stderr);
  if (!match || (result.status !== 0 && result.status !== 1)) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return { seconds: Number(match[1]), peakMB: Number(match[2]) / 1024 };
}

function measure(dir: string, hours: number): string {
  const files = [RunFiles.events, RunFiles.probe, RunFiles.load].map((file) => join(dir, file));
  const onDisk = files.reduce((sum, file) => sum + statSync(file).size, 0) / MB;
  const floor = timed([process.execPath, '-e', PARSE_FLOOR, ...files]);
  const report = timed([process.execPath, SOAK, 'report', dir]);
  const html = statSync(join(dir, RunFiles.report)).size / MB;
  return (
    `${hours} h (${onDisk.toFixed(0)} MB of records): parse floor ${floor.seconds.toFixed(2)} s, ${floor.peakMB.toFixed(0)} MB; ` +
    `soak report ${report.seconds.toFixed(2)} s (${(report.seconds / floor.seconds).toFixed(1)}x the floor), peak RSS ${report.peakMB.toFixed(0)} MB; report.html ${html.toFixed(2)} MB`
  );
}

/** A plain V2 encoding (as the records keep it) in the deflated envelope hdr-histogram-js reads: its cookie, the length, the bytes. */
function inEnvelope(plain: string): string {
  const compressed = deflateSync(Buffer.from(plain, 'base64'));
  const envelope = Buffer.alloc(8);
  envelope.writeInt32BE(0x1c849314, 0);
  envelope.writeInt32BE(compressed.length, 4);
  return Buffer.concat([envelope, compressed]).toString('base64');
}

/** µs per interval histogram decoded and added into one total, each way, on the short run's own histograms. */
async function decodeCosts(source: string): Promise<string> {
  const encoded = lines<LoadInterval>(join(source, RunFiles.load))
    .flatMap((interval) => [interval.hdr, ...Object.values(interval.endpoints ?? {}).map((share) => share.hdr)])
    .filter(Boolean);
  const rounds = Math.ceil(20_000 / encoded.length);
  const perDecode = (run: () => void) => {
    const started = performance.now();
    for (let round = 0; round < rounds; round += 1) run();
    return ((performance.now() - started) * 1000) / (rounds * encoded.length);
  };
  // The library reads only the deflated envelope: it gets the same histograms in it, deflated beforehand.
  const enveloped = encoded.map(inEnvelope);
  const library = (useWebAssembly: boolean) => () => {
    const total = hdr.build({ useWebAssembly });
    for (const text of enveloped) {
      const histogram = hdr.decodeFromCompressedBase64(text, 32, useWebAssembly);
      total.add(histogram);
      histogram.destroy();
    }
    total.destroy();
  };
  await hdr.initWebAssembly();
  const js = perDecode(library(false));
  const wasm = perDecode(library(true));
  const own = perDecode(() => {
    const total = new LatencyCounts();
    for (const text of encoded) total.add(decodeSlots(text));
  });
  return `one interval histogram decoded and summed: hdr-histogram-js JS ${js.toFixed(1)} µs, WebAssembly ${wasm.toFixed(1)} µs, soak's decoder ${own.toFixed(1)} µs`;
}

try {
  const source = shortRun(work, process.argv[2]);
  console.log(await decodeCosts(source));
  for (const hours of [8, 72]) {
    const dir = await longRun(source, hours, join(work, `${hours}h`));
    console.log(measure(dir, hours));
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
