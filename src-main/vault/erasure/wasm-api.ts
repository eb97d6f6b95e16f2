/** The few members of the WebAssembly API this code uses; the project compiles without the DOM typings that declare it. */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

/** The runtime's WebAssembly object, or undefined where there is none (read on each call, so tests can take it away). */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Compiles and instantiates a module that needs no imports, returning its exports. */
export function instantiate(api: WasmApi, bytes: Uint8Array): Record<string, unknown> {
  return new api.Instance(new api.Module(bytes)).exports;
}
