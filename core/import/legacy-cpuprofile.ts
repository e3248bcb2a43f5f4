/**
 * The legacy `.cpuprofile` layout, as Chrome DevTools before ~2016 and the `v8-profiler` addon wrote it:
 * one `head` node whose `children` are nodes (not ids), `timestamps` (absolute, µs) instead of
 * `timeDeltas`, and startTime/endTime in seconds. Frames are either a `callFrame` object or the
 * callFrame's fields on the node itself (functionName, url, lineNumber, columnNumber), both seen in the wild.
 * Converted to the modern layout the way DevTools does it (CPUProfileDataModel's
 * compatibilityConversionHeadToNodes: nodes in pre-order, children as ids), then imported as usual.
 */
import type { CpuProfileCallFrame, CpuProfileNode, CpuProfileRaw } from './cpuprofile.js'
import { ProfileFormatError } from './cpuprofile.js'

/** A `head` node with a frame and nested `children`, and no `selfSize` (which would make it a heap profile). */
export function isLegacyCpuProfile(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const p = x as Record<string, unknown>
  const head = p.head as Record<string, unknown> | null
  if (typeof head !== 'object' || head === null || 'selfSize' in head) return false
  if (!Array.isArray(head.children)) return false
  return typeof head.callFrame === 'object' || typeof head.functionName === 'string'
}

const fail = (message: string): never => {
  throw new ProfileFormatError(`legacy CPU profile: ${message}`)
}

function frameOf(node: Record<string, unknown>, path: string): CpuProfileCallFrame {
  const source = (typeof node.callFrame === 'object' && node.callFrame !== null ? node.callFrame : node) as Record<string, unknown>
  if (typeof source.functionName !== 'string') fail(`${path} has no functionName`)
  const num = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : -1)
  // The flat layout's lineNumber is 1-based with 0 for unknown (DevTools' old CPUProfileNode); the callFrame object's 0-based.
  const flat = source === node
  const line = num(source.lineNumber)
  const column = num(source.columnNumber)
  return {
    functionName: source.functionName as string,
    scriptId: String(source.scriptId ?? '0'),
    url: typeof source.url === 'string' ? source.url : '',
    lineNumber: flat ? (line > 0 ? line - 1 : -1) : line,
    columnNumber: flat ? (column > 0 ? column - 1 : -1) : column,
  }
}

/** Converts a legacy-layout profile into the modern one; throws a ProfileFormatError naming the problem. */
export function convertLegacyCpuProfile(x: unknown): CpuProfileRaw {
  if (!isLegacyCpuProfile(x)) fail('expected an object with a `head` node that has `children`')
  const p = x as Record<string, unknown>
  const nodes: CpuProfileNode[] = []
  const usedIds = new Set<number>()
  let nextFreeId = 1
  // Iterative pre-order walk (profiles can be thousands of frames deep); ids are kept when present.
  const stack: { node: unknown; path: string; parentIndex: number }[] = [{ node: p.head, path: 'head', parentIndex: -1 }]
  while (stack.length > 0) {
    const { node, path, parentIndex } = stack.pop() as (typeof stack)[number]
    if (typeof node !== 'object' || node === null) fail(`${path} is not an object`)
    const n = node as Record<string, unknown>
    let id = Number.isInteger(n.id) ? (n.id as number) : -1
    if (id < 0 || usedIds.has(id)) {
      while (usedIds.has(nextFreeId)) nextFreeId++
      id = nextFreeId
    }
    usedIds.add(id)
    const hitCount = Number.isInteger(n.hitCount) && (n.hitCount as number) >= 0 ? (n.hitCount as number) : 0
    const out: CpuProfileNode = { id, callFrame: frameOf(n, path), hitCount, children: [] }
    if (parentIndex >= 0) (nodes[parentIndex] as CpuProfileNode).children!.push(id)
    const index = nodes.length
    nodes.push(out)
    const children = n.children
    if (children !== undefined && !Array.isArray(children)) fail(`${path}.children is not an array`)
    const list = (children ?? []) as unknown[]
    for (let c = list.length - 1; c >= 0; c--) stack.push({ node: list[c], path: `child ${c} of node id ${id}`, parentIndex: index })
  }
  // Ids were assigned in walk order; children lists must follow sibling order, which the reversed push keeps.

  const samples = p.samples
  if (samples !== undefined && !Array.isArray(samples)) fail('`samples` must be an array of node ids')
  const timestamps = p.timestamps
  if (timestamps !== undefined && !Array.isArray(timestamps)) fail('`timestamps` must be an array of microseconds')
  let startTime = typeof p.startTime === 'number' ? p.startTime : NaN
  let endTime = typeof p.endTime === 'number' ? p.endTime : NaN
  const ts = (timestamps ?? []) as unknown[]
  const first = typeof ts[0] === 'number' ? (ts[0] as number) : undefined
  // startTime/endTime are seconds in this layout; timestamps are µs. Decide by which reading is nearer the first timestamp.
  if (Number.isFinite(startTime) && first !== undefined) {
    if (Math.abs(startTime * 1e6 - first) < Math.abs(startTime - first)) {
      startTime *= 1e6
      endTime *= 1e6
    }
  } else if (Number.isFinite(startTime) && first === undefined) {
    startTime *= 1e6
    endTime *= 1e6
  }
  if (!Number.isFinite(startTime)) startTime = first ?? 0
  if (!Number.isFinite(endTime)) endTime = typeof ts[ts.length - 1] === 'number' ? (ts[ts.length - 1] as number) : startTime
  const raw: CpuProfileRaw = { nodes, startTime, endTime }
  if (samples !== undefined) raw.samples = samples as number[]
  if (timestamps !== undefined) {
    const deltas = new Array<number>(ts.length)
    let previous = startTime
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]
      if (typeof t !== 'number' || !Number.isFinite(t)) fail(`timestamps[${i}] is ${JSON.stringify(t)}, not a number`)
      deltas[i] = (t as number) - previous
      previous = t as number
    }
    raw.timeDeltas = deltas
  }
  return raw
}
