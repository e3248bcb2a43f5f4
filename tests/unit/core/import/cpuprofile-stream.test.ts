import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeSyntheticCpuProfile } from '../../../../bench/profile-generator.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { bytesSource, checkCpuProfileBytes, importCpuProfileBytes } from '../../../../core/import/cpuprofile-stream.js'
import { createStatsRng } from '../../../../core/stats/rng.js'

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/profiles')
const CPU_FIXTURES = [
  'node-20.20.2/fib-strings-json.cpuprofile',
  'node-20.20.2/deep-recursion.cpuprofile',
  'node-20.20.2/prettier-check.cpuprofile',
  'node-20.20.2/orderbook-naive.cpuprofile',
  'node-8.17.0/fib-strings-json.cpuprofile',
  'node-10.24.1/fib-strings-json.cpuprofile',
]
const encoder = new TextEncoder()

function synthetic(seed: number, nodes: number, samples: number, negativeDeltaShare = 0.01): string {
  const parts: string[] = []
  writeSyntheticCpuProfile((s) => parts.push(s), { nodes, samples, seed, negativeDeltaShare, maxDepth: 80 })
  return parts.join('')
}

/** The object importer (the oracle) and the byte importer, in memory and through windows of several sizes. */
function expectSameTrees(text: string, windows: number[] = [1, 13, 4096]): void {
  const oracle = importCpuProfile(JSON.parse(text))
  const b = encoder.encode(text)
  expect(importCpuProfileBytes(b)).toEqual(oracle)
  for (const w of windows) expect(importCpuProfileBytes(bytesSource(b), { windowBytes: w })).toEqual(oracle)
}

const messageOf = (run: () => unknown): string => {
  try {
    run()
  } catch (err) {
    return (err as Error).message
  }
  return ''
}

/** The import's error for these bytes, checked to be checkCpuProfileBytes' error too (the same checks). */
const errorOf = (text: string | Uint8Array): string => {
  const b = typeof text === 'string' ? encoder.encode(text) : text
  const message = messageOf(() => importCpuProfileBytes(b))
  expect(
    messageOf(() => checkCpuProfileBytes(b)),
    'checkCpuProfileBytes',
  ).toBe(message)
  return message
}

