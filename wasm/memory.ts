// Memory helpers shared by core's AssemblyScript modules (wasm/*.ts): each module re-exports `reserve`
// for its JavaScript side, which lays arrays out in the module's memory and passes byte addresses.

/** Makes the memory at least `bytes` long. */
export function reserve(bytes: i32): void {
  const have = <i32>memory.size() << 16
  if (bytes > have) {
    if (memory.grow((bytes - have + 0xffff) >> 16) < 0) unreachable()
  }
}

@inline export function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2))
}

@inline export function setI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v)
}

@inline export function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3))
}

@inline export function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v)
}
