#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// Analysing a run reads it in one pass: it allocates fast and keeps little, and V8's default heap
// growth would let the garbage of that pass take tens of megabytes more than the run's facts need.
// The analysis commands ask V8 to favour a small heap (measured in bench/long-run.ts).
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
if (command === 'report' || command === 'gate' || command === 'compare') setFlagsFromString('--optimize-for-size');

import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