describe('importCpuProfileBytes: identical call trees to importCpuProfile', () => {
  for (const rel of CPU_FIXTURES) {
    it(rel, () => {
      const text = readFileSync(path.join(FIXTURES, rel), 'utf8')
      expectSameTrees(text)
      expect(checkCpuProfileBytes(encoder.encode(text))).toBeUndefined()
    })
  }

  it('on generated profiles (deep and wide trees, out-of-order samples), 30 seeds', () => {
    for (let seed = 1; seed <= 30; seed++) expectSameTrees(synthetic(seed, 20 + seed * 13, 50 + seed * 40), [7, 1000])
  })

  it('reads samples and timeDeltas in every number spelling, long enough for the plain-number scanner', () => {
    // Runs of plain numbers take the scanner; each odd spelling stops it and the general path reads it.
    const p = JSON.parse(synthetic(12, 50, 900)) as { samples: number[]; timeDeltas: number[] }
    const deltaSpellings = ['12.5', '1e2', '-0', '1234567890', '99999999999', ' 7', '\n8 ', '-3', '0.000001', '2E1']
    const deltas = p.timeDeltas.map((d, i) => (i % 37 === 5 ? deltaSpellings[Math.floor(i / 37) % deltaSpellings.length] : String(d)))
    const samples = p.samples.map((s, i) => (i % 53 === 9 ? ` ${s}\n` : String(s)))
    const text = JSON.stringify({ ...p, samples: [], timeDeltas: [] })
      .replace('"samples":[]', `"samples":[${samples.join(',')}]`)
      .replace('"timeDeltas":[]', `"timeDeltas":[${deltas.join(',')}]`)
    expect(() => JSON.parse(text)).not.toThrow()
    expectSameTrees(text, [5, 64, 100, 4096])
  })

  it('on the same profiles reformatted: whitespace, key order, escapes, extra fields, parent ids', () => {
    const rng = createStatsRng(99)
    for (let seed = 1; seed <= 10; seed++) {
      const p = JSON.parse(synthetic(seed, 60, 300)) as Record<string, unknown> & { nodes: Record<string, unknown>[] }
      // Shuffle top-level keys, reorder node keys, add unknown fields, and pretty-print.
      const nodes = p.nodes.map((n) => {
        const entries = Object.entries(n)
        entries.sort(() => rng.next() - 0.5)
        return Object.fromEntries([...entries, ['deoptReason', 'a "quoted" \\ reason'], ['x', { nested: [1, { y: '}' }] }]])
      })
      const keys = ['timeDeltas', 'startTime', 'samples', 'nodes', 'endTime', '$extra']
      const out: Record<string, unknown> = {}
      for (const k of keys) out[k] = k === 'nodes' ? nodes : k === '$extra' ? { title: 'ü ] } [' } : p[k]
      expectSameTrees(JSON.stringify(out, null, seed % 3), [5, 64])
      // Trace-style: parent ids instead of children.
      const parents = new Map<number, number>()
      for (const n of p.nodes) for (const c of (n.children as number[]) ?? []) parents.set(c, n.id as number)
      const withParent = {
        ...p,
        nodes: p.nodes.map(({ children: _c, ...n }) => ({
          ...n,
          ...(parents.has(n.id as number) ? { parent: parents.get(n.id as number) } : {}),
        })),
      }
      expectSameTrees(JSON.stringify(withParent))
    }
  })

  it('the same per-function line ticks (positionTicks), which the fixtures do have', () => {
    for (const rel of ['node-20.20.2/orderbook-naive.cpuprofile', 'node-20.20.2/fib-strings-json.cpuprofile']) {
      const text = readFileSync(path.join(FIXTURES, rel), 'utf8')
      const oracle = importCpuProfile(JSON.parse(text)).functions.lineTicks
      expect(oracle?.line.length).toBeGreaterThan(0)
      expect(importCpuProfileBytes(encoder.encode(text), { windowBytes: 97 }).functions.lineTicks).toEqual(oracle)
    }
    // Key order with positionTicks before callFrame, and a malformed entry skipped by both.
    const p = JSON.parse(synthetic(3, 80, 200)) as { nodes: Record<string, unknown>[] }
    const nodes = p.nodes.map(({ positionTicks, ...n }) =>
      positionTicks ? { positionTicks: [...(positionTicks as unknown[]), { line: 'x', ticks: 1 }, { line: 7, ticks: 2 }], ...n } : n,
    )
    const reordered = JSON.stringify({ ...p, nodes })
    const tree = importCpuProfile(JSON.parse(reordered))
    expect(tree.functions.lineTicks?.line.length).toBeGreaterThan(0)
    expectSameTrees(reordered, [11, 512])
  })

  it('reads positionTicks from the bytes exactly as JSON.parse reads them, in every spelling', () => {
    // Each node gets one spelling; the plain ones take the byte path, the rest fall back to JSON.parse.
    const spellings = [
      '[{"line":3,"ticks":2},{"line":5,"ticks":1}]',
      '[ { "ticks" : 4 , "line" : 9 } ]',
      '[]',
      '[{"line":3,"ticks":2},{"line":3,"ticks":5}]',
      '[{"line":-1,"ticks":2},{"line":4,"ticks":-3},{"line":6,"ticks":1}]',
      '[{"line":2.5,"ticks":1},{"line":8,"ticks":1e0}]',
      '[{"line":7,"ticks":1,"extra":true}]',
      '[{"line":7,"line":8,"ticks":1}]',
      '[{"line":"7","ticks":1},{"line":12345678901,"ticks":1}]',
      '[\n{"line":1,\n"ticks":0}\n]',
    ]
    const p = JSON.parse(synthetic(4, 60, 200)) as { nodes: Record<string, unknown>[] }
    const nodeTexts = p.nodes.map(({ positionTicks: _drop, ...n }, i) => {
      const json = JSON.stringify(n)
      return `${json.slice(0, -1)},"positionTicks":${spellings[i % spellings.length]}}`
    })
    const text = JSON.stringify({ ...p, nodes: [] }).replace('"nodes":[]', `"nodes":[${nodeTexts.join(',')}]`)
    const oracle = importCpuProfile(JSON.parse(text))
    expect(oracle.functions.lineTicks?.line.length).toBeGreaterThan(0)
    expectSameTrees(text, [7, 64, 4096])
  })

  it('reads callFrames from the bytes exactly as JSON.parse reads them, in every spelling', () => {
    // Each node's callFrame gets one spelling; plain ones are read from the bytes, the rest by JSON.parse.
    // Names differ per node so that no two spellings share a function and hide a wrong reading.
    const spellings = [
      (i: number) => `{"functionName":"f${i}","scriptId":"3","url":"file:///a.js","lineNumber":${i},"columnNumber":2}`,
      (i: number) => `{ "columnNumber" : 4 ,\n "url" : "file:///b.js", "lineNumber" : ${i} , "functionName" : "g${i}" }`,
      (i: number) => String.raw`{"functionName":"caf\u00e9${i}","scriptId":"3","url":"file:///a.js","lineNumber":${i},"columnNumber":2}`,
      (i: number) => String.raw`{"functionName":"h\"${i}\\","scriptId":"3","url":"C:\\src\\x.js","lineNumber":${i},"columnNumber":2}`,
      (i: number) => `{"functionName":"ü${i}","scriptId":3,"url":"file:///ü.js","lineNumber":${i},"columnNumber":2}`,
      (i: number) =>
        `{"functionName":"dup","functionName":"k${i}","url":"","url":"node:x","lineNumber":1,"lineNumber":${i},"columnNumber":-1}`,
      (i: number) => `{"functionName":"m${i}","url":"file:///a.js","lineNumber":${i}.0,"columnNumber":2e0,"extra":null}`,
      (i: number) => `{"functionName":"n${i}","url":"file:///a.js","lineNumber":${i},"columnNumber":2,"x":{"y":[1,"}"]},"z":true}`,
      (i: number) =>
        String.raw`{"functionName":"o${i}","function\u004eame":"p${i}","url":"file:///a.js","lineNumber":${i},"columnNumber":2}`,
      (i: number) =>
        `{"functionName":"q${i}","scriptId":"7","url":"file:///node_modules/lib/index.js","lineNumber":${i},"columnNumber":12345}`,
      // One frame on many nodes with '}' inside its strings: a frame seen before is looked up by its bytes
      // up to the first '}', which here falls inside a string.
      () => `{"functionName":"r}{","scriptId":"3","url":"file:///a}.js","lineNumber":7,"columnNumber":2}`,
    ]
    const p = JSON.parse(synthetic(5, 80, 300)) as { nodes: Record<string, unknown>[] }
    const nodeTexts = p.nodes.map(({ callFrame, ...n }, i) => {
      const cf = callFrame as { functionName: string }
      // The root and V8's pseudo-frames keep their callFrames (the importer finds them by name).
      const frame =
        i === 0 || cf.functionName.startsWith('(')
          ? JSON.stringify(callFrame)
          : (spellings[i % spellings.length] as (i: number) => string)(i)
      return `{"callFrame":${frame},${JSON.stringify(n).slice(1)}`
    })
    const text = JSON.stringify({ ...p, nodes: [] }).replace('"nodes":[]', `"nodes":[${nodeTexts.join(',')}]`)
    const oracle = importCpuProfile(JSON.parse(text))
    const names = new Set(oracle.functions.name)
    for (const expected of ['f22', 'g23', 'café24', 'h"25\\', 'ü26', 'k27', 'm28', 'n29', 'p30', 'q31', 'r}{'])
      expect(names).toContain(expected)
    expectSameTrees(text, [7, 64, 4096])
  })

  it("reads nodes in V8's own spelling, and every near miss of it, as JSON.parse reads them", () => {
    // plainNodes reads nodes spelled exactly as V8 writes them, many per call; any other spelling stops it
    // before that node, which fastNode (or the object path) then reads. Each node here gets one spelling.
    const near: ((json: string) => string)[] = [
      (j) => j,
      (j) => j.replace('"hitCount":', '"hitCount": '),
      (j) => j.replace(',"callFrame"', ', "callFrame"'),
      (j) => j.replace(/"hitCount":(\d+)/, '"hitCount":$1.0'),
      (j) => j.replace(/"hitCount":(\d+)/, '"hitCount":$1,"deoptReason":"not }{ optimized"'),
      (j) => j.replace('"children":[', '"children":[ ').replace(/,(\d)/g, ', $1'),
      (j) => j.replace(/^\{"id":(\d+),/, '{"id":$1 ,'),
      (j) => j.replace(/\}$/, ',"positionTicks":[]}'),
      (j) => j.replace(/\}$/, ',"positionTicks":[{"line":0,"ticks":4},{"line":9,"ticks":0},{"line":9,"ticks":3}]}'),
      (j) => j.replace(/\}$/, ',"positionTicks":[{"ticks":2,"line":5}]}'),
      (j) => j.replace(/\}$/, ',"positionTicks":[{"line":5,"ticks":2} ]}'),
      (j) => j.replace(/\}$/, ',"positionTicks":[{"line":1234567890,"ticks":2}]}'),
      (j) => j.replace(/\}$/, ',"extra":1}'),
      (j) => (j.includes('"children"') ? j : j.replace(/\}$/, ',"children":[]}')),
    ]
    const p = JSON.parse(synthetic(8, 1500, 3000)) as { nodes: Record<string, unknown>[] }
    // A long children list that crosses plainNodes' 4 KB stretch and small windows' ends.
    const root = p.nodes[0] as { id: number; children: number[] }
    const extra = Array.from({ length: 900 }, (_, k) => 100_000 + k)
    root.children = [...root.children, ...extra]
    const leaves = extra.map((id) => ({ id, callFrame: (p.nodes[1] as { callFrame: unknown }).callFrame, hitCount: 0 }))
    const rng = createStatsRng(8)
    const nodeTexts = [...p.nodes, ...leaves].map((n, i) => {
      const json = JSON.stringify(n)
      // Runs of plain nodes with near misses between them (the root stays plain: it holds the long list).
      return i === 0 || rng.next() < 0.6 ? json : (near[rng.below(near.length)] as (j: string) => string)(json)
    })
    const text = JSON.stringify({ ...p, nodes: [] }).replace('"nodes":[]', `"nodes":[${nodeTexts.join(',')}]`)
    expect(() => JSON.parse(text)).not.toThrow()
    expectSameTrees(text, [300, 700, 2000, 4096, 1 << 16])
  })

  it("reads across the scanner's 64 KB pieces, and as its callFrame table grows past 20,000 frames", () => {
    // The scanner (core/import/cpuprofile-scan.ts) reads a piece of up to 64 KB of the window per call;
    // a node that does not end in the piece is read by fastNode. 24,000 distinct callFrames (a name per
    // node) make its table grow, rehash and move its bytes several times; long children lists cross pieces.
    const p = JSON.parse(synthetic(11, 24_000, 30_000)) as { nodes: { callFrame: { functionName: string }; children?: number[] }[] }
    p.nodes.forEach((n, i) => {
      if (i > 0) n.callFrame = { ...n.callFrame, functionName: `${n.callFrame.functionName}_${i}` }
    })
    const text = JSON.stringify(p)
    expect(text.length).toBeGreaterThan(3 << 20)
    expectSameTrees(text, [70_000, 1 << 20])
    const tree = importCpuProfileBytes(encoder.encode(text))
    expect(tree.functions.length).toBeGreaterThan(20_000)
  })

  it("a callFrame longer than the scanner's piece is read the slow way, with the same tree", () => {
    const p = JSON.parse(synthetic(12, 300, 600)) as { nodes: { callFrame: { functionName: string; url: string } }[] }
    const long = p.nodes[5] as { callFrame: { functionName: string; url: string } }
    long.callFrame = { ...long.callFrame, functionName: 'f'.repeat(100_000), url: `file:///${'u'.repeat(70_000)}.js` }
    expectSameTrees(JSON.stringify(p), [4096, 300_000])
  })

  it('profiles without timeDeltas or samples (hitCount only)', () => {
    const p = JSON.parse(synthetic(5, 40, 100)) as Record<string, unknown>
    const { timeDeltas: _t, ...noDeltas } = p
    expectSameTrees(JSON.stringify(noDeltas))
    const { samples: _s, ...noSamples } = noDeltas
    expectSameTrees(
      JSON.stringify({ ...noSamples, nodes: (p.nodes as Record<string, unknown>[]).map((n, i) => ({ ...n, hitCount: i % 4 })) }),
    )
  })
})

