/**
 * pprof profiles (github.com/google/pprof proto/profile.proto), decoded with `pprof-format` (the decoder
 * Datadog's and Google's Node profilers use). Callers pass the protobuf bytes; `.pb.gz` files are
 * gunzipped first (core has no zlib: see gunzipIfNeeded's callers in core/import/index.ts).
 * Time profiles (a sample type in nanoseconds/microseconds/milliseconds/seconds, or a sample count with a
 * period) become a modern `.cpuprofile`; byte profiles (alloc_space, inuse_space, space) become a sampling
 * heap profile. Inlined frames (several `line`s per location) become frames of their own, as pprof shows them.
 */
import { Profile } from 'pprof-format'
import { ProfileFormatError } from './cpuprofile.js'
import type { CpuProfileRaw } from './cpuprofile.js'
import type { HeapProfileNode, HeapProfileRaw } from './heap-profile.js'
import { createStackProfileWriter, writeWeightedSamples } from './stack-profile.js'

export type PprofConverted =
  { kind: 'cpuprofile'; raw: CpuProfileRaw; sampleType: string } | { kind: 'heapprofile'; raw: HeapProfileRaw; sampleType: string }

const fail = (message: string): never => {
  throw new ProfileFormatError(`pprof: ${message}`)
}

const US_PER: Record<string, number> = { nanoseconds: 1e-3, microseconds: 1, milliseconds: 1e3, seconds: 1e6 }

/** Decodes and converts a pprof protobuf (already gunzipped). */
export function convertPprof(bytes: Uint8Array): PprofConverted {
  let profile: Profile
  try {
    profile = Profile.decode(bytes)
  } catch (err) {
    return fail(`the protobuf cannot be decoded (${(err as Error).message}); is the file truncated or not a pprof profile?`)
  }
  const str = (i: unknown): string => profile.stringTable.strings[Number(i)] ?? ''
  const types = profile.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }))
  if (types.length === 0) fail('the profile has no sample types')
  const countIndex = types.findIndex((t) => t.unit === 'count')
  const timeIndex = types.findIndex((t) => US_PER[t.unit] !== undefined)
  const byteIndex = types.findIndex((t) => t.unit === 'bytes')
  const periodUnit = profile.periodType ? str(profile.periodType.unit) : ''
  const periodUs = US_PER[periodUnit] !== undefined ? Number(profile.period) * (US_PER[periodUnit] as number) : 0

  const functions = new Map<string, { name: string; url: string; startLine: number }>()
  for (const f of profile.function)
    functions.set(String(f.id), { name: str(f.name) || str(f.systemName), url: str(f.filename), startLine: Number(f.startLine) })
  // Each location's frames, outermost first (pprof lists a location's inlined lines innermost first).
  const locations = new Map<string, { name: string; url: string; line: number }[]>()
  for (const loc of profile.location) {
    const frames = loc.line.map((l) => {
      const fn = functions.get(String(l.functionId))
      if (!fn) fail(`location ${String(loc.id)} refers to function ${String(l.functionId)}, which is not in the profile`)
      return {
        name: (fn as { name: string }).name,
        url: (fn as { url: string }).url,
        line: Number(l.line) || (fn as { startLine: number }).startLine,
      }
    })
    if (frames.length === 0) frames.push({ name: `0x${Number(loc.address).toString(16)}`, url: '', line: 0 })
    locations.set(String(loc.id), frames.reverse())
  }
  const stackOf = (locationIds: unknown[], i: number): { name: string; url: string; line: number }[] => {
    const out: { name: string; url: string; line: number }[] = []
    for (let k = locationIds.length - 1; k >= 0; k--) {
      const frames = locations.get(String(locationIds[k]))
      if (!frames) fail(`sample ${i} refers to location ${String(locationIds[k])}, which is not in the profile`)
      out.push(...(frames as { name: string; url: string; line: number }[]))
    }
    return out
  }

  if (timeIndex < 0 && byteIndex >= 0) {
    let nextId = 1
    const make = (name: string, url: string, line: number): HeapProfileNode => ({
      callFrame: { functionName: name, scriptId: '0', url, lineNumber: line - 1, columnNumber: -1 },
      selfSize: 0,
      id: nextId++,
      children: [],
    })
    const head = make('(root)', '', 0)
    const childOf = new Map<HeapProfileNode, Map<string, HeapProfileNode>>()
    profile.sample.forEach((s, i) => {
      let node = head
      for (const f of stackOf(s.locationId, i)) {
        const key = `${f.name}\u0000${f.url}\u0000${f.line}`
        let byKey = childOf.get(node)
        if (!byKey) childOf.set(node, (byKey = new Map()))
        let child = byKey.get(key)
        if (!child) {
          child = make(f.name, f.url, f.line)
          byKey.set(key, child)
          node.children.push(child)
        }
        node = child
      }
      node.selfSize += Number(s.value[byteIndex] ?? 0)
    })
    const t = types[byteIndex] as { type: string; unit: string }
    return { kind: 'heapprofile', raw: { head }, sampleType: `${t.type}/${t.unit}` }
  }
  if (timeIndex < 0 && (countIndex < 0 || periodUs <= 0)) {
    fail(
      `no time or byte sample type (sample types: ${types.map((t) => `${t.type}/${t.unit}`).join(', ')}); Hotpath reads CPU/wall time and allocation profiles`,
    )
  }

  const writer = createStackProfileWriter()
  // Each pprof sample is `count` samples sharing its time value (or `count` × period without one).
  const expanded: { node: number; weightUs: number }[] = []
  profile.sample.forEach((s, i) => {
    const stack = stackOf(s.locationId, i)
    const node = writer.node(stack.map((f) => writer.frame({ name: f.name, url: f.url, line: f.line > 0 ? f.line : 0, column: 0 })))
    const count = countIndex >= 0 ? Number(s.value[countIndex] ?? 0) : 1
    const timeUs =
      timeIndex >= 0 ? Number(s.value[timeIndex] ?? 0) * (US_PER[(types[timeIndex] as { unit: string }).unit] as number) : count * periodUs
    if (!(timeUs > 0)) return
    const n = Math.max(1, Math.round(count))
    for (let k = 0; k < n; k++) expanded.push({ node, weightUs: timeUs / n })
  })
  const startUs = Number(profile.timeNanos) / 1000
  const end = writeWeightedSamples(
    writer,
    startUs,
    expanded.length,
    (i) => (expanded[i] as { node: number }).node,
    (i) => (expanded[i] as { weightUs: number }).weightUs,
  )
  const t = types[timeIndex >= 0 ? timeIndex : countIndex] as { type: string; unit: string }
  return { kind: 'cpuprofile', raw: writer.finish(startUs, end), sampleType: `${t.type}/${t.unit}` }
}
