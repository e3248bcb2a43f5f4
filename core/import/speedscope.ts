/**
 * speedscope's JSON file format (https://www.speedscope.app/file-format-schema.json; the `speedscope`
 * package's src/lib/file-format-spec.ts): shared frames plus 'evented' profiles (open/close events at
 * times) and 'sampled' profiles (stacks with weights). Time profiles become modern `.cpuprofile`s, byte
 * profiles become sampling heap profiles (one node per call path, selfSize = the bytes), so both go through
 * the usual importers. What core/export/speedscope.ts writes reads back to the same functions and values.
 */
import { ProfileFormatError } from './cpuprofile.js'
import type { CpuProfileRaw } from './cpuprofile.js'
import type { HeapProfileNode, HeapProfileRaw } from './heap-profile.js'
import { createStackProfileWriter, writeWeightedSamples } from './stack-profile.js'

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json'

/** One profile of a speedscope file, converted. */
export type SpeedscopeConverted =
  | { key: string; name: string; kind: 'cpuprofile'; raw: CpuProfileRaw }
  | { key: string; name: string; kind: 'heapprofile'; raw: HeapProfileRaw }

export function isSpeedscopeFile(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const p = x as Record<string, unknown>
  return p.$schema === SPEEDSCOPE_SCHEMA || (typeof p.shared === 'object' && p.shared !== null && Array.isArray(p.profiles))
}

const fail = (message: string): never => {
  throw new ProfileFormatError(`speedscope: ${message}`)
}

/** Microseconds per unit of a time profile; 'none' counts samples, each taken as 1 ms. */
const US_PER_UNIT: Record<string, number> = { nanoseconds: 1e-3, microseconds: 1, milliseconds: 1e3, seconds: 1e6, none: 1e3 }

interface Frame {
  name: string
  url: string
  line: number
  column: number
}

/**
 * Converts every profile of a speedscope file, the file's activeProfileIndex first. Throws a
 * ProfileFormatError naming the first problem.
 */
