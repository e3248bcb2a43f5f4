/**
 * The flame graph benchmark page: generates synthetic CPU profiles in the page, opens them through the
 * profile worker, mounts the real components and records every frame drawn, long tasks and animation
 * frame gaps. tests/e2e/flame-bench.spec.ts drives it through `window.flameBench`.
 */
import { Fragment, createElement, useState } from 'react'
import { type Root, createRoot } from 'react-dom/client'
import { CallTreeTable } from '../src/features/call-tree/CallTreeTable.js'
import { DiffFlameGraph } from '../src/features/flame-graph/DiffFlameGraph.js'
import type { DrawStats } from '../src/features/flame-graph/draw-flame-graph.js'
import type { FlameTheme } from '../src/features/flame-graph/flame-colors.js'
import { FlameGraph } from '../src/features/flame-graph/FlameGraph.js'
import type { FlameOrientation } from '../src/features/flame-graph/viewport.js'
import { type OpenedProfile, type ProfileClient, createProfileClient } from '../src/workers/profile-client.js'
import { diffProfiles } from '../../core/compare/call-tree-diff.js'
import type { CpuProfileRaw } from '../../core/import/cpuprofile.js'

/** A deterministic PRNG (mulberry32), so every run of the bench draws the same profile. */
function createRng(seed: number) {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, below: (n: number): number => Math.floor(next() * n) }
}

