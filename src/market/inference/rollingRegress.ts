/**
 * rollingRegress(): statsmodels RollingOLS (parameters, standard errors, R²) in O(n·k²) by
 * sliding the window's cross-product sums instead of refitting each window.
 */
import { DISPLAY, type OutputItem, type TableValue } from '../../shared/schemas';
import { Series, formatTime, type AlignmentInfo } from '../series';
import { alignArrays, asSeries, type AlignHow, type SeriesLike } from '../align';
import { alignmentOfFinite } from '../alignment';
import { checkWindow, fmt, numOrNull, resultOutputs } from '../stats';
import { factorList, type Factors } from './regress';

/** Result of rollingRegress(): per window end, the coefficients and their standard errors. */
export class RollingRegressResult {
  constructor(
    public y: string,
    /** 'const' then the factor names */
    public names: string[],
    public window: number,
    /** dates of the aligned calendar (window ends) */
    public index: Float64Array,
    /** params[j][i]: coefficient j of the window ending at index[i] (NaN before the first full window or where a value is missing) */
    public params: Float64Array[],
    /** classic standard errors, as RollingOLS bse */
    public bse: Float64Array[],
    public r2: Float64Array,
    public alignment: AlignmentInfo,
  ) {}
  private j(name: string): number {
    const j = this.names.indexOf(name);
    if (j < 0)
      throw new RangeError(`rollingRegress: no coefficient "${name}"; the names are: ${this.names.join(', ')}`);
    return j;
  }
  /** a coefficient's path as a Series (chartable: plot.rolling(r.coef('QQQ'))) */
  coef(name: string): Series {
    return new Series(this.index, this.params[this.j(name)], `${name} coefficient (${this.window})`, {
      alignment: this.alignment,
      window: this.window,
    });
  }
  /** a coefficient's standard error path */
  se(name: string): Series {
    return new Series(this.index, this.bse[this.j(name)], `${name} se (${this.window})`, {
      alignment: this.alignment,
      window: this.window,
    });
  }
  get rsquared(): Series {
    return new Series(this.index, this.r2, `R² (${this.window})`, { alignment: this.alignment, window: this.window });
  }
  get reading(): string {
    const last = this.index.length - 1;
    const s = this.names
      .slice(1)
      .map((nm) => {
        const j = this.j(nm);
        return `${nm} ${fmt(this.params[j][last])} ± ${fmt(this.bse[j][last], 2)}`;
      })
      .join(', ');
    return `latest window: ${s}; windows overlap by ${this.window - 1} of ${this.window} points, so neighbouring estimates are not independent evidence; classic errors`;
  }
  toString(): string {
    return `rollingRegress(${this.y} on ${this.names.slice(1).join(', ')}, window ${this.window}): ${this.alignment.n} windows`;
  }
  [DISPLAY](): OutputItem[] {
    const rows: TableValue[][] = [];
    for (let i = 0; i < this.index.length; i++) {
      if (!Number.isFinite(this.r2[i])) continue;
      rows.push([
        formatTime(this.index[i]),
        ...this.names.flatMap((_, j) => [numOrNull(this.params[j][i]), numOrNull(this.bse[j][i])]),
        numOrNull(this.r2[i]),
      ]);
    }
    return resultOutputs(
      `${this.toString()}\n${this.reading}`,
      [
        { name: 'window end', type: 'date' },
        ...this.names.flatMap((nm) => [
          { name: nm, type: 'number' as const, digits: 4 },
          { name: `se ${nm}`, type: 'number' as const, digits: 4 },
        ]),
        { name: 'R²', type: 'number', digits: 3 },
      ],
      rows,
      `rolling OLS of ${this.y}, window ${this.window}`,
      this.alignment,
      [this.reading],
    );
  }
}

/**
 * rollingRegress(y, { QQQ: rq, GLD: rg }, window, { how }): OLS of y on a constant and the
 * factors over each window of `window` consecutive rows of the aligned calendar, as
 * statsmodels `RollingOLS(y, add_constant(X), window).fit()` (params, bse, rsquared).
 *
 * Formula: per window, centred cross-products C = Σ(x-x̄)(x-x̄)', c = Σ(x-x̄)(y-ȳ); slopes
 * b = C⁻¹c, intercept ȳ - b'x̄, SSR = Σ(y-ȳ)² - b'c, s² = SSR/(w-k), Var(b) = s²C⁻¹,
 * Var(a) = s²(1/w + x̄'C⁻¹x̄). The sums slide by one row per step (O(k²)) and are recomputed
 * from scratch every `window` steps with a new shift, so rounding never accumulates: O(n·k²)
 * plus a k×k solve per step. A window with a missing value, or a singular one, gives NaN.
 *
 * @returns RollingRegressResult: params[j], bse[j], r2, coef(name), se(name)
 * statsmodels: `RollingOLS(y, sm.add_constant(X), window=w).fit()`
 * @example
 * rollingRegress(new Series([1, 2, 3, 4, 5, 6, 7, 8], [1.1, 1.9, 3.2, 3.8, 5.1, 6.2, 6.8, 8.1], 'y'), { x: new Series([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 3, 5, 7, 6, 8]) }, 4).coef('x').last() // => 0.84
 */
