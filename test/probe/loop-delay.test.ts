import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EventLoopSample } from '../../src/store/records.js';

const fixture = fileURLToPath(new URL('./fixtures/stall-after-sample.cjs', import.meta.url));

describe('node probe: event-loop delay', () => {
  it('reports a stall that begins right after a sample, which the reset histogram records nothing of', () => {
    const loop = JSON.parse(execFileSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 10_000 })) as EventLoopSample;
    expect(loop.max).toBeGreaterThanOrEqual(250);
    expect(loop.max).toBeLessThan(1000);
  });
});
