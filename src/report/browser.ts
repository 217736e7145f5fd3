import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, PuppeteerNode } from 'puppeteer-core';
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

/** puppeteer-core is an optional peer (only --pdf needs it): loaded on use, so soak runs where it is not installed. */
async function loadPuppeteer(): Promise<Pick<PuppeteerNode, 'launch'>> {
  try {
    const { launch } = await import('puppeteer-core');
    return { launch };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new SoakError('unsupported', '--pdf needs puppeteer-core and a Chromium: npm install -D puppeteer-core (and apt-get install -y chromium, or set SOAK_CHROMIUM)');
  }
}

/** A headless Chromium with a fresh profile of its own, driven over a pipe (no debugging port). */
export async function launchBrowser(): Promise<HeadlessBrowser> {
  const puppeteer = await loadPuppeteer();
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
