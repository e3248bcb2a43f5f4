/**
 * Builds a modern `.cpuprofile` (Profiler.Profile: nodes, samples, timeDeltas) from stacks of frames,
 * for the importers of formats that are not a V8 profile tree (V8 tick logs, speedscope, pprof). Every
 * importer converts to this one shape, so the call tree, DevTools' time attribution, the run store
 * (which keeps `cpu.cpuprofile`) and the exporters all see one format, and the converted file opens in
 * DevTools as it is.
 */
import type { CpuProfileCallFrame, CpuProfileNode, CpuProfileRaw } from './cpuprofile.js'

/** A frame as the source format gives it; line and column are 1-based, 0 when unknown. */
export interface SourceFrame {
  name: string
  url: string
  line: number
  column: number
}

export interface StackProfileWriter {
  /** The index of a frame, interned by identity. */
  frame(frame: SourceFrame): number
  /** The profile node of a stack of frame indexes, outermost first (the root itself for an empty stack). */
  node(stack: ArrayLike<number>): number
  /** The node of frame `frame` under node `parent`. */
  child(parent: number, frame: number): number
  /** One sample at absolute time `timeUs` (microseconds); samples need not be in time order. */
  sample(node: number, timeUs: number): void
  /** Node id of a root-level `(idle)` node (created on first use). */
  idleNode(): number
  /** Node id of a root-level `(program)` node (created on first use). */
  programNode(): number
  /** Node id of a root-level `(garbage collector)` node (created on first use). */
  gcNode(): number
  readonly sampleCount: number
  finish(startTimeUs: number, endTimeUs: number): CpuProfileRaw
}

const ROOT_ID = 1

export function createStackProfileWriter(): StackProfileWriter {
  const frames: CpuProfileCallFrame[] = []
  const frameByKey = new Map<string, number>()
  const nodes: CpuProfileNode[] = [{ id: ROOT_ID, callFrame: callFrame('(root)', '', 0, 0), hitCount: 0, children: [] }]
  // (parent id, frame index) → child id.
  const childOf = new Map<number, Map<number, number>>()
  const samples: number[] = []
  const times: number[] = []
  const special = new Map<string, number>()
  const writer: StackProfileWriter = {
    frame(f) {
      const key = `${f.name}\u0000${f.url}\u0000${f.line}\u0000${f.column}`
      let index = frameByKey.get(key)
      if (index === undefined) {
        index = frames.length
        frames.push(callFrame(f.name, f.url, f.line, f.column))
        frameByKey.set(key, index)
      }
      return index
    },
    child(parent, frame) {
      let byFrame = childOf.get(parent)
      if (!byFrame) {
        byFrame = new Map()
        childOf.set(parent, byFrame)
      }
      let id = byFrame.get(frame)
      if (id === undefined) {
        id = nodes.length + 1
        byFrame.set(frame, id)
        nodes.push({ id, callFrame: frames[frame] as CpuProfileCallFrame, hitCount: 0, children: [] })
        ;(nodes[parent - 1] as CpuProfileNode).children!.push(id)
      }
      return id
    },
    node(stack) {
      let id = ROOT_ID
      for (let i = 0; i < stack.length; i++) id = writer.child(id, stack[i] as number)
      return id
    },
    sample(node, timeUs) {
      samples.push(node)
      times.push(timeUs)
      ;(nodes[node - 1] as CpuProfileNode).hitCount! += 1
    },
    idleNode: () => specialNode('(idle)'),
    programNode: () => specialNode('(program)'),
    gcNode: () => specialNode('(garbage collector)'),
    get sampleCount() {
      return samples.length
    },
    finish(startTimeUs, endTimeUs) {
      const timeDeltas = new Array<number>(times.length)
      let previous = startTimeUs
      for (let i = 0; i < times.length; i++) {
        timeDeltas[i] = (times[i] as number) - previous
        previous = times[i] as number
      }
      return { nodes, startTime: startTimeUs, endTime: Math.max(endTimeUs, previous), samples, timeDeltas }
    },
  }
  const specialNode = (name: string): number => {
    let id = special.get(name)
    if (id === undefined) {
      id = writer.child(ROOT_ID, writer.frame({ name, url: '', line: 0, column: 0 }))
      special.set(name, id)
    }
    return id
  }
  return writer
}

function callFrame(functionName: string, url: string, line: number, column: number): CpuProfileCallFrame {
  return { functionName, scriptId: '0', url, lineNumber: line > 0 ? line - 1 : -1, columnNumber: column > 0 ? column - 1 : -1 }
}

/**
 * Writes weighted samples (speedscope's sampled profiles, pprof) as timed samples. DevTools gives each
 * sample the interval to the next one, so sample i is placed at start + the weights before it, and one
 * `(idle)` sample closes the profile at start + the sum of weights: every weighted sample then owns exactly
 * its weight. The closing sample itself owns DevTools' mean interval (total / sample count), which shows
 * as a sliver of `(idle)` (dropped by the idle filter).
 */
export function writeWeightedSamples(
  writer: StackProfileWriter,
  startUs: number,
  count: number,
  nodeAt: (i: number) => number,
  weightUsAt: (i: number) => number,
): number {
  let t = startUs
  for (let i = 0; i < count; i++) {
    const w = weightUsAt(i)
    if (!(w > 0)) continue
    writer.sample(nodeAt(i), t)
    t += w
  }
  if (writer.sampleCount > 0) writer.sample(writer.idleNode(), t)
  return t
}

/** Splits `name url:line:column` (V8's code names in tick logs, 0x's frame names) into a frame. */
export function parseV8FrameName(text: string): SourceFrame {
  const m = /^(.*?) ?(\S*?):(\d+):(\d+)$/.exec(text)
  if (m && m[2] !== undefined) return { name: m[1] ?? '', url: m[2], line: Number(m[3]), column: Number(m[4]) }
  return { name: text, url: '', line: 0, column: 0 }
}
