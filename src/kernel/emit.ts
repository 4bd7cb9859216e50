/**
 * What a cell sends to the client: protocol messages (null-prototype copies over the
 * structured-clone channel, see wire.ts), its stdout/stderr as stream messages, its displayed
 * values, all under the per-cell output cap.
 */
import type { FromKernel } from './protocol';
import { TEXT_MIME, type OutputItem } from '../shared/schemas';
import { outputCtx } from './cell';
import { record, SEND_OPTIONS, toWire } from './wire';

// captured when the kernel starts, before any cell can replace them
const proc = process;
const rawSend = process.send!.bind(process) as (m: unknown, h: undefined, o: object) => boolean;
/** protocol messages: null-prototype copies, sent with the 'advanced' (structured clone) channel (see wire.ts) */
const send = (m: FromKernel): boolean => rawSend(record(m), undefined, SEND_OPTIONS);

export function post(msg: FromKernel): void {
  try {
    send(msg);
  } catch {
    /* channel closed: the parent is gone and the watchdog ends this process */
  }
}

/**
 * Output a cell may keep, in characters (about the size of its JSON in the saved notebook).
 * Beyond it output is dropped and one note says how much ("… 12.3 MB more not kept"), so a
 * cell printing a million lines neither floods the extension host nor makes the notebook too
 * big to open. Documented in docs/kernel.md.
 */
export const OUTPUT_CAP_CHARS = 16 * 1024 * 1024;

/** the value of a cell's last expression passes a full cap when it is at most this big */
const RESULT_ALLOWANCE_CHARS = 1024 * 1024;

function mb(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}
/** The note that says how much output the cap dropped (or that output came after the cell ended). */
export function capNote(dropped: number | 'later'): string {
  const what = dropped === 'later' ? 'output that came after the cell ended is' : `${mb(dropped)} more`;
  return `\n… ${what} not kept (a cell keeps at most ${mb(OUTPUT_CAP_CHARS)} of output; write large results to a file)\n`;
}

/** Sends an output of the cell (or notes what the cap dropped). */
function emit(size: number, make: (id: number) => FromKernel, isResult = false): void {
  const ctx = outputCtx();
  if (!ctx) {
    post(make(0));
    return;
  }
  // the cell's value (its last expression) is shown even after a flood of prints, unless huge itself
  if (ctx.outSize + size > OUTPUT_CAP_CHARS && !(isResult && size <= RESULT_ALLOWANCE_CHARS)) {
    ctx.dropped += size;
    if (ctx.done && !ctx.lateCapNoted) {
      ctx.lateCapNoted = true;
      post({ type: 'stream', id: ctx.id, name: 'stderr', text: capNote('later') });
    }
    return;
  }
  ctx.outSize += size;
  post(make(ctx.id));
}

function streamWrite(name: 'stdout' | 'stderr') {
  return function write(
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((err?: Error | null) => void),
    cb?: (err?: Error | null) => void,
  ): boolean {
    const textOut =
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    if (textOut) emit(textOut.length, (id) => ({ type: 'stream', id, name, text: textOut }));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') proc.nextTick(done);
    return true;
  };
}

/** process.stdout / process.stderr writes become stream messages of the cell that wrote them. */
export function installStreams(): void {
  process.stdout.write = streamWrite('stdout');
  process.stderr.write = streamWrite('stderr');
}

/** Sends output items of the cell (a displayed value, or with `isResult` its last expression's). */
export function displayItems(items: OutputItem[], isResult = false): void {
  let wire;
  try {
    wire = toWire(items);
  } catch (e) {
    wire = toWire([{ mime: TEXT_MIME, data: `(output could not be sent: ${(e as Error)?.message ?? e})` }]);
  }
  const w = wire;
  emit(w.size, (id) => ({ type: 'display', id, items: w.value as OutputItem[] }), isResult);
}
