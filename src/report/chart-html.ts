import { hasData, type ChartSection, type ChartSpec } from './chart-spec.js';
import { escapeHtml } from './escape.js';

/** The sections' charts as canvases numbered in order (chart-0, chart-1...), and a note for each chart with nothing to draw. */
export function chartsHtml(sections: ChartSection[]): string {
  let index = 0;
  return sections
    .map((section) => {
      const items = section.charts.map((chart) =>
        hasData(chart)
          ? `<figure class="chart"><h4>${escapeHtml(chart.title)}</h4><div class="chart-box"><canvas id="chart-${index++}" role="img" aria-label="${escapeHtml(chart.title)}"></canvas></div></figure>`
          : `<p class="note">${escapeHtml(chart.title)}: ${escapeHtml(chart.emptyNote)}</p>`,
      );
      const drawn = items.filter((item) => item.startsWith('<figure')).join('\n');
      const notes = items.filter((item) => !item.startsWith('<figure')).join('\n');
      return `<section class="chart-section"><h3>${escapeHtml(section.title)}</h3>
${section.note ? `<p class="note">${escapeHtml(section.note)}</p>` : ''}
<div class="chart-grid">${drawn}</div>
${notes}</section>`;
    })
    .join('\n');
}

/** What the page script reads of one chart (client-script.ts), drawn on the canvas of that id. */
export function chartEntry(chart: Pick<ChartSpec, 'title' | 'unit' | 'series' | 'unitRight' | 'window' | 'range'>, canvas: string) {
  const { title, unit, series, unitRight, window, range } = chart;
  return { canvas, title, unit, series, ...(unitRight ? { unitRight } : {}), ...(window ? { window } : {}), ...(range ? { range } : {}) };
}

/** The charts the page script draws, numbered as chartsHtml numbers their canvases. */
export function chartList(sections: ChartSection[]) {
  return sections.flatMap((section) => section.charts.filter(hasData)).map((chart, index) => chartEntry(chart, `chart-${index}`));
}
