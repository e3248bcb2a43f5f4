import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { topFunctions } from '../../../../core/analysis/call-tree.js'
import { toPprof } from '../../../../core/export/pprof.js'
import { toSpeedscope } from '../../../../core/export/speedscope.js'
import { convertChromeTrace } from '../../../../core/import/chrome-trace.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { importHeapProfile } from '../../../../core/import/heap-profile.js'
import { convertProfileBytes, importProfileBytes, importProfileText } from '../../../../core/import/index.js'
import type { CallTree } from '../../../../core/model/call-tree.js'

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/profiles')
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8')
const bytes = (rel: string): Uint8Array => readFileSync(path.join(FIXTURES, rel))
const TRACE = 'chromium-156.0.8078.114/fib-main-and-worker.trace.json'

/** Self and total per function key, without `(idle)` (the weighted importers close with an idle sample). */
function byKey(tree: CallTree): Map<string, { self: number; total: number; selfSamples: number }> {
  const out = new Map<string, { self: number; total: number; selfSamples: number }>()
  const f = tree.functions
  for (let i = 0; i < f.length; i++) {
    if (f.name[i] === '(idle)' || f.name[i] === '(root)') continue
    if ((f.self[i] as number) === 0 && (f.total[i] as number) === 0) continue
    // Exporters drop the column (pprof) or keep it (speedscope): compare by name, url and line.
    const key = `${f.name[i] || '(anonymous)'} ${f.url[i]}:${f.line[i]}`
    out.set(key, { self: f.self[i] as number, total: f.total[i] as number, selfSamples: f.selfSamples[i] as number })
  }
  return out
}

function expectSameFunctions(a: CallTree, b: CallTree, digits = 6): void {
  const ka = byKey(a)
  const kb = byKey(b)
  expect([...kb.keys()].sort()).toEqual([...ka.keys()].sort())
  for (const [k, v] of ka) {
    expect(kb.get(k)?.self, k).toBeCloseTo(v.self, digits)
    expect(kb.get(k)?.total, k).toBeCloseTo(v.total, digits)
  }
}

describe('legacy .cpuprofile layout (head tree, timestamps, seconds)', () => {
  it('imports to the same call tree as the modern file it was written from', () => {
    const modern = importCpuProfile(JSON.parse(read('node-20.20.2/deep-recursion.cpuprofile')))
    const legacy = importProfileText('old.cpuprofile', read('hand-made/deep-recursion.legacy.cpuprofile'))
    expect(legacy.sourceFormat).toBe('cpuprofile-legacy')
    expect(legacy.tree.nodes.length).toBe(modern.nodes.length)
    expect(Array.from(legacy.tree.nodes.func)).toEqual(Array.from(modern.nodes.func))
    expect(legacy.tree.functions.key).toEqual(modern.functions.key)
    for (let i = 0; i < modern.nodes.length; i++) expect(legacy.tree.nodes.total[i]).toBeCloseTo(modern.nodes.total[i] as number, 6)
    // By bytes too (the byte importer hands the legacy layout to the converter).
    const fromBytes = importProfileBytes('old.cpuprofile', bytes('hand-made/deep-recursion.legacy.cpuprofile'))
    expect(fromBytes.sourceFormat).toBe('cpuprofile-legacy')
    expect(fromBytes.tree.nodes.length).toBe(modern.nodes.length)
  })

  it('accepts callFrame objects in the tree and nodes without ids', () => {
    const p = {
      head: {
        callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
        hitCount: 0,
        children: [{ callFrame: { functionName: 'work', url: 'file:///a.js', lineNumber: 4, columnNumber: 2 }, hitCount: 3, children: [] }],
      },
      startTime: 10,
      endTime: 10.003,
    }
    const { tree } = importProfileText('p.json', JSON.stringify(p))
    const [top] = topFunctions(tree, 'self', 1)
    expect(top?.name).toBe('work')
    expect(top?.line).toBe(5)
    expect(top?.self).toBeCloseTo(3, 6)
  })
})

describe('.heapprofile without node ids or samples (Node 8 and 10)', () => {
  for (const dir of ['node-8.17.0', 'node-10.24.1']) {
    it(`imports ${dir}'s inspector profile`, () => {
      const text = read(`${dir}/fib-strings-json.heapprofile`)
      expect(text).not.toContain('"id"')
      const imported = importProfileText('x.heapprofile', text)
      expect(imported.format).toBe('heapprofile')
      let total = 0
      const walk = (n: { selfSize: number; children: unknown[] }): void => {
        total += n.selfSize
        for (const c of n.children) walk(c as { selfSize: number; children: unknown[] })
      }
      walk(JSON.parse(text).head)
      expect(imported.tree.nodes.total[0]).toBe(total)
      expect(topFunctions(imported.tree, 'self', 10).map((f) => f.name)).toContain('makeDocument')
    })
  }
})