export function rollingRegress(
  y: SeriesLike,
  X: Factors,
  window: number,
  options: { how?: AlignHow } = {},
): RollingRegressResult {
  checkWindow('rollingRegress', window);
  const ys = asSeries(y, 'rollingRegress: y');
  const facs = factorList(X, 'rollingRegress');
  const how = options.how ?? 'inner';
  const { index, values } = alignArrays([ys, ...facs.map(([, s]) => s)], how);
  const yv = values[0],
    xs = values.slice(1),
    p = xs.length,
    k = p + 1,
    n = index.length,
    w = window;
  if (w <= k) throw new RangeError(`rollingRegress: window ${w} must exceed the ${k} coefficients`);
  const params = Array.from({ length: k }, () => new Float64Array(n).fill(NaN));
  const bse = Array.from({ length: k }, () => new Float64Array(n).fill(NaN));
  const r2 = new Float64Array(n).fill(NaN);
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let g = Number.isFinite(yv[i]) ? 1 : 0;
    for (let j = 0; g && j < p; j++) if (!Number.isFinite(xs[j][i])) g = 0;
    ok[i] = g;
  }
  // shifted sums over the good rows of the window
  const kx = new Float64Array(p),
    sx = new Float64Array(p),
    sxx = new Float64Array(p * p),
    sxy = new Float64Array(p);
  let ky = 0,
    sy = 0,
    syy = 0,
    cnt = 0,
    bad = 0;
  const row = new Float64Array(p);
  const add = (i: number, sign: number) => {
    const dy = yv[i] - ky;
    for (let a = 0; a < p; a++) row[a] = xs[a][i] - kx[a];
    sy += sign * dy;
    syy += sign * dy * dy;
    for (let a = 0; a < p; a++) {
      const ra = row[a];
      sx[a] += sign * ra;
      sxy[a] += sign * ra * dy;
      for (let b = a; b < p; b++) sxx[a * p + b] += sign * ra * row[b];
    }
    cnt += sign;
  };
  const C = new Float64Array(p * p),
    L = new Float64Array(p * p),
    Ci = new Float64Array(p * p),
    c = new Float64Array(p),
    z = new Float64Array(p),
    bb = new Float64Array(p),
    xbar = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    if (!ok[i]) bad++;
    if (i >= w && !ok[i - w]) bad--;
    if (i >= w - 1 && (i - (w - 1)) % w === 0) {
      // restart: shift at the newest good row, sums over the window from scratch
      sx.fill(0);
      sxx.fill(0);
      sxy.fill(0);
      sy = syy = 0;
      cnt = 0;
      for (let t = i; t > i - w; t--)
        if (ok[t]) {
          ky = yv[t];
          for (let a = 0; a < p; a++) kx[a] = xs[a][t];
          break;
        }
      for (let t = i - w + 1; t <= i; t++) if (ok[t]) add(t, 1);
    } else {
      if (ok[i]) add(i, 1);
      if (i >= w && ok[i - w]) add(i - w, -1);
    }
    if (i < w - 1 || bad > 0) continue;
    // centred cross-products, Cholesky, inverse
    for (let a = 0; a < p; a++) {
      c[a] = sxy[a] - (sx[a] * sy) / w;
      xbar[a] = kx[a] + sx[a] / w;
      for (let b = a; b < p; b++) C[a * p + b] = C[b * p + a] = sxx[a * p + b] - (sx[a] * sx[b]) / w;
    }
    const cyy = syy - (sy * sy) / w;
    let spd = true;
    for (let j = 0; j < p && spd; j++) {
      let d = C[j * p + j];
      for (let m = 0; m < j; m++) d -= L[j * p + m] * L[j * p + m];
      if (!(d > 1e-13 * C[j * p + j])) {
        spd = false;
        break;
      }
      L[j * p + j] = Math.sqrt(d);
      for (let r = j + 1; r < p; r++) {
        let s = C[r * p + j];
        for (let m = 0; m < j; m++) s -= L[r * p + m] * L[j * p + m];
        L[r * p + j] = s / L[j * p + j];
      }
    }
    if (!spd) continue;
    // C⁻¹ column by column, then b = C⁻¹c
    for (let col = 0; col < p; col++) {
      for (let r = 0; r < p; r++) {
        let s = r === col ? 1 : 0;
        for (let m = 0; m < r; m++) s -= L[r * p + m] * z[m];
        z[r] = s / L[r * p + r];
      }
      for (let r = p - 1; r >= 0; r--) {
        let s = z[r];
        for (let m = r + 1; m < p; m++) s -= L[m * p + r] * Ci[m * p + col];
        Ci[r * p + col] = s / L[r * p + r];
      }
    }
    const ybar = ky + sy / w;
    let fit = 0,
      a0 = ybar;
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += Ci[a * p + b] * c[b];
      bb[a] = s;
      fit += s * c[a];
      a0 -= s * xbar[a];
    }
    const ssr = Math.max(0, cyy - fit),
      s2 = ssr / (w - k);
    let q = 0;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) q += xbar[a] * Ci[a * p + b] * xbar[b];
    params[0][i] = a0;
    bse[0][i] = Math.sqrt(s2 * (1 / w + q));
    for (let a = 0; a < p; a++) {
      params[a + 1][i] = bb[a];
      bse[a + 1][i] = Math.sqrt(s2 * Ci[a * p + a]);
    }
    r2[i] = cyy > 0 ? 1 - ssr / cyy : NaN;
  }
  return new RollingRegressResult(
    ys.name,
    ['const', ...facs.map(([nm]) => nm)],
    w,
    index,
    params,
    bse,
    r2,
    alignmentOfFinite(how, index, r2),
  );
}
