/**
 * Core's WebAssembly modules (sources in wasm/, built by scripts/build-wasm.mjs into base64 modules
 * beside their users): the one place that compiles and instantiates them. WebAssembly is a global in
 * Node, browsers and workers alike, but lib ES2022 (core's only lib) does not declare it: the few
 * members used are declared here. A page whose Content-Security-Policy has no 'wasm-unsafe-eval'
 * refuses to compile them (Hotpath's own pages allow it).
 */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
}
declare const atob: (data: string) => string

/** The compiled module of these base64 bytes (`what` names its user in the error a refusing page gets). */
export function compileWasm(base64: string, what: string): object {
  const text = atob(base64)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  try {
    return new WebAssembly.Module(bytes)
  } catch (err) {
    throw new Error(
      `${what} could not compile its WebAssembly loops (${(err as Error).message}); a page must allow 'wasm-unsafe-eval' in its script-src`,
      { cause: err },
    )
  }
}

/** A new instance (with its own memory) of a compiled module, which imports nothing. */
export function instantiateWasm<T>(module: object): T {
  return new WebAssembly.Instance(module, {}).exports as T
}
