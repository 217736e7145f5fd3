import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { SoakError } from '../core/errors.js';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Nothing that talks to the network on its own: the report must open with no request but itself. */
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** The Chromium soak would use (SOAK_CHROMIUM, else /usr/bin/chromium), or undefined when it is not there. */
export function findChromium(): string | undefined {
  const path = process.env.SOAK_CHROMIUM || DEFAULT_CHROMIUM;
  return existsSync(path) ? path : undefined;
}

export interface HeadlessBrowser {
  browser: Browser;
  /** Closes Chromium and removes its profile directory. */
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile of its own, driven over a pipe (no debugging port). */
export async function launchBrowser(): Promise<HeadlessBrowser> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new SoakError(
      'unsupported',
      `Chromium not found at ${process.env.SOAK_CHROMIUM || DEFAULT_CHROMIUM}: install it with apt-get install -y chromium (or set SOAK_CHROMIUM to its path)`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'soak-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({ executablePath, headless: true, pipe: true, userDataDir, args: chromiumFlags });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new SoakError('unsupported', `Chromium at ${executablePath} did not start: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  return {
    browser,
    async close() {
      try {
        await browser.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