interface RawFrame {
  functionName: string
  scriptId: string
  url: string
  lineNumber: number
  columnNumber: number
}
interface RawNode {
  id: number
  callFrame: RawFrame
  hitCount: number
  children: number[]
}
interface RawProfile {
  nodes: RawNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const VERBS = [
  'apply',
  'walk',
  'parse',
  'encode',
  'decode',
  'compute',
  'update',
  'validate',
  'merge',
  'scan',
  'build',
  'emit',
  'read',
  'flush',
]
const NOUNS = [
  'Book',
  'Level',
  'Order',
  'Quote',
  'Bar',
  'Window',
  'Signal',
  'Trade',
  'Position',
  'Batch',
  'Candle',
  'Risk',
  'Path',
  'Buffer',
]
const MODULES = ['orderbook', 'backtest', 'market-data', 'serialization', 'var', 'portfolio', 'event-stream', 'harness']
const PACKAGES = ['msgpackr', 'hdr-histogram-js', 'zod', 'lodash', 'fast-json-stringify']
const INTERNALS = ['internal/streams/readable', 'internal/timers', 'events', 'internal/process/task_queues', 'buffer']

/** The function pool: mostly user code, then dependencies, Node internals and native frames. */
function makeFrames(count: number, rng: ReturnType<typeof createRng>): RawFrame[] {
  const frames: RawFrame[] = []
  for (let i = 0; i < count; i++) {
    const name = `${VERBS[rng.below(VERBS.length)]}${NOUNS[rng.below(NOUNS.length)]}${i % 7 === 0 ? '' : `_${i}`}`
    const r = rng.next()
    let url: string
    if (r < 0.55) url = `file:///app/workloads/${MODULES[rng.below(MODULES.length)]}/index.js`
    else if (r < 0.8) url = `file:///app/node_modules/${PACKAGES[rng.below(PACKAGES.length)]}/dist/index.js`
    else if (r < 0.95) url = `node:${INTERNALS[rng.below(INTERNALS.length)]}`
    else url = ''
    frames.push({
      functionName: url === '' ? `${name} (native)` : name,
      scriptId: String(1 + (i % 50)),
      url,
      lineNumber: rng.below(2000),
      columnNumber: rng.below(80),
    })
  }
  return frames
}

const special = (name: string): RawFrame => ({ functionName: name, scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 })

/**
 * A synthetic `.cpuprofile` with `nodes` call tree nodes (every one with samples in its subtree, so all of
 * them are frames of the flame graph) and `samples` samples of 1 ms ± jitter. The shape mixes long chains
 * (deep stacks) with wide fan-outs; sample counts per leaf are heavy-tailed, so a few paths dominate as
 * in real profiles. Samples come in runs with time locality, as a program works through phases: runs
 * follow the tree's order, shuffled within small windows, in shuffled chunks.
 */
function syntheticProfile(options: { nodes: number; samples: number; seed: number }): RawProfile {
  const rng = createRng(options.seed)
  const frames = makeFrames(Math.max(500, Math.min(6000, Math.floor(options.nodes / 20))), rng)
  const nodes: RawNode[] = [{ id: 1, callFrame: special('(root)'), hitCount: 0, children: [] }]
  const depth: number[] = [0]
  const parentOf: number[] = [-1]
  const add = (parent: number, frame: RawFrame): number => {
    const index = nodes.length
    nodes.push({ id: index + 1, callFrame: frame, hitCount: 0, children: [] })
    nodes[parent]!.children.push(index + 1)
    depth.push(depth[parent]! + 1)
    parentOf.push(parent)
    return index
  }
  const program = add(0, special('(program)'))
  const gc = add(0, special('(garbage collector)'))
  const idle = add(0, special('(idle)'))
  const main = add(0, { functionName: 'main', scriptId: '1', url: 'file:///app/workloads/harness/run.js', lineNumber: 10, columnNumber: 0 })
  const used = new Set<string>()
  while (nodes.length < options.nodes) {
    const last = nodes.length - 1
    let parent = rng.next() < 0.72 ? Math.max(main, last - rng.below(5)) : main + rng.below(nodes.length - main)
    if (depth[parent]! > 70) parent = main + rng.below(Math.min(200, nodes.length - main))
    // The importer merges sibling frames of the same function; pick another function when one repeats.
    let f = rng.below(frames.length)
    for (let tries = 0; tries < 4 && used.has(`${parent}:${f}`); tries++) f = rng.below(frames.length)
    if (used.has(`${parent}:${f}`)) continue
    used.add(`${parent}:${f}`)
    add(parent, frames[f]!)
  }
  const leaves: number[] = []
  for (let i = main; i < nodes.length; i++) if (nodes[i]!.children.length === 0) leaves.push(i)
  // Heavy-tailed weights: a Pareto draw per leaf (tail index 1.4, so no single leaf takes over).
  const weights = leaves.map(() => Math.pow(1 - rng.next(), -0.7))
  const totalWeight = weights.reduce((a, b) => a + b, 0)
  const spare = Math.max(0, options.samples - leaves.length)
  let runs: { node: number; count: number }[] = []
  leaves.forEach((leaf, k) => {
    let count = 1 + Math.floor((spare * 0.93 * weights[k]!) / totalWeight)
    // Split a leaf's samples into a few runs, so the same stack recurs over time.
    while (count > 0) {
      const take = Math.min(count, 1 + rng.below(Math.max(1, Math.ceil(count / 2))))
      runs.push({ node: leaf, count: take })
      count -= take
    }
  })
  // Some self time on inner frames, GC, (program) and idle.
  const inner = Math.floor(spare * 0.03)
  for (let k = 0; k < inner; k++) runs.push({ node: main + rng.below(nodes.length - main), count: 1 })
  runs.push(...Array.from({ length: 50 }, () => ({ node: gc, count: 1 + rng.below(Math.ceil(spare * 0.0004) + 1) })))
  runs.push(...Array.from({ length: 30 }, () => ({ node: program, count: 1 + rng.below(Math.ceil(spare * 0.0002) + 1) })))
  runs.push(...Array.from({ length: 30 }, () => ({ node: idle, count: 1 + rng.below(Math.ceil(spare * 0.0004) + 1) })))
  // The extra runs above went to the end: sort by node so they join their place in the tree's order.
  runs = runs.map((r, k) => ({ ...r, k })).sort((a, b) => a.node - b.node || a.k - b.k)
  const shuffle = <T>(items: T[], from: number, to: number): void => {
    for (let k = to - 1; k > from; k--) {
      const j = from + rng.below(k - from + 1)
      const t = items[k]!
      items[k] = items[j]!
      items[j] = t
    }
  }
  const WINDOW = 48
  for (let w = 0; w < runs.length; w += WINDOW) shuffle(runs, w, Math.min(runs.length, w + WINDOW))
  const chunkSize = Math.max(1, Math.ceil(runs.length / 40))
  const chunks: (typeof runs)[] = []
  for (let c = 0; c < runs.length; c += chunkSize) chunks.push(runs.slice(c, c + chunkSize))
  shuffle(chunks, 0, chunks.length)
  runs = chunks.flat()
  const samples: number[] = []
  const timeDeltas: number[] = []
  for (const run of runs) {
    nodes[run.node]!.hitCount += run.count
    for (let c = 0; c < run.count; c++) {
      samples.push(run.node + 1)
      timeDeltas.push(samples.length === 1 ? 0 : 900 + rng.below(200))
    }
  }
  let duration = 0
  for (const d of timeDeltas) duration += d
  return { nodes, startTime: 1_000_000, endTime: 1_000_000 + duration + 1000, samples, timeDeltas }
}

/** Every node in the subtree of `root` (node indexes, children given as ids = index + 1). */
function subtreeOf(profile: RawProfile, root: number): Set<number> {
  const out = new Set<number>()
  const stack = [root]
  while (stack.length > 0) {
    const i = stack.pop()!
    out.add(i)
    for (const id of profile.nodes[i]!.children) stack.push(id - 1)
  }
  return out
}

/**
 * A baseline and a candidate that differ the way an optimization does: one call path doubled, one gone,
 * one halved, and a new function with its own samples.
 */
function syntheticDiffPair(seed: number): { baseline: RawProfile; candidate: RawProfile } {
  const baseline = syntheticProfile({ nodes: 2500, samples: 40_000, seed })
  const main = baseline.nodes.findIndex((n) => n.callFrame.functionName === 'main')
  // A function only the baseline calls (JSON encoding, replaced by a binary decoder in the candidate).
  const json = baseline.nodes.length
  baseline.nodes.push({
    id: json + 1,
    callFrame: {
      functionName: 'encodeJsonQuote',
      scriptId: '9',
      url: 'file:///app/workloads/serialization/json.js',
      lineNumber: 12,
      columnNumber: 2,
    },
    hitCount: 0,
    children: [],
  })
  baseline.nodes[main]!.children.push(json + 1)
  const withJson: number[] = []
  baseline.samples.forEach((s, k) => {
    withJson.push(s)
    if (k % 16 === 0) withJson.push(json + 1)
  })
  baseline.nodes[json]!.hitCount = withJson.length - baseline.samples.length
  baseline.samples = withJson
  baseline.timeDeltas = withJson.map((_, i) => (i === 0 ? 0 : 1000))
  baseline.endTime = baseline.startTime + withJson.length * 1000 + 1000
  const candidate: RawProfile = JSON.parse(JSON.stringify(baseline)) as RawProfile
  const kids = baseline.nodes[main]!.children.map((id) => id - 1)
  const weight = new Map<number, number>()
  for (const s of baseline.samples) weight.set(s - 1, (weight.get(s - 1) ?? 0) + 1)
  const subtreeWeight = (root: number): number => {
    let w = 0
    for (const i of subtreeOf(baseline, root)) w += weight.get(i) ?? 0
    return w
  }
  const ranked = kids.map((k) => ({ k, w: subtreeWeight(k) })).sort((a, b) => b.w - a.w)
  const grown = subtreeOf(candidate, ranked[1]!.k)
  const gone = subtreeOf(candidate, ranked[3]!.k)
  const shrunk = subtreeOf(candidate, ranked[0]!.k)
  const rng = createRng(seed + 1)
  const samples: number[] = []
  const newNode = candidate.nodes.length
  candidate.nodes.push({
    id: newNode + 1,
    callFrame: {
      functionName: 'decodeBinaryQuote',
      scriptId: '9',
      url: 'file:///app/workloads/serialization/binary.js',
      lineNumber: 41,
      columnNumber: 2,
    },
    hitCount: 0,
    children: [],
  })
  candidate.nodes[main]!.children.push(newNode + 1)
  let k = 0
  for (const s of baseline.samples) {
    const i = s - 1
    if (gone.has(i) || i === json) continue
    if (shrunk.has(i) && k++ % 2 === 0) continue
    samples.push(s)
    if (grown.has(i)) samples.push(s)
    if (rng.next() < 0.05) samples.push(newNode + 1)
  }
  for (const n of candidate.nodes) n.hitCount = 0
  for (const s of samples) candidate.nodes[s - 1]!.hitCount++
  candidate.samples = samples
  candidate.timeDeltas = samples.map((_, i) => (i === 0 ? 0 : 1000))
  candidate.endTime = candidate.startTime + samples.length * 1000 + 1000
  return { baseline, candidate }
}

/** The same profile with a random tenth of its samples dropped: another run of the same program. */
function withSampleNoise(profile: RawProfile, seed: number): RawProfile {
  const rng = createRng(seed)
  const samples = profile.samples.filter(() => rng.next() >= 0.1)
  const nodes = profile.nodes.map((n) => ({ ...n, hitCount: 0 }))
  for (const s of samples) nodes[s - 1]!.hitCount++
  const timeDeltas = samples.map((_, i) => (i === 0 ? 0 : 1000))
  return { nodes, startTime: profile.startTime, endTime: profile.startTime + samples.length * 1000 + 1000, samples, timeDeltas }
}

interface FrameRecord {
  t: number
  ms: number
  boxes: number
  labels: number
}

const state = {
  client: null as ProfileClient | null,
  root: null as Root | null,
  bytes: null as ArrayBuffer | null,
  fileName: 'synthetic.cpuprofile',
  opened: null as OpenedProfile | null,
  frames: [] as FrameRecord[],
  firstFrame: null as ((stats: DrawStats) => void) | null,
  errors: [] as string[],
  raf: { running: false, times: [] as number[] },
}

window.addEventListener('error', (e) => state.errors.push(String(e.message)))
window.addEventListener('unhandledrejection', (e) => state.errors.push(String((e.reason as Error)?.message ?? e.reason)))

const client = (): ProfileClient => (state.client ??= createProfileClient())

const onFrameDrawn = (stats: DrawStats): void => {
  state.frames.push({ t: performance.now(), ms: stats.ms, boxes: stats.boxes, labels: stats.labels })
  const first = state.firstFrame
  state.firstFrame = null
  first?.(stats)
}

const stage = (): HTMLElement => document.getElementById('stage')!

function render(element: ReturnType<typeof createElement>, theme: FlameTheme): void {
  document.body.dataset.theme = theme
  state.root?.unmount()
  state.root = createRoot(stage())
  state.root.render(element)
}

/** The flame graph and the call tree table with a shared selection, as the run detail view will wire them. */
function LinkedViews(props: { opened: OpenedProfile; theme: FlameTheme; orientation: FlameOrientation; withTable: boolean }) {
  const [selected, setSelected] = useState<number | null>(null)
  const { opened } = props
  return createElement(
    Fragment,
    null,
    createElement(FlameGraph, {
      tree: opened.tree,
      rows: opened.flame,
      stackChart: opened.stackChart,
      loadStackChart: () =>
        client()
          .stackChart({ profileId: opened.profileId })
          .then((r) => r.view),
      unit: opened.tree.unit,
      selectedNode: selected,
      onSelect: setSelected,
      theme: props.theme,
      initialOrientation: props.orientation,
      onFrameDrawn,
    }),
    props.withTable
      ? createElement(CallTreeTable, {
          tree: opened.tree,
          selectedNode: selected,
          onSelect: setSelected,
          loadBottomUp: () =>
            client()
              .bottomUp({ profileId: opened.profileId })
              .then((r) => r.view),
          loadSandwich: (fn: number) => client().sandwich({ profileId: opened.profileId, fn }),
          theme: props.theme,
        })
      : null,
  )
}

/** Resolves after the first frame is drawn, with the time to it and to the next animation frame (the paint). */
function awaitFirstFrame(t0: number): Promise<{ firstDrawMs: number; firstPaintMs: number; boxes: number }> {
  return new Promise((resolve) => {
    state.firstFrame = (stats) => {
      const drawn = performance.now()
      requestAnimationFrame(() => resolve({ firstDrawMs: drawn - t0, firstPaintMs: performance.now() - t0, boxes: stats.boxes }))
    }
  })
}

const api = {
  /** Generates a synthetic CPU profile and keeps its bytes for `open`. */
  generate(options: { nodes: number; samples: number; seed?: number }): { bytes: number; generateMs: number } {
    const t0 = performance.now()
    const text = JSON.stringify(syntheticProfile({ seed: 42, ...options }))
    state.bytes = new TextEncoder().encode(text).buffer as ArrayBuffer
    state.fileName = 'synthetic.cpuprofile'
    return { bytes: state.bytes.byteLength, generateMs: performance.now() - t0 }
  },

  /** Keeps the bytes of a profile file's text for `open`. */
  load(file: { text: string; fileName: string }): number {
    state.bytes = new TextEncoder().encode(file.text).buffer as ArrayBuffer
    state.fileName = file.fileName
    return state.bytes.byteLength
  },

  /**
   * Opens the kept bytes in the worker while watching the main thread: long tasks (PerformanceObserver)
   * and the largest gap between animation frames. Returns when the model is on the main thread.
   */
  async open(): Promise<{
    openMs: number
    worker: OpenedProfile['timings']
    nodes: number
    flameBoxes: number
    stackChartBoxes: number
    longTasksDuringParse: { startMs: number; durationMs: number }[]
    longTasksAtArrival: { startMs: number; durationMs: number }[]
    maxFrameGapMs: number
    animationFrames: number
  }> {
    if (!state.bytes) throw new Error('nothing to open: call generate() or load() first')
    const longTasks: { startMs: number; durationMs: number }[] = []
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ startMs: e.startTime, durationMs: e.duration })
    })
    observer.observe({ type: 'longtask', buffered: false })
    let maxGap = 0
    let frames = 0
    let last = performance.now()
    let watching = true
    const tick = (now: number): void => {
      maxGap = Math.max(maxGap, now - last)
      last = now
      frames++
      if (watching) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    const t0 = performance.now()
    const bytes = state.bytes
    state.bytes = null
    const opened = await client().open({ bytes, fileName: state.fileName })
    const arrived = performance.now()
    const openMs = arrived - t0
    watching = false
    // Long task entries are delivered asynchronously: give the observer a moment before reading them.
    await new Promise((r) => setTimeout(r, 50))
    observer.disconnect()
    if (state.opened) void client().close({ profileId: state.opened.profileId })
    state.opened = opened
    const count = (rows: OpenedProfile['flame'] | null): number => (rows ? rows.rows.reduce((s, r) => s + r.length, 0) : 0)
    return {
      openMs,
      worker: opened.timings,
      nodes: opened.tree.nodes.length,
      flameBoxes: count(opened.flame),
      stackChartBoxes: count(opened.stackChart),
      // The task that receives the result (structured-clone deserialization) ends when the promise resolves.
      longTasksDuringParse: longTasks.filter((t) => t.startMs >= t0 && t.startMs + t.durationMs < arrived - 1),
      longTasksAtArrival: longTasks.filter((t) => t.startMs >= t0 && t.startMs + t.durationMs >= arrived - 1),
      maxFrameGapMs: maxGap,
      animationFrames: frames,
    }
  },

  /** Computes the opened profile's stack chart in the worker, as the time-order toggle does. */
  async stackChart(): Promise<{ boxes: number; workerMs: number; roundTripMs: number }> {
    if (!state.opened) throw new Error('no profile opened')
    const t0 = performance.now()
    const result = await client().stackChart({ profileId: state.opened.profileId })
    const boxes = result.view ? result.view.rows.reduce((s, r) => s + r.length, 0) : 0
    return { boxes, workerMs: result.ms, roundTripMs: performance.now() - t0 }
  },

  /** Mounts the flame graph (and the call tree table) for the opened profile; resolves at the first paint. */
  async mount(options: { theme?: FlameTheme; orientation?: FlameOrientation; withTable?: boolean } = {}) {
    if (!state.opened) throw new Error('no profile opened')
    const t0 = performance.now()
    const first = awaitFirstFrame(t0)
    const theme = options.theme ?? 'light'
    render(
      createElement(LinkedViews, {
        opened: state.opened,
        theme,
        orientation: options.orientation ?? 'icicle',
        withTable: options.withTable ?? false,
      }),
      theme,
    )
    return first
  },

  /**
   * Diffs a synthetic baseline and candidate with core's diffProfiles (what the service computes for the
   * app) and mounts the differential flame graph.
   */
  async mountDiff(options: { theme?: FlameTheme; seed?: number; runs?: number } = {}) {
    const seed = options.seed ?? 7
    const pair = syntheticDiffPair(seed)
    // Several runs per side differ by sampling noise: each keeps a random 90% of the samples.
    const runs = options.runs ?? 1
    const noisy = (p: RawProfile, k: number): RawProfile => (runs === 1 ? p : withSampleNoise(p, seed * 100 + k))
    const side = (p: RawProfile) => Array.from({ length: runs }, (_, k) => ({ profile: noisy(p, k) as CpuProfileRaw }))
    const d0 = performance.now()
    const result = { diff: diffProfiles(side(pair.baseline), side(pair.candidate)), timings: { totalMs: 0 } }
    result.timings.totalMs = performance.now() - d0
    const t0 = performance.now()
    const first = awaitFirstFrame(t0)
    const theme = options.theme ?? 'light'
    render(
      createElement(DiffFlameGraph, {
        diff: result.diff,
        theme,
        labels: { baseline: 'before', candidate: 'after' },
        onFrameDrawn,
      }),
      theme,
    )
    const paint = await first
    const statuses: Record<string, number> = {}
    for (const f of result.diff.functions) statuses[f.status] = (statuses[f.status] ?? 0) + 1
    const significant = result.diff.functions.filter((f) => f.significant).length
    return {
      ...paint,
      functions: result.diff.functions.length,
      statuses,
      significant,
      test: result.diff.method.test,
      diffMs: result.timings.totalMs,
    }
  },

  /**
   * Drives the mounted flame graph from inside the page, one input event per animation frame, for
   * `durationMs`: wheel zoom around a wandering cursor, or horizontal wheel pans (the trackpad path).
   * Real input through the DevTools protocol arrives at about 20 wheel events a second, which measures
   * the input rate rather than the drawing; this measures how fast frames can follow input.
   */
  drive(options: {
    kind: 'zoom' | 'pan'
    durationMs: number
  }): Promise<{ events: number; frames: FrameRecord[]; animationFrames: number[]; durationMs: number }> {
    const canvas = document.querySelector<HTMLCanvasElement>('.hp-flame canvas')
    if (!canvas) throw new Error('no flame graph mounted')
    const rect = canvas.getBoundingClientRect()
    state.frames = []
    const times: number[] = []
    let events = 0
    return new Promise((resolve) => {
      const t0 = performance.now()
      const tick = (now: number): void => {
        times.push(now)
        if (now - t0 >= options.durationMs) {
          resolve({ events, frames: api.takeFrames(), animationFrames: times, durationMs: now - t0 })
          return
        }
        const phase = Math.floor(events / 30) % 2 === 0 ? 1 : -1
        const init: WheelEventInit = { bubbles: true, cancelable: true, clientY: rect.top + rect.height / 2 }
        if (options.kind === 'zoom') {
          init.clientX = rect.left + rect.width * (0.5 + 0.3 * Math.sin(events / 20))
          init.deltaY = -60 * phase
          // A plain wheel scrolls the page; Ctrl+wheel is the zoom gesture.
          init.ctrlKey = true
        } else {
          init.clientX = rect.left + rect.width / 2
          init.deltaX = 40 * phase
        }
        canvas.dispatchEvent(new WheelEvent('wheel', init))
        events++
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
  },

  /** Frames drawn since the last reset. */
  takeFrames(): FrameRecord[] {
    const frames = state.frames
    state.frames = []
    return frames
  },

  /** Records every animation frame's timestamp until stopRafMonitor. */
  startRafMonitor(): void {
    state.raf = { running: true, times: [] }
    const tick = (now: number): void => {
      if (!state.raf.running) return
      state.raf.times.push(now)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  },

  stopRafMonitor(): number[] {
    state.raf.running = false
    return state.raf.times
  },

  errors: (): string[] => state.errors.slice(),
}

/** What tests/e2e/flame-bench.spec.ts calls, as `window.flameBench`. */
export type FlameBenchApi = typeof api

declare global {
  interface Window {
    flameBench: FlameBenchApi
  }
}

window.flameBench = api
document.body.dataset.ready = 'true'
