import { describe, expect, it } from 'vitest'
import { topFunctions } from '../../../../core/analysis/call-tree.js'
import { type CpuProfileRaw, ProfileFormatError, importCpuProfile, isCpuProfile } from '../../../../core/import/cpuprofile.js'
import { importProfileText } from '../../../../core/import/index.js'
import { toSpeedscope } from '../../../../core/export/speedscope.js'
import { type CallTree, getNodePath, getTreeTotal } from '../../../../core/model/call-tree.js'
import {
  dumpTree,
  profileFromText,
  readProfileFixture,
  selfTimeByName,
  totalTimeByName,
  treeFromText,
} from '../../../helpers/profile-from-text.js'

const FIXTURES = ['fib-strings-json.cpuprofile', 'deep-recursion.cpuprofile', 'prettier-check.cpuprofile'] as const

function loadFixture(name: string): { raw: CpuProfileRaw; tree: CallTree } {
  const raw = JSON.parse(readProfileFixture(name)) as CpuProfileRaw
  return { raw, tree: importCpuProfile(raw) }
}

/** Self value per call path (root frame left out), keyed by the names along the path. */
function selfByPath(tree: CallTree): Map<string, number> {
  const out = new Map<string, number>()
  for (let i = 0; i < tree.nodes.length; i++) {
    const self = tree.nodes.self[i] as number
    if (self === 0) continue
    const key = getNodePath(tree, i)
      .slice(1)
      .map((n) => tree.functions.key[tree.nodes.func[n] as number])
      .join(';')
    out.set(key, (out.get(key) ?? 0) + self)
  }
  return out
}

/** A speedscope reader written for this test: folds the sampled profile's stacks into per-stack weights. */
function readSpeedscopeStacks(
  file: ReturnType<typeof toSpeedscope>,
  keyOfFrame: (name: string, url: string, line: number, col: number) => string,
): Map<string, number> {
  const out = new Map<string, number>()
  const profile = file.profiles[0]!
  profile.samples.forEach((stack, i) => {
    const key = stack
      .map((f) => {
        const frame = file.shared.frames[f]!
        return keyOfFrame(frame.name, frame.file ?? '', frame.line ?? 0, frame.col ?? 0)
      })
      .join(';')
    out.set(key, (out.get(key) ?? 0) + profile.weights[i]!)
  })
  return out
}

