import { expect, test } from 'vitest';
import { run } from 'soak-harness';

// 30 s of load; SOAK_DURATION shortens it (soak's own test of this example runs it for a few seconds).
const duration = process.env.SOAK_DURATION ?? '30s';

test('the service holds steady load without a memory leak', async () => {
  const { summary } = await run(
    {
      name: 'items-api',
      target: { cmd: 'node server.js', cwd: import.meta.dirname, ready: { path: '/health' } },
      load: {
        kind: 'http',
        requests: [{ path: '/items/{{random:1-5000}}' }],
        phases: [{ kind: 'steady', duration, rate: 200 }],
      },
      analysis: { warmup: '5s' },
    },
    { signal: AbortSignal.timeout(120_000) },
  );
  expect(summary.findings.filter((finding) => finding.kind === 'memory-leak')).toEqual([]);
  expect(summary.verdict).toBe('pass');
}, 180_000);
