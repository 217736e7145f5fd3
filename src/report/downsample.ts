/** [x, y]: the form Chart.js reads directly and the most compact in JSON. A null y is a gap: the line breaks there. */
export type Point = [x: number, y: number | null];

export const MAX_CHART_POINTS = 1000;

/**
 * At most `maxPoints` points: the series is cut into maxPoints/2 runs of equal length and each run
 * keeps its lowest and its highest point, in time order, so a one-sample spike or dip survives; a run
 * with a gap keeps one, so a stretch with nothing to draw stays a break in the line (at most 3 points a run).
 * Charts only: the analysis always uses every sample.
 */
export function downsample(points: Point[], maxPoints = MAX_CHART_POINTS): Point[] {
  if (points.length <= maxPoints) return points.slice();
  const gaps = points.some((point) => point[1] === null);
  const buckets = Math.max(1, Math.floor(maxPoints / (gaps ? 3 : 2)));
  const size = points.length / buckets;
  const kept: Point[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = Math.floor(bucket * size);
    const to = Math.min(points.length, Math.floor((bucket + 1) * size));
    let low = -1;
    let high = -1;
    let gap = -1;
    for (let index = from; index < to; index++) {
      const y = points[index]![1];
      if (y === null) {
        if (gap < 0) gap = index;
        continue;
      }
      if (low < 0 || y < points[low]![1]!) low = index;
      if (high < 0 || y > points[high]![1]!) high = index;
    }
    for (const index of [...new Set([low, high, gap])].filter((entry) => entry >= 0).sort((a, b) => a - b)) kept.push(points[index]!);
  }
  return kept;
}
