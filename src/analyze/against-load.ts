import { testGrowth, type GrowthCriteria, type GrowthTest } from './growth.js';
import { kendall, median, quantileSorted, studentUpperTail, type Point } from './stats/index.js';

/** What the load held open over time, as one count: connections held, WebSockets open or requests in flight. */
export interface Gauge {
  points: readonly Point[];
  /** What one unit of it is, in the singular: "connection held", "WebSocket held", "request in flight". */
  unit: string;
  /** How a point of the series reads the gauge around it: its mean, or its least for a series of floors (the least per bucket). */
  reduce?: 'mean' | 'min';
}

export interface PerUnit {
  /** Units of the series (bytes, handles) per unit of the gauge. */
  slope: number;
  /** One-sided p-value of the association (Kendall), when it was tested. */
  p?: number;
}

export interface LoadJudgement {
  /** The series as measured. */
  raw: GrowthTest;
  /** The series less what the gauge explains: growth beyond what the load holds. The raw test when the gauge explains nothing. */
  beyond: GrowthTest;
  /** How much the series follows the gauge, when it does. */
  perUnit?: PerUnit;
  /** The gauge over the window: at its first and last point, and its highest. */
  gauge?: { from: number; to: number; peak: number; unit: string };
  /** The gauge rose through the whole window in step with time: growth with the load cannot be told from growth in time. */
  confounded: boolean;
}

/**
 * Below this spread (5th to 95th percentile) of the gauge about its own time trend, as a share of the
 * trend's rise over the window, the load rose in step with time: a ramp over the whole window. Memory
 * per connection and memory per hour are then the same line, and no data can part them.
 */
const CONFOUNDED_SPREAD = 0.1;
/**
 * A load whose fitted rise over the window is under this share of its mean level (or under 2 units)
 * did not rise enough to stand for the growth beside it: the growth is judged as it is. Magnitude,
 * not significance: a short window (the first live checks) has too few points to test the load's rise.
 */
const RISING_SHARE = 0.2;
const RISING_UNITS = 2;

/** The gauge at each point: the mean (or least) of its readings within half a bucket, else the nearest one. */
export function gaugeAt(points: readonly Point[], gauge: readonly Point[], reduce: 'mean' | 'min' = 'mean'): number[] {
  if (gauge.length === 0) return points.map(() => 0);
  const half = points.length > 1 ? (points[points.length - 1]!.x - points[0]!.x) / (points.length - 1) / 2 : Infinity;
  let from = 0;
  return points.map((point) => {
    while (from < gauge.length - 1 && gauge[from]!.x < point.x - half) from += 1;
    let sum = 0;
    let least = Infinity;
    let n = 0;
    for (let i = from; i < gauge.length && gauge[i]!.x <= point.x + half; i += 1) {
      sum += gauge[i]!.y;
      least = Math.min(least, gauge[i]!.y);
      n += 1;
    }
    if (n > 0) return reduce === 'min' ? least : sum / n;
    const before = gauge[Math.max(0, from - 1)]!;
    const after = gauge[from]!;
    return Math.abs(after.x - point.x) < Math.abs(before.x - point.x) ? after.y : before.y;
  });
}

/**
 * The points the gauge covers: a series read live has its last sample before the load's interval of
 * the same moment is written; without the gauge there, that point would be judged against an old one.
 */
function coveredBy(points: readonly Point[], gauge: readonly Point[]): readonly Point[] {
  const last = gauge[gauge.length - 1]!.x;
  const step = points.length > 1 ? (points[points.length - 1]!.x - points[0]!.x) / (points.length - 1) : 0;
  return points.filter((point) => point.x <= last + step / 2);
}

/** Each value less its least-squares line over time: what is left once the steady trend is taken out. */
function detrended(points: readonly Point[], values: readonly number[]): { residuals: number[]; slope: number } {
  const n = points.length;
  const t0 = points[0]!.x;
  let meanT = 0;
  let meanV = 0;
  for (let i = 0; i < n; i += 1) {
    meanT += (points[i]!.x - t0) / n;
    meanV += values[i]! / n;
  }
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i += 1) {
    const dt = points[i]!.x - t0 - meanT;
    covariance += dt * (values[i]! - meanV);
    variance += dt * dt;
  }
  const slope = variance > 0 ? covariance / variance : 0;
  return { residuals: values.map((value, i) => value - meanV - slope * (points[i]!.x - t0 - meanT)), slope };
}

/** Residuals further than this many robust standard deviations (1.4826 MAD) from the fit are left out of it once. */
const OUTLIER_SD = 3;

/** The load's coefficient of a series, and how surely the series also grows in time at a fixed load. */
interface LoadFit {
  /** b: units of the series per unit of the gauge. */
  slope: number;
  /**
   * One-sided p-value of c > 0 in the same fit (Student's t on n - 3 degrees of freedom). When the load
   * rose nearly in step with time the two coefficients share what the data tell, c's standard error
   * grows with that overlap, and a trend beyond the load is only claimed when the fit can show it.
   */
  timeTrendP: number;
}

/**
 * The coefficients of the least-squares fit y = a + b * gauge + c * t, refitted once without the
 * points the first fit leaves far off: a stray reading (a count taken as a burst of timers fired)
 * steers neither the time trend nor b. Solved on centred values (the 2-by-2 normal equations).
 */
