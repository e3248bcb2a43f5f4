/**
 * Time ranges of a CPU profile: the call tree restricted to the samples in [startMs, endMs), and the
 * mapping between a run's timeline (ms since the child was spawned) and the profile's own clock (ms since
 * the profile's startTime). Pure; the flame graph and call tree of a run use it through the profile worker.
 */
import { type CallTree, createCallTreeBuilder, finishCallTree } from '../model/call-tree.js'
import {
  type FunctionLineTicks,
  type RawLineTicks,
  functionLineTicksFromNodes,
  nodeLineTickEntries,
  nodeLineTicksFrom,
} from '../model/line-ticks.js'
import type { TimelineSample } from '../model/run.js'
import type { Milliseconds } from '../model/units.js'

/** A half-open interval [startMs, endMs) in the profile's clock (ms since its startTime). */
export interface TimeRange {
  startMs: Milliseconds
  endMs: Milliseconds
}

/** Why a range cannot be applied, said to the user as is. */
export class TimeRangeError extends Error {
  override name = 'TimeRangeError'
}

/** Throws a TimeRangeError unless the range is two finite numbers with start < end. */
export function checkTimeRange(range: TimeRange): void {
  if (!Number.isFinite(range.startMs) || !Number.isFinite(range.endMs))
    throw new TimeRangeError(`a time range needs finite start and end times (got ${range.startMs}..${range.endMs} ms)`)
  if (!(range.startMs < range.endMs))
    throw new TimeRangeError(`a time range must end after it starts (got ${range.startMs}..${range.endMs} ms)`)
}

/**
 * The tree restricted to the samples whose start time falls in [startMs, endMs): node and function
 * self/total values are recomputed from those samples alone (each sample's own duration), the tree keeps
 * only the call paths those samples touch, and its timeline holds only them. Function indexes are kept,
 * so a selection survives. Line ticks (positionTicks) are scaled per call path to the range, an estimate
 * (see core/model/line-ticks.ts). Throws a TimeRangeError for a tree without a sample timeline
 * (allocation profiles, hitCount-only CPU profiles) or a malformed range.
 */
export function restrictToTimeRange(tree: CallTree, range: TimeRange): CallTree {
  checkTimeRange(range)
  const timeline = tree.timeline
  if (!timeline) throw new TimeRangeError('this profile has no sample times, so it cannot be restricted to a time range')
  const { nodes } = tree
  const builder = createCallTreeBuilder(nodes.func[0] as number)
  // Builder node of each old node, created on demand (only for paths some sample in range touches).
  const mapped = new Int32Array(nodes.length).fill(-1)
  mapped[0] = 0
  const place = (node: number): number => {
    const have = mapped[node] as number
    if (have >= 0) return have
    const path: number[] = []
    let n = node
    while ((mapped[n] as number) < 0) {
      path.push(n)
      n = nodes.parent[n] as number
    }
    let at = mapped[n] as number
    for (let k = path.length - 1; k >= 0; k--) {
      const old = path[k] as number
      at = builder.child(at, nodes.func[old] as number)
      mapped[old] = at
    }
    return at
  }
  const kept: number[] = []
  const keptNode: number[] = []
  const inRange = new Uint32Array(nodes.length)
  for (let s = 0; s < timeline.length; s++) {
    const t = timeline.startMs[s] as number
    if (t < range.startMs || t >= range.endMs) continue
    const node = timeline.node[s] as number
    if (node < 0) continue
    const m = place(node)
    builder.addSelf(m, timeline.durationMs[s] as number, 1)
    kept.push(s)
    keptNode.push(m)
    inRange[node]! += 1
  }
  const lineTicks = tree.nodeLineTicks ? rangedLineTicks(tree, inRange, mapped) : undefined
  return finishCallTree(builder, lineTicks ? { ...tree.functions, lineTicks: lineTicks.functions } : tree.functions, {
    unit: tree.unit,
    meta: { ...tree.meta, sampleCount: kept.length },
    timeline: {
      node: keptNode,
      startMs: kept.map((s) => timeline.startMs[s] as number),
      durationMs: kept.map((s) => timeline.durationMs[s] as number),
    },
    ...(lineTicks ? { lineTicks: lineTicks.byBuilderNode } : {}),
  })
}

