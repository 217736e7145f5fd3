import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from './browser.js';

/** The page script sets this attribute once every chart is drawn. */
const CHARTS_DRAWN = 'document.documentElement.hasAttribute("data-charts-drawn")';

/** Prints a report.html to PDF with headless Chromium, after its charts are drawn. */
export async function writePdf(htmlPath: string, pdfPath: string): Promise<void> {
  const headless = await launchBrowser();
  try {
    const page = await headless.browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });
    await page.waitForFunction(CHARTS_DRAWN, { timeout: 30_000 });
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  } finally {
    await headless.close();
  }
}