describe('Chrome trace-event JSON', () => {
  it('gives one profile per thread, the renderer main thread first', () => {
    const threads = convertChromeTrace(JSON.parse(read(TRACE)))
    expect(threads.map((t) => t.threadName)).toEqual(['CrRendererMain', 'DedicatedWorker thread'])
    expect(threads[0]?.main).toBe(true)
    for (const t of threads) expect(t.profile.samples?.length).toBe(t.profile.timeDeltas?.length)
  })

  it('imports the chosen thread by name, pid:tid or number; fib is the worker hot spot', () => {
    const main = importProfileText('t.json', read(TRACE))
    expect(main.chosen).toBe(main.choices[0]?.key)
    expect(main.choices).toHaveLength(2)
    const worker = importProfileText('t.json', read(TRACE), { profile: 'DedicatedWorker thread' })
    expect(worker.chosen).toBe(main.choices[1]?.key)
    expect(topFunctions(worker.tree, 'self', 1)[0]?.name).toBe('fib')
    expect(importProfileText('t.json', read(TRACE), { profile: '2' }).chosen).toBe(worker.chosen)
    expect(importProfileText('t.json', read(TRACE), { profile: worker.chosen }).tree.meta.sampleCount).toBe(worker.tree.meta.sampleCount)
    expect(() => importProfileText('t.json', read(TRACE), { profile: 'GPU' })).toThrow(/has no profile "GPU"; it has: 1\. CrRendererMain/)
  })

  it("colours the page's own scripts as user code, also once converted to a .cpuprofile and read back", () => {
    // The recording's page functions have no url (evaluated by the test driver); their codeType says JS.
    const category = (tree: CallTree, name: string): string | undefined => tree.functions.category[tree.functions.name.indexOf(name)]
    const main = importProfileText('t.json', read(TRACE))
    expect(category(main.tree, 'mainLoop')).toBe('user')
    expect(category(main.tree, 'fib')).toBe('user')
    expect(category(main.tree, '(program)')).toBe('v8-native')
    const converted = convertProfileBytes('t.json', new TextEncoder().encode(read(TRACE)))
    expect(converted.kind).toBe('cpuprofile')
    const stored = importProfileBytes('stored.cpuprofile', new TextEncoder().encode(JSON.stringify(converted.raw)))
    expect(stored.tree.functions.category).toEqual(main.tree.functions.category)
    expect(category(stored.tree, 'fib')).toBe('user')
  })

  it('says how to record a trace that has no CPU profile', () => {
    const noProfile = JSON.stringify({ traceEvents: [{ name: 'Layout', ph: 'X', pid: 1, tid: 1, ts: 5, dur: 3 }] })
    expect(() => importProfileText('perf.json', noProfile)).toThrow(/perf.json: trace: no CPU profile.*disabled-by-default-v8.cpu_profiler/)
  })
})

describe('speedscope JSON', () => {
  it('reads evented profiles as speedscope draws them, and sampled profiles by weight', () => {
    const file = importProfileText('checkout.speedscope.json', read('hand-made/checkout.speedscope.json'))
    expect(file.sourceFormat).toBe('speedscope')
    expect(file.choices.map((c) => c.label)).toEqual(['main thread', 'worker'])
    const self = (tree: CallTree, name: string): number => topFunctions(tree, 'self', 50).find((f) => f.name === name)?.self ?? NaN
    const total = (tree: CallTree, name: string): number => topFunctions(tree, 'total', 50).find((f) => f.name === name)?.total ?? NaN
    const t = file.tree
    expect(self(t, 'checkout')).toBeCloseTo(20, 9)
    expect(self(t, 'priceItems')).toBeCloseTo(20, 9)
    expect(self(t, 'JSON.parse')).toBeCloseTo(30, 9)
    expect(self(t, 'render')).toBeCloseTo(20, 9)
    expect(self(t, 'main')).toBeCloseTo(10, 9)
    expect(total(t, 'main')).toBeCloseTo(100, 9)
    expect(total(t, 'checkout')).toBeCloseTo(70, 9)
    const worker = importProfileText('checkout.speedscope.json', read('hand-made/checkout.speedscope.json'), { profile: 'worker' }).tree
    expect(self(worker, 'priceItems')).toBeCloseTo(1, 9)
    expect(self(worker, 'JSON.parse')).toBeCloseTo(1.5, 9)
    expect(total(worker, 'main')).toBeCloseTo(3, 9)
  })

  it('round-trips the speedscope exporter on every recorded CPU profile', () => {
    for (const rel of [
      'node-20.20.2/fib-strings-json.cpuprofile',
      'node-20.20.2/prettier-check.cpuprofile',
      'node-8.17.0/fib-strings-json.cpuprofile',
    ]) {
      const original = importCpuProfile(JSON.parse(read(rel)))
      const again = importProfileText('x.json', JSON.stringify(toSpeedscope(original))).tree
      expectSameFunctions(original, again)
    }
  })

  it('round-trips allocation profiles (bytes) as heap profiles', () => {
    const original = importHeapProfile(JSON.parse(read('node-20.20.2/alloc-burst.heapprofile')))
    const again = importProfileText('x.json', JSON.stringify(toSpeedscope(original)))
    expect(again.format).toBe('heapprofile')
    expectSameFunctions(original, again.tree)
  })

  it('names the problem in a broken file', () => {
    const bad = {
      $schema: 'https://www.speedscope.app/file-format-schema.json',
      shared: { frames: [{ name: 'a' }] },
      profiles: [{ type: 'sampled', name: 'p', unit: 'milliseconds', startValue: 0, endValue: 1, samples: [[3]], weights: [1] }],
    }
    expect(() => importProfileText('s.json', JSON.stringify(bad))).toThrow(/s.json: speedscope: profile 0 sample 0 refers to frame 3/)
  })
})

