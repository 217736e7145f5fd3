import { formatBytes, formatNumber } from '../core/format.js';
import { table, num } from './markup.js';

interface LeakingTypeRow {
  name: string;
  count: number;
  selfBytes: number;
  retainedBytes: number;
  retainerPath: string[];
}

const isRow = (value: unknown): value is LeakingTypeRow => {
  const row = value as Partial<LeakingTypeRow> | null;
  return typeof row === 'object' && row !== null && typeof row.name === 'string' && typeof row.count === 'number' && Array.isArray(row.retainerPath);
};

/**
 * The heap diff of a finding (evidence.leakingTypes): each type allocated after the first snapshot
 * and still alive at the last, with one path that keeps it. Names and paths come from the
 * target's heap, so every cell goes through the escaping table().
 */
export function leakingTypesHtml(value: unknown): string {
  if (!Array.isArray(value)) return '';
  const rows = value.filter(isRow);
  if (rows.length === 0) return '';
  return `<h4>Allocated after the first heap snapshot and alive at the last</h4>${table(
    ['type', num('objects'), num('retained'), num('self'), 'shortest path from the GC roots (to the one retaining most)'],
    rows.map((row) => [
      row.name,
      num(formatNumber(row.count)),
      num(formatBytes(row.retainedBytes)),
      num(formatBytes(row.selfBytes)),
      row.retainerPath.map(String).join(' → '),
    ]),
    'leaking-types',
  )}`;
}