export function convertSpeedscope(x: unknown): SpeedscopeConverted[] {
  if (!isSpeedscopeFile(x)) fail('expected an object with `shared.frames` and `profiles`')
  const file = x as Record<string, unknown>
  const shared = file.shared as Record<string, unknown>
  if (!Array.isArray(shared.frames)) fail('`shared.frames` must be an array')
  const frames: Frame[] = (shared.frames as unknown[]).map((f, i) => {
    if (typeof f !== 'object' || f === null || typeof (f as Record<string, unknown>).name !== 'string') fail(`frame ${i} has no name`)
    const r = f as Record<string, unknown>
    const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0)
    return { name: r.name as string, url: typeof r.file === 'string' ? r.file : '', line: int(r.line), column: int(r.col) }
  })
  const frameCount = frames.length
  const checkFrame = (f: unknown, where: string): number => {
    if (!Number.isInteger(f) || (f as number) < 0 || (f as number) >= frameCount)
      fail(`${where} refers to frame ${JSON.stringify(f)}, which is not in shared.frames`)
    return f as number
  }
  const profiles = file.profiles as unknown[]
  if (profiles.length === 0) fail('the file has no profiles')
  const out: SpeedscopeConverted[] = []
  profiles.forEach((p, index) => {
    if (typeof p !== 'object' || p === null) fail(`profile ${index} is not an object`)
    const prof = p as Record<string, unknown>
    const name = typeof prof.name === 'string' ? prof.name : `profile ${index + 1}`
    const unit = String(prof.unit)
    const key = String(index)
    const startValue = typeof prof.startValue === 'number' ? prof.startValue : 0
    if (unit === 'bytes') {
      if (prof.type !== 'sampled') fail(`profile ${index} ("${name}"): byte profiles must be sampled profiles`)
      out.push({ key, name, kind: 'heapprofile', raw: sampledBytes(prof, frames, checkFrame, index) })
      return
    }
    const usPer = US_PER_UNIT[unit]
    if (usPer === undefined) fail(`profile ${index} ("${name}") has unit ${JSON.stringify(prof.unit)}, which is not a speedscope unit`)
    const writer = createStackProfileWriter()
    const frameIndex = frames.map((f) => writer.frame(f))
    const startUs = startValue * (usPer as number)
    if (prof.type === 'sampled') {
      const samples = prof.samples
      const weights = prof.weights
      if (!Array.isArray(samples) || !Array.isArray(weights)) fail(`profile ${index}: sampled profiles need samples and weights`)
      const s = samples as unknown[]
      const w = weights as unknown[]
      if (s.length !== w.length) fail(`profile ${index}: ${s.length} samples but ${w.length} weights`)
      const end = writeWeightedSamples(
        writer,
        startUs,
        s.length,
        (i) => {
          const stack = s[i]
          if (!Array.isArray(stack)) fail(`profile ${index}: sample ${i} is not a stack (an array of frame indexes)`)
          return writer.node((stack as unknown[]).map((f) => frameIndex[checkFrame(f, `profile ${index} sample ${i}`)] as number))
        },
        (i) => {
          const v = w[i]
          if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`profile ${index}: weight ${i} is ${JSON.stringify(v)}`)
          return (v as number) * (usPer as number)
        },
      )
      const endValue = typeof prof.endValue === 'number' ? prof.endValue * (usPer as number) : end
      out.push({ key, name, kind: 'cpuprofile', raw: writer.finish(startUs, Math.max(end, endValue)) })
      return
    }
    if (prof.type !== 'evented') fail(`profile ${index} has type ${JSON.stringify(prof.type)} (expected evented or sampled)`)
    const events = prof.events
    if (!Array.isArray(events)) fail(`profile ${index}: evented profiles need events`)
    // The open stack after each event, as one sample at the event's time: DevTools then gives it the time
    // to the next event. An empty stack is idle time.
    const open: number[] = []
    let node = 1
    let last = startUs
    for (let i = 0; i < (events as unknown[]).length; i++) {
      const e = (events as Record<string, unknown>[])[i] as Record<string, unknown>
      if (typeof e !== 'object' || e === null || typeof e.at !== 'number') fail(`profile ${index}: event ${i} has no time`)
      const frame = frameIndex[checkFrame(e.frame, `profile ${index} event ${i}`)] as number
      const at = (e.at as number) * (usPer as number)
      if (at < last) fail(`profile ${index}: event ${i} at ${String(e.at)} is before the event before it`)
      if (e.type === 'O') {
        open.push(frame)
        node = writer.child(node, frame)
      } else if (e.type === 'C') {
        if (open[open.length - 1] !== frame)
          fail(`profile ${index}: event ${i} closes frame ${String(e.frame)}, which is not the innermost open frame`)
        open.pop()
        node = writer.node(open)
      } else fail(`profile ${index}: event ${i} has type ${JSON.stringify(e.type)} (expected O or C)`)
      const next = (events as Record<string, unknown>[])[i + 1]
      // Several events at one instant make one sample, of the stack after the last of them.
      if (next && typeof next.at === 'number' && next.at * (usPer as number) === at) continue
      writer.sample(open.length === 0 ? writer.idleNode() : node, at)
      last = at
    }
    if (open.length > 0) fail(`profile ${index}: ${open.length} frames are opened and never closed`)
    const endUs = typeof prof.endValue === 'number' ? prof.endValue * (usPer as number) : last
    out.push({ key, name, kind: 'cpuprofile', raw: writer.finish(startUs, endUs) })
  })
  const active = Number.isInteger(file.activeProfileIndex) ? (file.activeProfileIndex as number) : 0
  if (active > 0 && active < out.length) out.unshift(...out.splice(active, 1))
  return out
}

function sampledBytes(
  prof: Record<string, unknown>,
  frames: Frame[],
  checkFrame: (f: unknown, where: string) => number,
  index: number,
): HeapProfileRaw {
  const samples = prof.samples
  const weights = prof.weights
  if (!Array.isArray(samples) || !Array.isArray(weights) || samples.length !== weights.length) {
    fail(`profile ${index}: sampled profiles need samples and weights of the same length`)
  }
  let nextId = 1
  const makeNode = (name: string, url: string, line: number, column: number): HeapProfileNode => ({
    callFrame: { functionName: name, scriptId: '0', url, lineNumber: line - 1, columnNumber: column - 1 },
    selfSize: 0,
    id: nextId++,
    children: [],
  })
  const head = makeNode('(root)', '', 0, 0)
  const childOf = new Map<HeapProfileNode, Map<number, HeapProfileNode>>()
  ;(samples as unknown[]).forEach((stack, i) => {
    if (!Array.isArray(stack)) fail(`profile ${index}: sample ${i} is not a stack`)
    let node = head
    for (const f of stack as unknown[]) {
      const k = checkFrame(f, `profile ${index} sample ${i}`)
      let byFrame = childOf.get(node)
      if (!byFrame) childOf.set(node, (byFrame = new Map()))
      let child = byFrame.get(k)
      if (!child) {
        const fr = frames[k] as Frame
        child = makeNode(fr.name, fr.url, fr.line, fr.column)
        byFrame.set(k, child)
        node.children.push(child)
      }
      node = child
    }
    const w = (weights as unknown[])[i]
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) fail(`profile ${index}: weight ${i} is ${JSON.stringify(w)}`)
    node.selfSize += w as number
  })
  return { head }
}
