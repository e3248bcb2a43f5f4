/**
 * Typed-array columns that fill as a profile is read: the one place that grows them (importers, the call
 * tree builder, line ticks, flame rows).
 */

/** The typed arrays the columns use. */
export type Column = Int32Array | Uint32Array | Float64Array | Uint8Array

/** A copy of `a` in a new array of the same kind with room for `size` elements (size ≥ a.length). */
export function resized<T extends Column>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size)
  b.set(a)
  return b
}

/** `a` itself when it has room for `need` elements, else a copy with the room doubled until it has. */
export function grownTo<T extends Column>(a: T, need: number): T {
  if (need <= a.length) return a
  let size = Math.max(1, a.length * 2)
  while (size < need) size *= 2
  return resized(a, size)
}