describe('importCpuProfileBytes: bad input', () => {
  const good = readFileSync(path.join(FIXTURES, 'node-20.20.2/fib-strings-json.cpuprofile'))

  it('a truncated file, cut anywhere, is an error with the byte offset and no tree', () => {
    const rng = createStatsRng(7)
    for (let k = 0; k < 40; k++) {
      const cut = 1 + Math.floor(rng.next() * (good.length - 2))
      const message = errorOf(good.subarray(0, cut))
      expect(message, `cut at ${cut}`).toMatch(/CPU profile: .*(truncated|byte \d+|same length)/)
    }
    expect(errorOf(good.subarray(0, good.length - 1))).toMatch(/the file ends at byte \d+ .*truncated/)
  })

  it('corrupt bytes are reported with their offset', () => {
    const corrupt = Uint8Array.from(good)
    const at = good.indexOf('"samples":[') + 30
    corrupt[at] = 0x40 // '@'
    expect(errorOf(corrupt)).toMatch(new RegExp(`unexpected '@' at byte ${at}`))
    const trailing = '{"nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":"","lineNumber":0,"columnNumber":0}}] x'
    expect(errorOf(trailing)).toMatch(new RegExp(`unexpected 'x' at byte ${trailing.indexOf('x')}, where ',' or '}'`))
    expect(errorOf('')).toMatch(/the file is empty/)
    expect(errorOf('[1,2]')).toMatch(/expected a JSON object, got an array at byte 0/)
  })

  it('samples that reference missing nodes, and nodes that fail the checks, are named', () => {
    const p = JSON.parse(good.toString()) as { samples: number[]; nodes: Record<string, unknown>[] }
    p.samples[5] = 999_999
    expect(errorOf(JSON.stringify(p))).toMatch(/sample 5 refers to node id 999999, which is not in `nodes`/)
    const q = JSON.parse(good.toString()) as { nodes: Record<string, unknown>[] }
    ;(q.nodes[3] as { callFrame: Record<string, unknown> }).callFrame.url = 7
    expect(errorOf(JSON.stringify(q))).toMatch(/node id \d+: callFrame.url must be a string/)
    const r = JSON.parse(good.toString()) as { timeDeltas: unknown[] }
    r.timeDeltas[2] = 'soon'
    expect(errorOf(JSON.stringify(r))).toMatch(/timeDeltas\[2\] is "soon", not a number \(byte \d+\)/)
  })

  it('negative and absurd time deltas are counted in meta (and the samples sorted)', () => {
    const p = JSON.parse(good.toString()) as { timeDeltas: number[] }
    p.timeDeltas[10] = -50
    p.timeDeltas[20] = 5_000_000_000
    const tree = importCpuProfileBytes(encoder.encode(JSON.stringify(p)))
    expect(tree.meta.negativeTimeDeltas).toBe(1)
    expect(tree.meta.absurdTimeDeltas).toBe(1)
    expect(tree).toEqual(importCpuProfile(p))
  })

  it('reports progress up to the whole file', () => {
    const text = synthetic(3, 3000, 100_000)
    const seen: number[] = []
    importCpuProfileBytes(bytesSource(encoder.encode(text)), { onProgress: (done) => seen.push(done) })
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.at(-1)).toBe(encoder.encode(text).length)
  })
})
