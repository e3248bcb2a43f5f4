/**
 * Writes synthetic `.cpuprofile` files shaped like V8's (ids 1..n in pre-order, `children` lists, call
 * frames with urls and positions, positionTicks, `(program)`/`(idle)`/`(garbage collector)` at the root,
 * samples with mostly-100 µs timeDeltas and the odd negative one) for the profiles bench and the
 * streaming importer's property test. Trees are both deep (long call chains, to 600 frames) and wide
 * (fan-outs of hundreds), and siblings often share a function (so merging matters). Output goes to a
 * `write` callback in pieces, so a 1 GB profile never exists as one string.
 */
import { createStatsRng } from '../core/stats/rng.js'

export interface SyntheticProfileOptions {
  nodes: number
  samples: number
  seed: number
  /** Distinct functions (default nodes / 8, at least 8). */
  functions?: number
  maxDepth?: number
  /** Share of samples with a negative time delta (default 0.001). */
  negativeDeltaShare?: number
}

/** Writes one profile; returns the bytes written. */
export function writeSyntheticCpuProfile(write: (chunk: string) => void, options: SyntheticProfileOptions): number {
  const rng = createStatsRng(options.seed)
  const rand = (): number => rng.next()
  const n = Math.max(4, options.nodes)
  const fnCount = Math.max(8, options.functions ?? Math.floor(n / 8))
  const maxDepth = options.maxDepth ?? 600
  let bytes = 0
  let pending = ''
  const out = (s: string): void => {
    pending += s
    if (pending.length >= 1 << 20) {
      bytes += pending.length
      write(pending)
      pending = ''
    }
  }
  const parent = new Int32Array(n + 1)
  const depth = new Int32Array(n + 1)
  const fn = new Int32Array(n + 1)
  // Node 1 is (root); 2, 3, 4 are (program), (idle), (garbage collector).
  for (let id = 2; id <= 4; id++) parent[id] = 1
  for (let id = 5; id <= n; id++) {
    const r = rand()
    // Mostly extend the previous chain (deep), sometimes branch off anywhere (wide), sometimes a new root child.
    let p = r < 0.55 ? id - 1 : r < 0.97 ? 5 + Math.floor(rand() * (id - 5)) : 1
    if ((p < 5 && p !== 1) || p >= id) p = 1
    if ((depth[p] as number) >= maxDepth) p = 1
    parent[id] = p
    depth[id] = (depth[p] as number) + 1
    // A handful of hot functions, a long tail of others.
    fn[id] = rand() < 0.3 ? Math.floor(rand() * 16) : Math.floor(rand() * fnCount)
  }
  // Children lists in id order (V8 writes ids in pre-order; any order that lists each child once is valid).
  const childCount = new Int32Array(n + 2)
  for (let id = 2; id <= n; id++) childCount[parent[id] as number]! += 1
  const start = new Int32Array(n + 2)
  for (let id = 1; id <= n; id++) start[id + 1] = (start[id] as number) + (childCount[id] as number)
  const fill = start.slice()
  const children = new Int32Array(n)
  for (let id = 2; id <= n; id++) children[fill[parent[id] as number]!++] = id

  const frame = (id: number): string => {
    if (id === 1) return '"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1'
    if (id === 2) return '"functionName":"(program)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1'
    if (id === 3) return '"functionName":"(idle)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1'
    if (id === 4) return '"functionName":"(garbage collector)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1'
    const f = fn[id] as number
    const file = f % 97
    const url =
      file < 60
        ? `file:///srv/app/src/module-${file}.js`
        : file < 90
          ? `file:///srv/app/node_modules/dep-${file}/lib/index.js`
          : `node:internal/mod-${file}`
    const name = f % 11 === 0 ? '' : `fn_${f.toString(36)}${f % 5 === 0 ? '\\u00e9' : ''}`
    return `"functionName":"${name}","scriptId":"${10 + file}","url":"${url}","lineNumber":${(f * 7) % 4000},"columnNumber":${(f * 13) % 120}`
  }
  // Samples land on the deeper half of the tree more often, as real profiles do.
  const sampleIds = new Int32Array(Math.min(options.samples, 1 << 20))
  const pickSample = (): number => {
    const r = rand()
    if (r < 0.03) return 2
    if (r < 0.06) return 3
    if (r < 0.07) return 4
    return 5 + Math.min(n - 5, Math.floor(Math.sqrt(rand()) * (n - 4)))
  }
  out('{"nodes":[')
  for (let id = 1; id <= n; id++) {
    if (id > 1) out(',')
    const kids = children.subarray(start[id] as number, start[id + 1] as number)
    const ticks = id > 4 && rand() < 0.3 ? `,"positionTicks":[{"line":${(id % 300) + 1},"ticks":${1 + (id % 5)}}]` : ''
    // hitCount is 0: the importer reads it only for profiles without samples.
    out(`{"id":${id},"callFrame":{${frame(id)}},"hitCount":0,"children":[${kids.join(',')}]${ticks}}`)
  }
  const startTime = 1_000_000_000
  const negShare = options.negativeDeltaShare ?? 0.001
  // The deltas come from their own generator, run twice with one seed: once to sum them for endTime
  // (which comes first in the file), once to write them.
  const deltas = (): (() => number) => {
    const g = createStatsRng(options.seed ^ 0x5bd1e995)
    const r = (): number => g.next()
    return () => {
      const x = r()
      if (x < negShare) return -Math.floor(r() * 30)
      return 90 + Math.floor(r() * 25) + (x > 0.995 ? 2000 : 0)
    }
  }
  let total = 0
  const sumDelta = deltas()
  for (let i = 0; i < options.samples; i++) total += sumDelta()
  out(`],"startTime":${startTime},"endTime":${startTime + total + 50},"samples":[`)
  for (let i = 0; i < options.samples; i += sampleIds.length) {
    const m = Math.min(sampleIds.length, options.samples - i)
    for (let k = 0; k < m; k++) sampleIds[k] = pickSample()
    out((i > 0 ? ',' : '') + sampleIds.subarray(0, m).join(','))
  }
  out('],"timeDeltas":[')
  const nextDelta = deltas()
  const chunk: number[] = []
  for (let i = 0; i < options.samples; i++) {
    chunk.push(nextDelta())
    if (chunk.length === 1 << 16 || i === options.samples - 1) {
      out((i >= chunk.length ? ',' : '') + chunk.join(','))
      chunk.length = 0
    }
  }
  out(']}')
  bytes += pending.length
  write(pending)
  return bytes
}

/**
 * Node and sample counts for a profile of about `bytes`: 80% of the bytes in nodes (~210 bytes each), 20%
 * in samples (~11.5 bytes per sample and delta), so 1 GB holds ~4M nodes and ~18M samples.
 */
export function syntheticSizeFor(bytes: number): { nodes: number; samples: number } {
  const nodes = Math.max(100, Math.round((bytes * 0.8) / 210))
  const samples = Math.max(100, Math.round((bytes * 0.2) / 11.5))
  return { nodes, samples }
}
