import { describe, expect, it } from 'vitest'
import { createSamplePasses } from '../../../../core/import/cpuprofile-samples.js'
import { sortSamplesByTime } from '../../../../core/import/cpuprofile.js'
import { createStatsRng } from '../../../../core/stats/rng.js'

// The per-sample passes run in WebAssembly a piece (65,536 samples) at a time, with values carried across
// pieces; here against the plain loops they replaced (written out below as the reference), on 200,000
// samples, so every carry crosses several pieces.
const N = 200_000

function reference(deltas: Float64Array, startTime: number) {
  const timestamp = new Float64Array(deltas.length)
  let t = startTime
  let negative = 0
  let sum = 0
  for (let i = 0; i < deltas.length; i++) {
    const d = deltas[i] as number
    if (d < 0) negative++
    else sum += d
    t += d
    timestamp[i] = t
  }
  return { timestamp, negative, sum }
}

function referenceFix(node: Int32Array, topLevel: Int32Array, program: number, gc: number, idle: number): void {
  let prev = node[0] as number
  let current = node[1] as number
  for (let i = 1; i < node.length - 1; i++) {
    const next = node[i + 1] as number
    if (
      current === program &&
      prev !== program &&
      prev !== gc &&
      prev !== idle &&
      next !== program &&
      next !== gc &&
      next !== idle &&
      topLevel[prev] === topLevel[next]
    )
      node[i] = prev
    prev = current
    current = next
  }
}

describe("a CPU profile's per-sample passes (WebAssembly, in pieces)", () => {
  const rng = createStatsRng(5)
  const rawNodes = 50
  const sampleNode = Int32Array.from({ length: N }, () => rng.below(rawNodes))
  const deltas = Float64Array.from({ length: N }, () => (rng.next() < 0.01 ? -rng.below(400) : rng.below(2000)))

  it('timestamps, negative count, sum and absurd count as the plain loops give them, to the bit', () => {
    const passes = createSamplePasses()
    const got = passes.timestamps(deltas, N, 12345.5)
    const want = reference(deltas, 12345.5)
    expect(got.negative).toBe(want.negative)
    expect(Object.is(got.sum, want.sum)).toBe(true)
    expect(got.timestamp).toEqual(want.timestamp)
    let above = 0
    for (let i = 1; i < N; i++) if ((deltas[i] as number) > 1500) above++
    expect(passes.countAbove(deltas, N, 1500)).toBe(above)
    // From a plain array too (the object importer's timeDeltas).
    expect(createSamplePasses().timestamps(Array.from(deltas), N, 12345.5).timestamp).toEqual(want.timestamp)
  })

  it('sorts by time stably, a little out of order (insertion) and badly out of order (index sort)', () => {
    for (const [share, span] of [
      [0.01, 30],
      [0.6, 3000],
    ] as const) {
      const ts = Float64Array.from({ length: N }, (_, i) => (rng.next() < share ? i - rng.below(span) : i))
      const nodes = Int32Array.from({ length: N }, (_, i) => i)
      const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b)
      const sortedTs = ts.slice()
      sortSamplesByTime(sortedTs, nodes)
      expect(Array.from(nodes)).toEqual(order)
      expect(Array.from(sortedTs)).toEqual(order.map((k) => ts[k]))
    }
  })

  it('fixes lone (program) samples with the original neighbours, across pieces', () => {
    const program = 1
    const topLevel = Int32Array.from({ length: rawNodes }, (_, i) => 10 + (i % 3))
    const withProgram = sampleNode.map((v, i) => (i % 7 === 3 || i === 65_536 || i === 65_537 ? program : v))
    const want = withProgram.slice()
    referenceFix(want, topLevel, program, 2, 3)
    const got = withProgram.slice()
    createSamplePasses().fixMissing(got, topLevel, program, 2, 3)
    expect(got).toEqual(want)
  })

  it('maps samples to builder nodes, (garbage collector) samples onto the stack before them, across pieces', () => {
    const gc = 4
    const treeNode = Int32Array.from({ length: rawNodes }, (_, i) => 100 + i)
    const nodes = sampleNode.map((v, i) => (i === 0 || i === 65_536 || i % 11 === 0 ? gc : v))
    const want = new Int32Array(N)
    let stack = 0
    for (let i = 0; i < N; i++) {
      const raw = nodes[i] as number
      if (raw === gc) want[i] = -1000 - stack
      else want[i] = stack = treeNode[raw] as number
    }
    const got = nodes.slice()
    createSamplePasses().toBuilderNodes(got, treeNode, gc, (s) => -1000 - s)
    expect(got).toEqual(want)
  })

  it('intervals in ms (the last one given) and timestamps to ms, and self sums in order', () => {
    const { timestamp } = reference(deltas.map(Math.abs), 500)
    const ts = timestamp.slice()
    const durations = createSamplePasses().intervalsToMillis(ts, 77, 500)
    for (const i of [0, 1, 65_535, 65_536, 65_537, N - 2]) {
      expect(Object.is(durations[i], ((timestamp[i + 1] as number) - (timestamp[i] as number)) / 1000)).toBe(true)
      expect(Object.is(ts[i], ((timestamp[i] as number) - 500) / 1000)).toBe(true)
    }
    expect(durations[N - 1]).toBe(77 / 1000)
    const self = new Float64Array(rawNodes + 10)
    const counts = new Float64Array(rawNodes + 10)
    createSamplePasses().addEach(sampleNode, durations, self, counts, rawNodes)
    const wantSelf = new Float64Array(rawNodes + 10)
    const wantCounts = new Float64Array(rawNodes + 10)
    for (let i = 0; i < N; i++) {
      wantSelf[sampleNode[i] as number]! += durations[i] as number
      wantCounts[sampleNode[i] as number]! += 1
    }
    expect(self).toEqual(wantSelf)
    expect(counts).toEqual(wantCounts)
  })
})
