#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// `soak compare` holds the facts of two runs at once: it asks V8 to favour a small heap. `soak report`
// and `soak gate` read one run and keep V8's default young generation: asked for a small heap, they
// collected the garbage of an 8-hour read (an inflate per interval histogram, its objects included)
// in about three times as many scavenges, for more CPU than the 20 MB of RSS it saved was worth
// against the budgets of bench/long-run.ts.
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
if (command === 'compare') setFlagsFromString('--optimize-for-size');

import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
