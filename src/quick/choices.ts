/**
 * The choices of a quick analysis, without VS Code: which files look like prices, what each
 * analysis asks for, loading the chosen files with the library and checking that the chosen
 * dates leave enough data (a clear message before anything runs). src/notebook/quick.ts asks
 * the user; src/quick/cells.ts writes the cells.
 */
import { load } from '../market/load';
import { setRuntime } from '../market/context';
import { formatTime, Frame, type Series } from '../market/series';
import type { DateRange, QuickChoices, QuickKind } from './cells';

/** A header that has a date-like column and at least one other column. */
export function looksLikePriceHeader(header: string[]): boolean {
  const cols = header.map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  return cols.some((c) => /^(date|datetime|timestamp|time|day|observation_date)$/.test(c)) && cols.length >= 2;
}

/** Whether a file's first 4 KB (`head`) look like prices: a JSON array of records or a delimited header with a date column. */
export function looksLikePriceFile(fileName: string, head: string): boolean {
  if (fileName.endsWith('.json')) {
    const m = /^\s*\[\s*\{([^}]*)\}/.exec(head);
    return !!m && looksLikePriceHeader(Array.from(m[1].matchAll(/"([^"]+)"\s*:/g), (x) => x[1]));
  }
  const first = head.split(/\r?\n/)[0] ?? '';
  return looksLikePriceHeader(first.split(/[,;\t]/));
}

/** What a quick analysis asks for: how many series, and whether a window, a method, returns-or-levels, a lag. */
export function quickNeeds(kind: QuickKind): {
  count: number | 'many';
  window: boolean;
  method: boolean;
  on: boolean;
  lag: boolean;
} {
  switch (kind) {
    case 'correlation':
      return { count: 2, window: false, method: true, on: true, lag: false };
    case 'rolling':
      return { count: 2, window: true, method: true, on: true, lag: false };
    case 'beta':
      return { count: 2, window: true, method: false, on: false, lag: false };
    case 'leadlag':
      return { count: 2, window: false, method: false, on: false, lag: true };
    case 'drawdown':
      return { count: 'many', window: false, method: false, on: false, lag: false };
    case 'cascade':
      return { count: 1, window: false, method: false, on: false, lag: false };
    case 'analyze':
      return { count: 1, window: false, method: false, on: false, lag: false };
  }
}

/** A chosen file as the library loaded it: as read, and the series analyses use. */
export interface LoadedFile {
  raw: Series | Frame;
  s: Series;
}

/** A file the user chose: how messages name it, and its absolute path. */
export interface ChosenFile {
  label: string;
  path: string;
}

/** Loads the chosen files with the analysis library (the close of OHLC files); throws a message naming the file. */
export function loadChosen(files: ChosenFile[], baseDir: string): LoadedFile[] {
  setRuntime({ baseDir });
  return files.map((f) => {
    let v: Series | Frame;
    try {
      v = load(f.path) as Series | Frame;
    } catch (e) {
      throw new Error(`${f.label} cannot be used: ${(e as Error).message}`);
    }
    const s = (v instanceof Frame ? (v.names.includes('close') ? v.get('close') : v.get(v.names[0])) : v).dropna();
    if (s.length < 2)
      throw new Error(
        `${f.label} has ${s.length} data point${s.length === 1 ? '' : 's'}: an analysis needs at least 2.`,
      );
    return { raw: v, s };
  });
}

const day = (t: number) => formatTime(t).slice(0, 10);

/** The dates every file covers (the range analyses of pairs use). */
export function sharedRange(loaded: LoadedFile[], files: ReadonlyArray<{ label: string }>): DateRange {
  const first = loaded
    .map((l) => day(l.s.index[0]))
    .sort()
    .pop()!;
  const last = loaded.map((l) => day(l.s.index[l.s.length - 1])).sort()[0];
  if (first > last)
    throw new Error(
      `${files.map((f) => f.label).join(' and ')} share no dates (${loaded.map((l, i) => `${files[i].label}: ${day(l.s.index[0])} .. ${day(l.s.index[l.s.length - 1])}`).join('; ')}).`,
    );
  return { first, last };
}

/** From the earliest first date to the latest last date (drawdowns: each series on its own calendar). */
export function unionRange(loaded: LoadedFile[]): DateRange {
  return {
    first: loaded.map((l) => day(l.s.index[0])).sort()[0],
    last: loaded
      .map((l) => day(l.s.index[l.s.length - 1]))
      .sort()
      .pop()!,
  };
}

/** Checks the chosen dates leave enough data for the analysis; throws a readable message. */
export function validateChoice(
  c: QuickChoices,
  files: ReadonlyArray<{ label: string }>,
  loadedFiles: LoadedFile[],
): void {
  const loaded = loadedFiles.map((l, i) => {
    const sliced = l.s.slice(c.from, c.to);
    if (sliced.length < 2)
      throw new Error(
        `${files[i].label} has ${sliced.length} data point${sliced.length === 1 ? '' : 's'} between ${c.from ?? 'the start'} and ${c.to ?? 'the end'}: choose other dates.`,
      );
    return { name: c.series[i].name, s: sliced, raw: l.raw };
  });
  if (c.kind === 'cascade') {
    const v = loaded[0].raw;
    if (!(v instanceof Frame) || !v.names.includes('high') || !v.names.includes('low'))
      throw new Error(`${files[0].label} has no high and low columns: a cascade replay needs daily OHLC prices.`);
  }
  if (loaded.length >= 2 && c.kind !== 'drawdown') {
    const [a, b] = loaded;
    const bSet = new Set(b.s.index);
    let common = 0;
    for (const t of a.s.index) if (bSet.has(t)) common++;
    const needPts = (c.window ?? 2) + 1;
    if (common < needPts) {
      throw new Error(
        `${a.name} and ${b.name} share only ${common} date${common === 1 ? '' : 's'} between ${c.from ?? 'the start'} and ${c.to ?? 'the end'}; ${c.window ? `a ${c.window}-point window needs at least ${needPts}` : 'at least 3 are needed'}. Choose a wider date range${c.window ? ' or a shorter window' : ''}.`,
      );
    }
  }
}
