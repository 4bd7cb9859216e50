/**
 * bootstrap(): resampling intervals for any statistic of aligned series: iid, circular-block
 * and stationary (Politis-Romano 1994) bootstraps, percentile intervals and, for the iid
 * bootstrap, BCa (Efron 1987). Deterministic for a seed.
 */
import { DISPLAY, type OutputItem } from '../../shared/schemas';
import { Series, type AlignmentInfo } from '../series';
import { alignArrays, asSeries, type AlignHow, type SeriesLike } from '../align';
import { alignmentOf } from '../alignment';
import { fmt, numOrNull, resultOutputs } from '../stats';
import { mulberry32 } from '../cascade/rng';
import { normCdf, normPpf } from './distributions';

export type BootstrapMethod = 'stationary' | 'circular' | 'iid';
export interface BootstrapOptions {
  /** 'stationary' (default: random blocks of mean length `block`), 'circular' (fixed blocks, wrapping), 'iid' (single rows) */
  method?: BootstrapMethod;
  /** (mean) block length in rows; default round(n^(1/3)) for the block methods */
  block?: number;
  /** number of resamples (default 2000) */
  reps?: number;
  /** seed of the generator (default 1): the same seed gives the same interval */
  seed?: number;
  /** confidence level (default 0.95) */
  level?: number;
  how?: AlignHow;
  /** what the statistic is, for the display (default 'statistic of <series names>') */
  name?: string;
}

/** Result of bootstrap(). */
export class BootstrapResult {
  constructor(
    public name: string,
    /** the statistic on the data as observed */
    public estimate: number,
    /** standard deviation of the replicates */
    public se: number,
    /** percentile interval at `level` */
    public ci: [number, number],
    /** bias-corrected and accelerated interval (iid only; null for block bootstraps, where the jackknife acceleration does not apply) */
    public bca: [number, number] | null,
    public method: BootstrapMethod,
    public block: number,
    public reps: number,
    /** replicates that gave a finite value (the others are left out) */
    public valid: number,
    public level: number,
    public seed: number,
    /** the finite replicates, sorted */
    public replicates: Float64Array,
    public alignment: AlignmentInfo,
  ) {}
  valueOf(): number {
    return this.estimate;
  }
  /** true when the interval (BCa when available, else percentile) excludes `value` */
  excludes(value: number): boolean {
    const [a, b] = this.bca ?? this.ci;
    return value < a || value > b;
  }
  get reading(): string {
    const z = `${Math.round(this.level * 100)}%`;
    const how =
      this.method === 'iid'
        ? 'iid resampling (assumes independent rows)'
        : `${this.method} blocks of ${this.method === 'stationary' ? 'mean ' : ''}${this.block} rows (keeps dependence up to about that lag)`;
    return `${z} interval ${fmt(this.ci[0])} .. ${fmt(this.ci[1])} (percentile${this.bca ? `; BCa ${fmt(this.bca[0])} .. ${fmt(this.bca[1])}` : ''}) from ${this.valid} resamples, ${how}; it measures sampling noise of this period, not a change of regime`;
  }
  toString(): string {
    return `bootstrap ${this.name} = ${fmt(this.estimate)} ± ${fmt(this.se, 2)}`;
  }
  [DISPLAY](): OutputItem[] {
    const z = `${Math.round(this.level * 100)}%`;
    const bca = this.bca;
    return resultOutputs(
      `${this.toString()}\n${this.reading}`,
      [
        { name: 'estimate', type: 'number', digits: 4 },
        { name: 'se', type: 'number', digits: 4 },
        { name: `${z} low`, type: 'number', digits: 4 },
        { name: `${z} high`, type: 'number', digits: 4 },
        ...(bca
          ? [
              { name: 'BCa low', type: 'number' as const, digits: 4 },
              { name: 'BCa high', type: 'number' as const, digits: 4 },
            ]
          : []),
        { name: 'method', type: 'string' },
        { name: 'block', type: 'number' },
        { name: 'resamples', type: 'number' },
      ],
      [
        [
          numOrNull(this.estimate),
          numOrNull(this.se),
          numOrNull(this.ci[0]),
          numOrNull(this.ci[1]),
          ...(bca ? [numOrNull(bca[0]), numOrNull(bca[1])] : []),
          this.method,
          this.block,
          this.valid,
        ],
      ],
      `bootstrap of ${this.name}`,
      this.alignment,
      [`seed ${this.seed}`, this.reading],
    );
  }
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q)),
    lo = Math.floor(h);
  return lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

