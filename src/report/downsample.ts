/** [x, y]: the form Chart.js reads directly and the most compact in JSON. */
export type Point = [x: number, y: number];

export const MAX_CHART_POINTS = 1000;

/**
 * At most `maxPoints` points: the series is cut into maxPoints/2 runs of equal length and each run
 * keeps its lowest and its highest point, in time order, so a one-sample spike or dip survives.
 * Charts only: the analysis always uses every sample.
 */
export function downsample(points: Point[], maxPoints = MAX_CHART_POINTS): Point[] {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = points.length / buckets;
  const kept: Point[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = Math.floor(bucket * size);
    const to = Math.min(points.length, Math.floor((bucket + 1) * size));
    let low = from;
    let high = from;
    for (let index = from + 1; index < to; index++) {
      if (points[index]![1] < points[low]![1]) low = index;
      if (points[index]![1] > points[high]![1]) high = index;
    }
    if (low === high) kept.push(points[low]!);
    else if (low < high) kept.push(points[low]!, points[high]!);
    else kept.push(points[high]!, points[low]!);
  }
  return kept;
}
