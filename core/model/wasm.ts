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

/**
 * A module of these base64 bytes (`what` names its user in the error a refusing page gets): the function
 * returned makes a new instance, with its own memory, of the module compiled on the first call.
 */
export function wasmModule<T>(base64: string, what: string): () => T {
  let compiled: object | undefined
  return () => {
    compiled ??= compile(base64, what)
    return new WebAssembly.Instance(compiled, {}).exports as T
  }
}

function compile(base64: string, what: string): object {
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

/** Byte addresses for arrays laid out one after another in an instance's memory (Float64 ones 8-aligned). */
export interface WasmLayout {
  f64(count: number): number
  i32(count: number): number
  /** The bytes laid out so far (what the instance must reserve). */
  readonly bytes: number
}

export function wasmLayout(start = 0): WasmLayout {
  let end = start
  return {
    f64(count) {
      end = (end + 7) & ~7
      const at = end
      end += count * 8
      return at
    },
    i32(count) {
      const at = end
      end += count * 4
      return at
    },
    get bytes() {
      return end
    },
  }
}
