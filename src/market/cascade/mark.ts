/**
 * Mark price vs trade price. Liquidations trigger on the mark; orders fill at the traded
 * price (walking the depth curve). The mark rule says how the mark follows the trade price:
 *  - 'trade' (default): the mark is the traded price;
 *  - 'ema': an exponential moving average of the traded price with a half-life in steps; at a
 *    check inside step t the mark is ema + a (trade - ema), the average the step would end at
 *    if it closed at the current trade price (a = 1 - 2^(-1/halfLife));
 *  - 'index': weight x this venue's traded price + (1 - weight) x the other venues' price,
 *    which follow the exogenous path (history, or the simulated shock and noise) without this
 *    venue's liquidation impact, optionally times a per-step ratio `others`;
 *  - 'series': a stated per-step path, either the mark itself ('price': the same mark at every
 *    check of the step) or a ratio to the traded price ('ratio').
 * A collateral haircut path is separate (CollateralSpec): it values the collateral that a part
 * of the book posts as margin, on this venue only.
 */
import { Series } from '../series';

/** A per-step path: one value per step, or a Series matched to the replay's dates. */
export type StepSeries = ArrayLike<number> | Series;

export type MarkSpec =
  | { rule: 'trade' }
  | { rule: 'ema'; halfLife: number }
  | { rule: 'index'; weight?: number; others?: StepSeries }
  | { rule: 'series'; values: StepSeries; kind?: 'price' | 'ratio' };

/**
 * The value, on this venue, of a collateral asset that some positions post as margin (1 =
 * par). Positions with `book.collateral[i] = s > 0` hold a share s of their margin in it, so
 * their margin counts k = 1 - s (1 - value) times: liquidation price E(1 - k/L)/(1 - m) for a
 * long, E(1 + k/L)/(1 + m) for a short; bankruptcy price E(1 -/+ k/L). Values must be in (0, 1]
 * (a haircut path). Other venues are unaffected: the mark and the price path do not change.
 */
export interface CollateralSpec {
  /** the collateral's value on this venue per step, e.g. 1, 0.65, 0.95, 1 */
  value: StepSeries;
  /** name shown in tables (default 'collateral') */
  name?: string;
}

/** Resolves a per-step path to `steps` values (a Series by the replay's dates, exactly). */
export function stepValues(v: StepSeries, steps: number, time: Float64Array | undefined, what: string): Float64Array {
  if (v instanceof Series) {
    if (time && time.length === steps && Number.isFinite(time[0])) {
      const at = new Map<number, number>();
      for (let i = 0; i < v.length; i++) at.set(v.index[i], v.values[i]);
      const out = new Float64Array(steps);
      for (let t = 0; t < steps; t++) {
        const x = at.get(time[t]);
        if (x === undefined)
          throw new RangeError(
            `${what}: no value for ${new Date(time[t]).toISOString().slice(0, 10)} (step ${t}); the Series must cover every step of the path`,
          );
        out[t] = x;
      }
      return check(out, what);
    }
    if (v.length !== steps) throw new RangeError(`${what}: ${v.length} values for ${steps} steps`);
    return check(Float64Array.from(v.values), what);
  }
  if (!v || typeof v.length !== 'number')
    throw new TypeError(`${what}: expected an array of per-step values or a Series`);
  if (v.length !== steps) throw new RangeError(`${what}: ${v.length} values for ${steps} steps`);
  return check(Float64Array.from(v), what);
}
function check(a: Float64Array, what: string): Float64Array {
  for (let i = 0; i < a.length; i++)
    if (!(Number.isFinite(a[i]) && a[i] > 0))
      throw new RangeError(`${what}: value ${a[i]} at step ${i} must be a finite number > 0`);
  return a;
}

/** The mark rule as a small state machine the engine calls at every check and step end. */
export class MarkModel {
  readonly rule: MarkSpec['rule'];
  private readonly a: number = 1;
  private ema: number;
  private readonly series?: Float64Array;
  private readonly kind: 'price' | 'ratio' = 'ratio';
  private readonly weight: number = 1;

  constructor(spec: MarkSpec | undefined, steps: number, time: Float64Array | undefined, start: number) {
    this.rule = spec?.rule ?? 'trade';
    this.ema = start;
    if (!spec || spec.rule === 'trade') return;
    if (spec.rule === 'ema') {
      if (!(spec.halfLife > 0)) throw new RangeError('mark ema: halfLife must be > 0 (steps)');
      this.a = 1 - Math.pow(2, -1 / spec.halfLife);
    } else if (spec.rule === 'index') {
      this.weight = spec.weight ?? 0.5;
      if (!(this.weight >= 0 && this.weight <= 1)) throw new RangeError('mark index: weight must be in [0, 1]');
      if (spec.others !== undefined) this.series = stepValues(spec.others, steps, time, 'mark index: others');
    } else if (spec.rule === 'series') {
      this.kind = spec.kind ?? 'price';
      if (this.kind !== 'price' && this.kind !== 'ratio')
        throw new RangeError("mark series: kind must be 'price' or 'ratio'");
      this.series = stepValues(spec.values, steps, time, 'mark series');
    } else throw new RangeError(`unknown mark rule ${(spec as { rule: string }).rule}`);
  }

  /** The mark at a check in step t, given the traded price and the exogenous (other venues') price. */
  at(t: number, trade: number, exo: number): number {
    switch (this.rule) {
      case 'trade':
        return trade;
      case 'ema':
        return this.ema + this.a * (trade - this.ema);
      case 'index':
        return this.weight * trade + (1 - this.weight) * exo * (this.series ? this.series[t] : 1);
      default:
        return this.kind === 'price' ? this.series![t] : trade * this.series![t];
    }
  }

  /** End of step t at the traded close. */
  endStep(close: number): void {
    if (this.rule === 'ema') this.ema += this.a * (close - this.ema);
  }
}

export function describeMark(m: MarkSpec | undefined, c?: CollateralSpec): string {
  const base =
    !m || m.rule === 'trade'
      ? 'mark = traded price'
      : m.rule === 'ema'
        ? `mark = EMA of the traded price (half-life ${m.halfLife} step(s))`
        : m.rule === 'index'
          ? `mark = ${m.weight ?? 0.5} x traded price + ${1 - (m.weight ?? 0.5)} x other venues (exogenous path${m.others ? ' x stated ratio' : ''})`
          : `mark = stated per-step ${m.kind === 'ratio' ? 'ratio to the traded price' : 'path'}`;
  return c ? `${base}; ${c.name ?? 'collateral'} valued on this venue by a stated per-step path` : base;
}