describe('pprof', () => {
  const gunzip = (b: Uint8Array): Uint8Array => gunzipSync(b)
  it('round-trips the pprof exporter: same functions, time and sample counts', () => {
    for (const rel of ['node-20.20.2/fib-strings-json.cpuprofile', 'node-20.20.2/deep-recursion.cpuprofile']) {
      const original = importCpuProfile(JSON.parse(read(rel)))
      const gz = gzipSync(toPprof(original))
      const again = importProfileBytes('x.pb.gz', gz, { gunzip })
      expect(again.sourceFormat).toBe('pprof')
      expectSameFunctions(original, again.tree)
      const a = byKey(original)
      for (const [k, v] of byKey(again.tree)) expect(v.selfSamples, k).toBe(a.get(k)?.selfSamples)
    }
  })

  it('reads allocation profiles (space/bytes) as heap profiles', () => {
    const original = importHeapProfile(JSON.parse(read('node-20.20.2/alloc-burst.heapprofile')))
    const again = convertProfileBytes('alloc.pb', toPprof(original))
    expect(again.kind).toBe('heapprofile')
    expectSameFunctions(original, importProfileBytes('alloc.pb', toPprof(original)).tree)
  })

  it('reports a truncated or corrupt protobuf', () => {
    const original = importCpuProfile(JSON.parse(read('node-20.20.2/fib-strings-json.cpuprofile')))
    const pb = toPprof(original)
    expect(() => importProfileBytes('cut.pb', pb.subarray(0, pb.length >> 1))).toThrow(/cut.pb: pprof: /)
    expect(() => importProfileBytes('x.pb.gz', gzipSync(pb).subarray(0, 100), { gunzip })).toThrow(/gzip data is corrupt or truncated/)
  })
})

describe('V8 --prof tick logs (0x)', () => {
  for (const dir of ['node-8.17.0', 'node-10.24.1']) {
    it(`imports ${dir}'s preprocessed ticks`, () => {
      const imported = importProfileText('isolate.json', read(`${dir}/fib-strings-json.ticks.json`))
      expect(imported.sourceFormat).toBe('v8-tick-log')
      const ticks = JSON.parse(read(`${dir}/fib-strings-json.ticks.json`)).ticks as unknown[]
      expect(imported.tree.meta.sampleCount).toBe(ticks.length)
      const names = topFunctions(imported.tree, 'total', 400).map((f) => f.name)
      for (const fn of ['fib', 'parseLoop', 'buildString']) expect(names).toContain(fn)
      const fib = topFunctions(imported.tree, 'total', 400).find((f) => f.name === 'fib')
      expect(fib?.url).toMatch(/fib-strings-json\.js$/)
    })
  }
  it('sends raw isolate logs to --prof-process', () => {
    expect(() => importProfileText('isolate-0x1-v8.log', 'v8-version,10,2,154,26,0,0\nshared-library,"/usr/bin/node"')).toThrow(
      /raw V8 --prof isolate log; convert it with `node --prof-process --preprocess/,
    )
  })
})

describe('formats Hotpath does not read', () => {
  it('names the detected format', () => {
    expect(() => importProfileText('stacks.txt', 'main;parse;lex 12\nmain;render 3\n')).toThrow(/folded stacks/)
    expect(() => importProfileText('ff.json', JSON.stringify({ meta: { interval: 1, product: 'Firefox' }, threads: [] }))).toThrow(
      /Firefox Profiler \(Gecko\)/,
    )
    expect(() => importProfileBytes('perf.data', new TextEncoder().encode('PERFILE2\0\0\0\0'))).toThrow(/perf\.data file/)
    expect(() => importProfileText('x.json', '{"hello": 1}')).toThrow(/JSON that is none of the profile formats/)
  })
})