/** Row indices of one resample. */
export function resampleIndices(
  n: number,
  method: BootstrapMethod,
  block: number,
  rand: () => number,
  out = new Uint32Array(n),
): Uint32Array {
  const pick = () => Math.floor(rand() * n) % n;
  if (method === 'iid') {
    for (let i = 0; i < n; i++) out[i] = pick();
    return out;
  }
  if (method === 'circular') {
    for (let i = 0; i < n;) {
      const s = pick();
      for (let j = 0; j < block && i < n; j++) out[i++] = (s + j) % n;
    }
    return out;
  }
  const p = 1 / block;
  let cur = pick();
  out[0] = cur;
  for (let i = 1; i < n; i++) {
    cur = rand() < p ? pick() : (cur + 1) % n;
    out[i] = cur;
  }
  return out;
}

/**
 * bootstrap(statistic, a, b, …, { method, block, reps, seed, level }): the sampling
 * distribution of statistic(a, b, …) by resampling the aligned complete rows of the series.
 *
 * Formula: θ*_r = statistic(rows resampled by the method), r = 1..reps; percentile interval
 * = the (1-level)/2 and (1+level)/2 quantiles of θ*; BCa (iid) shifts them to
 * Φ(z0 + (z0 + z)/(1 - a(z0 + z))) with z0 = Φ⁻¹((#{θ* < θ̂} + ½#{θ* = θ̂})/reps) (as scipy) and a the jackknife
 * skewness Σ(θ̄-θ_(i))³ / (6 (Σ(θ̄-θ_(i))²)^1.5). Stationary blocks have geometric lengths of
 * mean `block`; circular blocks have length `block` and wrap around the end.
 *
 * @param statistic a function of the resampled series returning a number (or a result with
 *   valueOf, e.g. (y, x) => beta(y, x)); the series keep their dates, in resampled order
 * @returns BootstrapResult: estimate, se, ci, bca, replicates, reading
 * Python: `arch.bootstrap.StationaryBootstrap(block, a, b).conf_int(stat, reps)` (percentile);
 *   `scipy.stats.bootstrap(..., method='BCa')` for iid
 * @example
 * bootstrap((s) => s.values.reduce((a, v) => a + v, 0) / s.length, new Series(Array.from({ length: 50 }, (_, i) => i), Array.from({ length: 50 }, (_, i) => Math.sin(i * i))), { method: 'iid', reps: 200, seed: 1 }).estimate // => -0.101201444717
 * bootstrap((s) => s.values.reduce((a, v) => a + v, 0) / s.length, new Series(Array.from({ length: 50 }, (_, i) => i), Array.from({ length: 50 }, (_, i) => Math.sin(i * i))), { method: 'iid', reps: 200, seed: 1 }).ci[0] // => -0.286432900467
 */