function loadCoefficient(ts: readonly number[], gauges: readonly number[], ys: readonly number[]): LoadFit {
  const fit = (keep: (i: number) => boolean) => {
    const kept = ys.map((_, i) => i).filter(keep);
    const mean = (values: readonly number[]) => kept.reduce((sum, i) => sum + values[i]!, 0) / kept.length;
    const [mt, mg, my] = [mean(ts), mean(gauges), mean(ys)];
    let [gg, tt, gt, gy, ty] = [0, 0, 0, 0, 0];
    for (const i of kept) {
      const [dt, dg, dy] = [ts[i]! - mt, gauges[i]! - mg, ys[i]! - my];
      gg += dg * dg;
      tt += dt * dt;
      gt += dg * dt;
      gy += dg * dy;
      ty += dt * dy;
    }
    const determinant = gg * tt - gt * gt;
    if (!(determinant > 0)) return { b: 0, c: 0, mt, mg, my, timeTrendP: 1 };
    const b = (gy * tt - ty * gt) / determinant;
    const c = (ty * gg - gy * gt) / determinant;
    let squares = 0;
    for (const i of kept) squares += (ys[i]! - my - b * (gauges[i]! - mg) - c * (ts[i]! - mt)) ** 2;
    const df = kept.length - 3;
    const standardError = df > 0 ? Math.sqrt(((squares / df) * gg) / determinant) : Infinity;
    const timeTrendP = standardError > 0 ? studentUpperTail(c / standardError, df) : c > 0 ? 0 : 1;
    return { b, c, mt, mg, my, timeTrendP };
  };
  const first = fit(() => true);
  const errors = ys.map((y, i) => y - first.my - first.b * (gauges[i]! - first.mg) - first.c * (ts[i]! - first.mt));
  const centre = median(errors);
  const sd = 1.4826 * median(errors.map((error) => Math.abs(error - centre)));
  const final = sd > 0 ? fit((i) => Math.abs(errors[i]! - centre) <= OUTLIER_SD * sd) : first;
  return { slope: final.b, timeTrendP: final.timeTrendP };
}

const spreadOf = (values: readonly number[]) => {
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, 0.95) - quantileSorted(sorted, 0.05);
};

/**
 * Growth of a series (memory, handles) judged against what the load held open. A model with both
 * causes, y = a + b * gauge + c * t: growth that follows the gauge (b) is what the load costs, growth
 * in time at a fixed load (c) is a leak. b is the multiple regression's (least squares, refitted once
 * without outliers); it equals, as Frisch-Waugh-Lovell show, the slope of what is left of the series
 * once its linear time trend is taken out on what is left of the gauge. During a ramp the
 * two rise together; where the load holds (or falls) the series' own time trend shows, and that part
 * decides b. Then the series
 * less b * gauge is tested for growth as any series is, and counts as growing only where the fit
 * itself shows c > 0 (the less the load and time part, the wider c's interval). When the load rose by much over the window
 * (RISING_SHARE) b is always taken out; when it only wavered (requests in flight coming and going),
 * only if the association is significant (Kendall's tau, one-sided, at alpha). A load that ramps and
 * then holds, or that goes up and down, separates the two; one that ramps through the whole window
 * cannot (`confounded`).
 * Undefined with too few points for a test.
 */
export function growthAgainstLoad(measured: readonly Point[], gauge: Gauge | undefined, criteria: GrowthCriteria): LoadJudgement | undefined {
  if (!gauge || gauge.points.length === 0) {
    const raw = testGrowth(measured, criteria);
    return raw && { raw, beyond: raw, confounded: false };
  }
  const points = coveredBy(measured, gauge.points);
  const raw = testGrowth(points, criteria);
  if (!raw) return undefined;
  const held = gaugeAt(points, gauge.points, gauge.reduce);
  const summary = { from: held[0]!, to: held[held.length - 1]!, peak: Math.max(...held), unit: gauge.unit };
  const gaugeTrend = detrended(points, held);
  const gaugeRise = gaugeTrend.slope * (points[points.length - 1]!.x - points[0]!.x);
  const mean = held.reduce((sum, value) => sum + value, 0) / held.length;
  const rising = gaugeRise >= Math.max(RISING_UNITS, RISING_SHARE * mean);
  if (rising && spreadOf(gaugeTrend.residuals) < CONFOUNDED_SPREAD * gaugeRise) {
    const perUnit = raw.rise > 0 ? { slope: raw.rise / gaugeRise } : undefined;
    return { raw, beyond: raw, gauge: summary, confounded: true, ...(perUnit ? { perUnit } : {}) };
  }
  const series = detrended(
    points,
    points.map((point) => point.y),
  );
  // A load that rose by much is always taken out (a short window may be too short to show the association
  // significant); a load that only wavered is taken out only when the series follows it significantly.
  const association = kendall(gaugeTrend.residuals, series.residuals);
  if (!rising && !(association.pPositive < criteria.alpha)) return { raw, beyond: raw, gauge: summary, confounded: false };
  const { slope, timeTrendP } = loadCoefficient(
    points.map((point) => point.x - points[0]!.x),
    held,
    points.map((point) => point.y),
  );
  if (!(slope > 0)) return { raw, beyond: raw, gauge: summary, confounded: false };
  const left = testGrowth(
    points.map((point, i) => ({ x: point.x, y: point.y - slope * (held[i]! - summary.from) })),
    criteria,
  )!;
  // What is left is tested as if the load's share were known exactly; the fit says how surely it is.
  const beyond = timeTrendP < criteria.alpha ? left : { ...left, p: Math.max(left.p, timeTrendP), significant: false, grows: false, passes: false };
  return { raw, beyond, perUnit: { slope, p: association.pPositive }, gauge: summary, confounded: false };
}
