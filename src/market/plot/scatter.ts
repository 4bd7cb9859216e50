/**
 * plot.scatter (y against x, aligned on dates) and plot.linearFit (its OLS line).
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { Chart } from '../output';
import { olsFit } from '../inference/ols';
import { compact, innerJoin, toColumns, xOut, type PlotInput, type SeriesLike } from './inputs';
import { baseLayout, fmtNum, type CommonOptions, type Trace } from './common';

export interface ScatterOptions extends CommonOptions {
  /** Fit y = a + b·x by ordinary least squares and draw the line with its equation. */
  fit?: boolean;
  /** Digits in the equation (default 4). */
  digits?: number;
}

export interface LinearFit {
  /** intercept a */
  intercept: number;
  /** slope b */
  slope: number;
  /** coefficient of determination */
  r2: number;
  /** points used (pairs where both are finite) */
  n: number;
  /** 'y = 1.2345·x + 0.0012' */
  equation: string;
}

/**
 * Ordinary least squares y = a + b·x: b = Σ(x-x̄)(y-ȳ) / Σ(x-x̄)², a = ȳ - b·x̄,
 * R² = 1 - Σ(y - a - b·x)² / Σ(y-ȳ)². Pairs with a non-finite member are skipped. Fitted by the
 * library's least-squares core (src/market/inference/ols.ts, as `regress`; two pairs: the line
 * through them); fewer pairs or a constant x give NaN coefficients. statsmodels: `sm.OLS(y, sm.add_constant(x)).fit()`.
 * @param x regressor values
 * @param y values explained, paired with x by position
 * @param digits digits of the coefficients in `equation` (default 4)
 * @returns {slope, intercept, r2, n, equation}
 * @example
 * plot.linearFit([1, 2, 3, 4], [3, 5, 7, 9]).slope // => 2
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>, digits = 4): LinearFit {
  const px: number[] = [],
    py: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      px.push(x[i]);
      py.push(y[i]);
    }
  const n = px.length;
  let slope = NaN,
    intercept = NaN,
    r2 = NaN;
  if (n === 2 && px[0] !== px[1]) {
    // exactly determined (the least-squares core wants more rows than coefficients): the line through both
    slope = (py[1] - py[0]) / (px[1] - px[0]);
    intercept = py[0] - slope * px[0];
    r2 = py[0] !== py[1] ? 1 : NaN;
  } else if (n >= 3) {
    const yv = Float64Array.from(py);
    try {
      const fit = olsFit([new Float64Array(n).fill(1), Float64Array.from(px)], yv, ['const', 'x'], 'plot.linearFit');
      intercept = fit.params[0];
      slope = fit.params[1];
      const my = py.reduce((a, b) => a + b, 0) / n;
      let syy = 0;
      for (const v of py) syy += (v - my) * (v - my);
      r2 = syy > 0 ? 1 - fit.ssr / syy : NaN;
    } catch {
      /* a constant x: no line */
    }
  }
  const f = (v: number) => fmtNum(v, digits);
  const equation = `y = ${f(slope)}·x ${intercept < 0 ? '−' : '+'} ${f(Math.abs(intercept))}`;
  return { intercept, slope, r2, n, equation };
}

/**
 * y against x as points (paired on equal dates when both are Series, else by position), with
 * `fit: true` the OLS line y = a + b·x of linearFit, its equation and R² written on the chart.
 * @param y the explained series, @param x the regressor
 * @param o fit, digits of the equation (default 4), title, axis titles
 * @returns a Chart (with `fit`, a LinearFit, when fit is true)
 * @example
 * plot.scatter([3, 5, 7, 9], [1, 2, 3, 4], { fit: true }).fit // => {"slope": 2, "intercept": 1, "r2": 1, "n": 4}
 */
export function scatter(y: SeriesLike, x: SeriesLike, o: ScatterOptions = {}): Chart {
  const [cy] = toColumns(y as PlotInput, 'y');
  const [cx] = toColumns(x as PlotInput, 'x');
  const j = innerJoin(cy, cx);
  const px: number[] = [],
    py: number[] = [],
    when: (string | number)[] = [];
  for (let i = 0; i < j.x.length; i++) {
    if (Number.isFinite(j.ya[i]) && Number.isFinite(j.yb[i])) {
      px.push(j.yb[i]);
      py.push(j.ya[i]);
      when.push(xOut(j.x[i], cy.time && cx.time));
    }
  }
  const big = px.length > 10_000;
  const data: Trace[] = [
    {
      type: big ? 'scattergl' : 'scatter',
      mode: 'markers',
      name: `${cy.name} vs ${cx.name}`,
      x: px.map(compact),
      y: py.map(compact),
      text: when,
      marker: { size: 5, opacity: 0.6 },
      hovertemplate: `${cx.name} %{x}<br>${cy.name} %{y}<br>%{text}<extra></extra>`,
    },
  ];
  const layout = baseLayout(
    { ...o, title: o.title ?? `${cy.name} vs ${cx.name}`, xTitle: o.xTitle ?? cx.name, yTitle: o.yTitle ?? cy.name },
    false,
  );
  layout.hovermode = 'closest';
  layout.showlegend = false; // the equation is written on the chart
  let fit: LinearFit | undefined;
  if (o.fit) {
    fit = linearFit(px, py, o.digits ?? 4);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of px) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const label = `${fit.equation}   R² = ${fit.r2.toFixed(3)}, n = ${fit.n}`;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `fit: ${fit.equation}`,
      x: [compact(lo), compact(hi)],
      y: [compact(fit.intercept + fit.slope * lo), compact(fit.intercept + fit.slope * hi)],
      hoverinfo: 'skip',
    });
    layout.annotations = [
      {
        xref: 'paper',
        yref: 'paper',
        x: 0.01,
        y: 0.99,
        xanchor: 'left',
        yanchor: 'top',
        showarrow: false,
        text: label,
        font: { size: 13 },
      },
    ];
  }
  const chart = new Chart({ data, layout }, { title: (layout.title as { text?: string } | undefined)?.text });
  if (fit) (chart as Chart & { fit?: LinearFit }).fit = fit;
  return chart as Chart & { fit?: LinearFit };
}