/**
 * Each call path's line ticks times the share of its self samples in the range (`inRange` per old node):
 * by function for the ranged tree's function table, and by builder node (`mapped`) for its per-node table.
 */
function rangedLineTicks(
  tree: CallTree,
  inRange: Uint32Array,
  mapped: Int32Array,
): { functions: FunctionLineTicks; byBuilderNode: RawLineTicks } {
  const { nodes } = tree
  const share = (n: number): number => {
    const all = nodes.selfSamples[n] as number
    return all > 0 ? (inRange[n] as number) / all : 0
  }
  const scaled = nodeLineTicksFrom(nodeLineTickEntries(tree.nodeLineTicks!), (n) => n, nodes.length, share)
  const entries = nodeLineTickEntries(scaled)
  const node = Int32Array.from(entries.node, (n) => mapped[n] as number)
  return {
    functions: functionLineTicksFromNodes(scaled, nodes.func, tree.functions.length, true),
    byBuilderNode: { node, line: entries.line, ticks: entries.ticks },
  }
}

/** The span of a profile's samples: [first sample start, last sample end), in the profile's clock. */
export function profileSpan(tree: CallTree): TimeRange | null {
  const t = tree.timeline
  if (!t || t.length === 0) return null
  const last = t.length - 1
  return { startMs: t.startMs[0] as number, endMs: (t.startMs[last] as number) + (t.durationMs[last] as number) }
}

/** One phase of a run on its timeline: [startMs, endMs) in ms since the child was spawned. */
export interface PhaseBand {
  phase: string
  startMs: Milliseconds
  endMs: Milliseconds
}

/**
 * The phases of a run from its resource timeline: consecutive samples tagged with the same phase make one
 * band, from the first such sample to the next sample of another phase (or the last sample). Samples
 * without a phase (before the child's first progress message, and runs recorded before phases were
 * tagged) make no band. The bands are as precise as the timeline's sampling interval (100 ms by default).
 */
export function phaseBands(timeline: readonly Pick<TimelineSample, 'tMs' | 'phase'>[]): PhaseBand[] {
  const bands: PhaseBand[] = []
  let open: PhaseBand | null = null
  for (const s of timeline) {
    if (open && s.phase !== open.phase) {
      open.endMs = s.tMs
      bands.push(open)
      open = null
    }
    if (!open && s.phase !== undefined) open = { phase: s.phase, startMs: s.tMs, endMs: s.tMs }
    else if (open) open.endMs = s.tMs
  }
  if (open) bands.push(open)
  return bands.filter((b) => b.endMs > b.startMs)
}

/**
 * Where the CPU profile sits on the run's timeline: the profiler runs during the profiled pass only (its
 * warm-up excluded), so the profile's time 0 is placed at the start of the run's last `profiling` band.
 * The offset is therefore as precise as the timeline's sampling interval. Null when the run has no
 * profiling band (older runs, runs without a CPU profile, custom commands profiled from their start).
 */
export function profileOffsetMs(bands: readonly PhaseBand[]): Milliseconds | null {
  for (let i = bands.length - 1; i >= 0; i--) {
    const b = bands[i] as PhaseBand
    if (b.phase === 'profiling') return b.startMs
  }
  return null
}

const PHASE_LABELS: Record<string, string> = {
  setup: 'setup',
  warmup: 'warm-up',
  timing: 'timing pass',
  profiling: 'profiled pass',
  snapshot: 'heap snapshot',
  checksum: 'checksum',
  saving: 'saving',
}

/** What a timeline phase is called on the charts and in the run's texts ("profiling" → "profiled pass"). */
export const phaseLabel = (phase: string): string => PHASE_LABELS[phase] ?? phase