export function bootstrap(
  statistic: (...s: Series[]) => number | { valueOf(): number },
  ...args: Array<SeriesLike | BootstrapOptions>
): BootstrapResult {
  if (typeof statistic !== 'function')
    throw new TypeError(
      'bootstrap: the first argument must be a function of the series, e.g. (y, x) => beta(y, x).beta',
    );
  const last = args[args.length - 1];
  const o: BootstrapOptions =
    last && !(last instanceof Series) && typeof last === 'object' && !('index' in last) && !('columns' in last)
      ? (args.pop() as BootstrapOptions)
      : {};
  const inputs = (args as SeriesLike[]).map((s, i) => asSeries(s, `bootstrap: series ${i + 1}`));
  if (!inputs.length) throw new RangeError('bootstrap: give at least one series after the statistic');
  const method = o.method ?? 'stationary',
    reps = o.reps ?? 2000,
    seed = o.seed ?? 1,
    level = o.level ?? 0.95;
  if (method !== 'stationary' && method !== 'circular' && method !== 'iid')
    throw new RangeError(`bootstrap: method must be 'stationary', 'circular' or 'iid', got ${JSON.stringify(method)}`);
  if (!Number.isInteger(reps) || reps < 10)
    throw new RangeError(`bootstrap: reps must be an integer >= 10, got ${reps}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be between 0 and 1, got ${level}`);
  const how = o.how ?? 'inner';
  const al = alignArrays(inputs, how);
  const ok = (i: number) => al.values.every((v) => Number.isFinite(v[i]));
  const rows: number[] = [];
  for (let i = 0; i < al.index.length; i++) if (ok(i)) rows.push(i);
  const n = rows.length;
  if (n < 3) throw new RangeError(`bootstrap: ${n} complete rows; need at least 3`);
  const block = method === 'iid' ? 1 : (o.block ?? Math.max(1, Math.round(Math.cbrt(n))));
  if (!Number.isInteger(block) || block < 1 || block > n)
    throw new RangeError(`bootstrap: block must be an integer in 1..${n}, got ${o.block}`);
  const index = Float64Array.from(rows, (i) => al.index[i]);
  const cols = al.values.map((v) => Float64Array.from(rows, (i) => v[i]));
  const names = inputs.map((s) => s.name);
  const evalOn = (idx: ArrayLike<number> | null, len = n): number => {
    const ss = cols.map((c, k) => {
      if (!idx) return new Series(index, c, names[k], inputs[k].meta);
      const v = new Float64Array(len);
      for (let i = 0; i < len; i++) v[i] = c[idx[i]];
      // a resample keeps the sample's dates (values in resampled order); a jackknife sample the dates of its rows
      return new Series(len === n ? index : Float64Array.from(idx, (i) => index[i]), v, names[k], inputs[k].meta);
    });
    return Number(statistic(...ss));
  };
  const estimate = evalOn(null);
  const rand = mulberry32(seed);
  const buf = new Uint32Array(n);
  const reps_ = new Float64Array(reps);
  let m = 0;
  for (let r = 0; r < reps; r++) {
    const v = evalOn(resampleIndices(n, method, block, rand, buf));
    if (Number.isFinite(v)) reps_[m++] = v;
  }
  const sorted = reps_.slice(0, m).sort();
  let mean = 0;
  for (let i = 0; i < m; i++) mean += sorted[i];
  mean /= m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (sorted[i] - mean) ** 2;
  const se = Math.sqrt(ss / (m - 1));
  const alpha = (1 - level) / 2;
  const ci: [number, number] = [quantile(sorted, alpha), quantile(sorted, 1 - alpha)];
  let bca: [number, number] | null = null;
  if (method === 'iid' && Number.isFinite(estimate)) {
    // share of replicates below the estimate, ties counted half (scipy's _percentile_of_score, 'mean' kind)
    let below = 0;
    for (let i = 0; i < m; i++) below += sorted[i] < estimate ? 1 : sorted[i] === estimate ? 0.5 : 0;
    const z0 = normPpf(below / m);
    // jackknife: leave each row out once
    const jk = new Float64Array(n),
      keep = new Uint32Array(n - 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0, t = 0; j < n; j++) if (j !== i) keep[t++] = j;
      jk[i] = evalOn(keep, n - 1);
    }
    let jm = 0;
    for (let i = 0; i < n; i++) jm += jk[i];
    jm /= n;
    let s2 = 0,
      s3 = 0;
    for (let i = 0; i < n; i++) {
      const d = jm - jk[i];
      s2 += d * d;
      s3 += d * d * d;
    }
    const a = s2 > 0 ? s3 / (6 * Math.pow(s2, 1.5)) : 0;
    const adj = (z: number) => normCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
    if (Number.isFinite(z0)) bca = [quantile(sorted, adj(normPpf(alpha))), quantile(sorted, adj(normPpf(1 - alpha)))];
  }
  const name = o.name ?? `statistic of ${names.join(', ')}`;
  return new BootstrapResult(
    name,
    estimate,
    se,
    ci,
    bca,
    method,
    block,
    reps,
    m,
    level,
    seed,
    sorted,
    alignmentOf(how, al.index, ok),
  );
}