describe('importCpuProfile on recorded profiles', () => {
  it.each(FIXTURES)('%s: readable dump', (name) => {
    const { tree } = loadFixture(name)
    expect(dumpTree(tree, { limit: name.startsWith('fib') ? undefined : 25 })).toMatchSnapshot()
  })

  it.each(FIXTURES)('%s: round-trips through speedscope with equal totals per stack', (name) => {
    const { tree } = loadFixture(name)
    const file = toSpeedscope(tree)
    const anon = (n: string): string => (n === '(anonymous)' ? '' : n)
    const back = readSpeedscopeStacks(file, (n, url, line, col) => `${anon(n) || '(anonymous)'} ${url}:${line}:${col}`)
    const expected = selfByPath(tree)
    expect([...back.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [key, value] of expected) expect(back.get(key)).toBeCloseTo(value, 9)
    expect(file.profiles[0]!.endValue).toBeCloseTo(getTreeTotal(tree), 9)
  })

  it.each(FIXTURES)('%s: totals are consistent (root = Σ self, parent ≥ Σ children, samples all counted)', (name) => {
    const { raw, tree } = loadFixture(name)
    const { nodes } = tree
    let selfSum = 0
    for (let i = 0; i < nodes.length; i++) selfSum += nodes.self[i] as number
    expect(getTreeTotal(tree)).toBeCloseTo(selfSum, 9)
    expect(nodes.totalSamples[0]).toBe(raw.samples!.length)
    for (let i = 1; i < nodes.length; i++)
      expect(nodes.total[nodes.parent[i] as number]! + 1e-9).toBeGreaterThanOrEqual(nodes.total[i] as number)
    // Each sample owns the interval to the next; the last owns the mean interval (DevTools).
    const deltas = raw.timeDeltas!
    const span = deltas.slice(1).reduce((a, b) => a + b, 0) / 1000
    expect(getTreeTotal(tree)).toBeCloseTo(span + span / (deltas.length - 1), 6)
    expect(tree.timeline!.length).toBe(raw.samples!.length)
  })

  it('matches an independent per-sample computation of DevTools self times (third-party profile)', () => {
    const { raw, tree } = loadFixture('prettier-check.cpuprofile')
    const reference = devtoolsSelfTimes(raw)
    const top = topFunctions(tree, 'self', 10)
    const refTop = [...reference.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
    expect(top.map((f) => f.self)).toEqual(refTop.map(([, v]) => expect.closeTo(v, 9)))
    for (const f of top) {
      const key = `${f.name}|${f.url}|${f.line}|${f.column}`
      expect(reference.get(key), key).toBeCloseTo(f.self, 9)
    }
    // Categories of a third-party program: its code is a dependency, Node's own is internal.
    const all = topFunctions(tree, 'self', 10_000)
    const byCategory = (c: string): number => all.filter((f) => f.category === c).length
    expect(all.filter((f) => f.category === 'dependency').every((f) => f.url.includes('/node_modules/'))).toBe(true)
    expect(all.filter((f) => f.category === 'node-internal').every((f) => f.url.startsWith('node:'))).toBe(true)
    expect(byCategory('dependency')).toBeGreaterThan(10)
    expect(byCategory('node-internal')).toBeGreaterThan(10)
    expect(all.find((f) => f.name === '(program)')?.category).toBe('v8-native')
    expect(all.find((f) => f.name === '(garbage collector)')?.category).toBe('gc')
  })

  it('counts a recursive function once per sample in its total (deep recursion fixture)', () => {
    const { tree } = loadFixture('deep-recursion.cpuprofile')
    const f = tree.functions
    const descend = f.name.indexOf('descend')
    expect(descend).toBeGreaterThanOrEqual(0)
    expect(f.total[descend]).toBeLessThanOrEqual(getTreeTotal(tree) + 1e-9)
    let maxDepth = 0
    for (let i = 0; i < tree.nodes.length; i++) maxDepth = Math.max(maxDepth, tree.nodes.depth[i] as number)
    expect(maxDepth).toBeGreaterThan(150)
  })
})

/**
 * DevTools' attribution written out plainly, independent of the importer: timestamps from deltas (sorted),
 * each sample lasts until the next, the last lasts the mean interval, and a lone (program) sample between
 * two stacks under the same top-level frame counts as the sample before it. Keys: name|url|line|column (1-based).
 */
function devtoolsSelfTimes(raw: CpuProfileRaw): Map<string, number> {
  const byId = new Map(raw.nodes.map((n) => [n.id, n]))
  const parentOf = new Map<number, number>()
  for (const n of raw.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id)
  const root = raw.nodes.find((n) => !parentOf.has(n.id))!
  let t = raw.startTime
  const stamps = raw.timeDeltas!.map((d) => (t += d))
  const order = stamps.map((_, i) => i).sort((a, b) => stamps[a]! - stamps[b]! || a - b)
  const samples = order.map((i) => raw.samples![i]!)
  const times = order.map((i) => stamps[i]!)
  const named = (fn: string): number | undefined => root.children!.find((id) => byId.get(id)!.callFrame.functionName === fn)
  const program = named('(program)')
  const system = new Set([program, named('(garbage collector)'), named('(idle)')])
  const topOf = (id: number): number => {
    let x = id
    while (parentOf.get(x) !== undefined && parentOf.get(x) !== root.id) x = parentOf.get(x)!
    return x
  }
  const fixed = samples.slice()
  for (let i = 1; i < samples.length - 1; i++) {
    const prev = samples[i - 1]!
    const next = samples[i + 1]!
    if (samples[i] === program && !system.has(prev) && !system.has(next) && topOf(prev) === topOf(next)) fixed[i] = prev
  }
  const n = samples.length
  const out = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const durationUs = i < n - 1 ? times[i + 1]! - times[i]! : (times[n - 1]! - times[0]!) / (n - 1)
    const cf = byId.get(fixed[i]!)!.callFrame
    const key = `${cf.functionName}|${cf.url}|${cf.lineNumber >= 0 ? cf.lineNumber + 1 : 0}|${cf.columnNumber >= 0 ? cf.columnNumber + 1 : 0}`
    out.set(key, (out.get(key) ?? 0) + durationUs / 1000)
  }
  return out
}

describe('time attribution rules', () => {
  it('attributes self time to the leaf frame', () => {
    const tree = treeFromText(`
      main   main   main
      parse  parse  render
      lex
    `)
    expect(selfTimeByName(tree)).toEqual({ lex: 1, parse: 1, render: 1, main: 0 })
    expect(totalTimeByName(tree)).toEqual({ lex: 1, parse: 2, render: 1, main: 3 })
  })

  it('gives each sample the interval to the next and the last one the mean interval', () => {
    const tree = treeFromText(
      `
      a  b  c  d
    `,
      { weights: [2, 4, 6, 99] },
    )
    // d lasts (2 + 4 + 6) / 3 = 4, whatever the drawing's last weight says.
    expect(selfTimeByName(tree)).toEqual({ a: 2, b: 4, c: 6, d: 4 })
  })

  it('sorts samples whose time deltas go backwards', () => {
    const raw = profileFromText('a b c')
    raw.timeDeltas = [0, 3000, -1000, 2000]
    raw.samples = [...raw.samples!, raw.samples![0]!]
    // Times: a@0, b@3, c@2, a@4 → order a, c, b, a: a lasts 2, c 1, b 1, last a the mean (4/3).
    const tree = importCpuProfile(raw)
    const self = selfTimeByName(tree)
    expect(self.a).toBeCloseTo(2 + 4 / 3, 9)
    expect(self.b).toBeCloseTo(1, 9)
    expect(self.c).toBeCloseTo(1, 9)
  })

  it('replaces a lone (program) sample between two stacks under the same top-level frame', () => {
    const text = `
      main  (program)  main  (program)  other  (program)  (program)  main
      work             work             x                            work
    `
    const tree = treeFromText(text)
    // The first (program) joins main→work; the second sits between different top-level frames; the last two
    // are not alone. So (program) keeps 3 of its 4 samples.
    expect(selfTimeByName(tree)['(program)']).toBe(3)
    expect(selfTimeByName(tree).work).toBe(4)
    const untouched = importCpuProfile(profileFromText(text), { fixProgramSamples: false })
    expect(selfTimeByName(untouched)['(program)']).toBe(4)
  })

  it('puts (garbage collector) samples on top of the stack before them', () => {
    const text = `
      main   (gc)  (gc)  main
      alloc              alloc
    `
    const tree = treeFromText(text)
    expect(dumpTree(tree, { digits: 0 })).toBe(['main;alloc 2ms', 'main;alloc;(garbage collector) 2ms'].join('\n'))
    expect(totalTimeByName(tree).alloc).toBe(4)
    const flat = importCpuProfile(profileFromText(text), { gcOnPreviousStack: false })
    // Siblings with equal totals are ordered by name: '(' sorts before letters.
    expect(dumpTree(flat, { digits: 0 })).toBe(['(garbage collector) 2ms', 'main;alloc 2ms'].join('\n'))
  })

  it('counts a recursive function once per sample in its total', () => {
    const tree = treeFromText(`
      a  a  a
      b  b  c
      a  a
      b
    `)
    expect(totalTimeByName(tree)).toEqual({ a: 3, b: 2, c: 1 })
    expect(selfTimeByName(tree)).toEqual({ a: 1, b: 1, c: 1 })
  })

  it('merges sibling nodes of the same function', () => {
    const raw = profileFromText('f g')
    // A second node for f under the root, as V8 writes for a different caller line.
    raw.nodes.push({ id: 99, callFrame: { ...raw.nodes[1]!.callFrame }, hitCount: 1 })
    raw.nodes[0]!.children!.push(99)
    raw.samples!.push(99)
    raw.timeDeltas!.push(1000)
    raw.endTime += 1000
    const tree = importCpuProfile(raw)
    expect(tree.nodes.length).toBe(3)
    expect(selfTimeByName(tree)).toEqual({ f: 2, g: 1 })
  })

  it('uses hitCount × (endTime − startTime) / total hits for profiles without samples', () => {
    const raw = profileFromText('a a b')
    delete raw.samples
    delete raw.timeDeltas
    raw.endTime = raw.startTime + 9000
    expect(selfTimeByName(importCpuProfile(raw))).toEqual({ a: 6, b: 3 })
  })

  it('spreads samples evenly over the profile when timeDeltas are missing', () => {
    const raw = profileFromText('a a b')
    delete raw.timeDeltas
    raw.endTime = raw.startTime + 6000
    expect(selfTimeByName(importCpuProfile(raw))).toEqual({ a: 4, b: 2 })
  })

  it('keeps the sample timeline in time order, mapped to tree nodes', () => {
    const tree = treeFromText('a b a')
    const names = Array.from(tree.timeline!.node, (n) => tree.functions.name[tree.nodes.func[n] as number])
    expect(names).toEqual(['a', 'b', 'a'])
    expect(Array.from(tree.timeline!.startMs)).toEqual([0, 1, 2])
  })
})

describe('validation', () => {
  const good = (): CpuProfileRaw => profileFromText('main main\nwork')
  const expectError = (raw: unknown, message: RegExp): void => {
    expect(() => importCpuProfile(raw)).toThrow(ProfileFormatError)
    expect(() => importCpuProfile(raw)).toThrow(message)
  }

  it('recognizes CPU profiles with a cheap guard', () => {
    expect(isCpuProfile(good())).toBe(true)
    expect(isCpuProfile({ head: {} })).toBe(false)
    expect(isCpuProfile([])).toBe(false)
    expect(isCpuProfile({ nodes: [], startTime: 0, endTime: 1 })).toBe(false)
  })

  it('names the problem in a wrong or truncated file', () => {
    expectError([], /expected a JSON object, got an array/)
    expectError({ startTime: 0, endTime: 1 }, /no `nodes` array/)
    expectError({ ...good(), nodes: [] }, /`nodes` array is empty/)
    expectError({ ...good(), startTime: 'x' }, /`startTime` must be a number/)
    expectError({ ...good(), endTime: 0 }, /endTime \(0\) is before startTime/)
    const text = JSON.stringify(good())
    expect(() => importProfileText('cut.cpuprofile', text.slice(0, text.length - 40))).toThrow(/not valid JSON .*may be truncated/)
  })

  it('rejects samples that refer to unknown nodes', () => {
    const raw = good()
    raw.samples![1] = 999
    expectError(raw, /sample 1 refers to node id 999, which is not in `nodes`/)
  })

  it('rejects timeDeltas whose length differs from samples', () => {
    const raw = good()
    raw.timeDeltas!.pop()
    expectError(raw, /2 samples but 1 timeDeltas; they must have the same length/)
  })

  it('rejects broken node trees', () => {
    const dup = good()
    dup.nodes[2]!.id = dup.nodes[1]!.id
    expectError(dup, /node id 2 appears twice/)
    const missingChild = good()
    missingChild.nodes[1]!.children = [42]
    expectError(missingChild, /lists child id 42, which is not in `nodes`/)
    const twoParents = good()
    twoParents.nodes[0]!.children!.push(3)
    expectError(twoParents, /node id 3 is a child of both/)
    const cycle = good()
    cycle.nodes.push(
      { id: 7, callFrame: cycle.nodes[1]!.callFrame, children: [8] },
      { id: 8, callFrame: cycle.nodes[1]!.callFrame, children: [7] },
    )
    expectError(cycle, /2 nodes are not reachable from the root/)
    const badFrame = good()
    ;(badFrame.nodes[1]!.callFrame as unknown as Record<string, unknown>).lineNumber = '3'
    expectError(badFrame, /node id 2: callFrame.lineNumber and columnNumber must be integers/)
    const badDelta = good()
    ;(badDelta.timeDeltas as unknown[])[0] = null
    expectError(badDelta, /timeDeltas\[0\] is null, not a number/)
  })
})
