import ms from 'ms';

/** Parses "250ms", "90s", "10m", "8h" into milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/i.test(text)) return undefined;
  const value = ms(text.replace(/\s+/g, '') as ms.StringValue);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  const totalSeconds = Math.round(milliseconds / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
