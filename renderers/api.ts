/**
 * The VS Code notebook renderer API, declared locally (the shape of the
 * `vscode-notebook-renderer` types package, which is not installed here). Only what the
 * renderers use.
 */
export interface Disposable { dispose(): void }

export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  readonly metadata?: unknown;
  text(): string;
  json(): any;
  data(): Uint8Array;
  blob(): Blob;
}

export interface RendererContext<TState = unknown> {
  /** Present when the renderer declares requiresMessaging and the host supports it. */
  readonly postMessage?: (message: unknown) => void;
  readonly onDidReceiveMessage?: (listener: (e: any) => any) => Disposable;
  readonly workspace?: { readonly isTrusted: boolean };
  readonly settings?: { readonly lineLimit?: number };
  getState?(): TState | undefined;
  setState?(value: TState): void;
}

export interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  /** id undefined: dispose everything */
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction<TState = unknown> = (context: RendererContext<TState>) => RendererApi | Promise<RendererApi>;
