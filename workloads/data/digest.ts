/**
 * Stable digest of a workload's answer: canonical JSON (sorted keys) hashed with FNV-1a 64.
 * Not cryptographic; it only has to show that two runs computed the same thing.
 */

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value
}

/** FNV-1a over UTF-16 code units, 64 bits as two 32-bit halves; returns 16 hex digits. */
export function fnv1a64(text: string): string {
  let h1 = 0xcbf29ce4 >>> 0
  let h0 = 0x84222325 >>> 0
  for (let i = 0; i < text.length; i++) {
    h0 = (h0 ^ text.charCodeAt(i)) >>> 0
    // multiply the 64-bit (h1,h0) by the FNV prime 0x100000001b3
    const lo = h0 * 0x1b3
    const hi = h1 * 0x1b3 + h0 * 0x100 + Math.floor(lo / 4294967296)
    h0 = lo >>> 0
    h1 = hi >>> 0
  }
  return h1.toString(16).padStart(8, '0') + h0.toString(16).padStart(8, '0')
}

export function digestAnswer(answer: unknown): string {
  return fnv1a64(canonicalJson(answer))
}
