import { escapeHtml } from './escape.js';

/** A table cell: text is escaped; `num` right-aligns figures. */
export interface Cell {
  text: string;
  num?: boolean;
}

export const num = (text: string): Cell => ({ text, num: true });

export function table(headers: (string | Cell)[], rows: (string | Cell)[][], className = ''): string {
  const cell = (tag: 'th' | 'td', value: string | Cell) => {
    const { text, num: isNum } = typeof value === 'string' ? { text: value, num: false } : value;
    return `<${tag}${isNum ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  };
  const head = `<thead><tr>${headers.map((header) => cell('th', header)).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((row) => `<tr>${row.map((value) => cell('td', value)).join('')}</tr>`).join('\n')}</tbody>`;
  return `<div class="table-scroll"><table${className ? ` class="${className}"` : ''}>${head}${body}</table></div>`;
}

/** A grid of label/value pairs. */
export function facts(entries: [label: string, value: string][]): string {
  const items = entries.map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`);
  return `<dl class="facts">${items.join('')}</dl>`;
}
