import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/soak-cli.js';

const examplePath = 'docs/examples/api/soak.test.ts';

it('the README shows the API example exactly as it is run here', () => {
  expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(readFileSync(join(repoRoot, examplePath), 'utf8'));
});

// The example's own test, registered in this file: the same code, for a few seconds instead of 30.
process.env.SOAK_DURATION = '8s';
await import('../../docs/examples/api/soak.test.js');
