/**
 * Chrome/Edge trace-event JSON (DevTools Performance recordings, `chrome://tracing`, Puppeteer and
 * Playwright `startTracing`, `node --trace-events`): the CPU profiles are carried by `Profile` and
 * `ProfileChunk` events (one per profiled thread, chunks joined by the event `id`), or by one `CpuProfile`
 * event in older Chrome. The format is the Trace Event Format document plus V8's
 * CpuProfiler::TraceProfile events (src/profiler/tracing-cpu-profiler.cc); DevTools reads it in
 * TimelineModel / CPUProfileDataModel. Each thread becomes one modern `.cpuprofile`: nodes with `parent`,
 * samples and timeDeltas concatenated in chunk order.
 */
import type { CpuProfileCallFrame, CpuProfileNode, CpuProfileRaw } from './cpuprofile.js'
import { ProfileFormatError } from './cpuprofile.js'

/** One profiled thread of a trace. */
export interface TraceThreadProfile {
  /** `pid:tid`, stable within the file: what `--thread` selects by. */
  key: string
  pid: number
  tid: number
  /** From the trace's `thread_name` metadata (e.g. CrRendererMain, DedicatedWorker thread), else ''. */
  threadName: string
  processName: string
  /** True for the renderer's main thread (or the only thread). */
  main: boolean
  profile: CpuProfileRaw
}

interface TraceEvent {
  name?: unknown
  ph?: unknown
  pid?: unknown
  tid?: unknown
  ts?: unknown
  id?: unknown
  args?: { data?: Record<string, unknown>; name?: unknown } & Record<string, unknown>
}

/** The events of a trace file: a bare array, or an object with `traceEvents`. */
export function traceEventsOf(x: unknown): TraceEvent[] | undefined {
  if (Array.isArray(x)) return x as TraceEvent[]
  if (typeof x === 'object' && x !== null && Array.isArray((x as Record<string, unknown>).traceEvents)) {
    return (x as { traceEvents: TraceEvent[] }).traceEvents
  }
  return undefined
}

/** A trace-event file: events with `ph` and `name` (an empty list is not one). */
export function isChromeTrace(x: unknown): boolean {
  const events = traceEventsOf(x)
  if (!events || events.length === 0) return false
  const first = events.find((e) => typeof e === 'object' && e !== null)
  return first !== undefined && typeof first.ph === 'string' && typeof first.name === 'string'
}

const fail = (message: string): never => {
  throw new ProfileFormatError(`trace: ${message}`)
}

interface Accumulator {
  pid: number
  tid: number
  startTime: number
  endTime: number
  nodes: Map<number, CpuProfileNode>
  order: number[]
  samples: number[]
  timeDeltas: number[]
}

function toCallFrame(x: unknown): CpuProfileCallFrame {
  const cf = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>
  const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : -1)
  return {
    functionName: typeof cf.functionName === 'string' ? cf.functionName : '',
    scriptId: String(cf.scriptId ?? '0'),
    url: typeof cf.url === 'string' ? cf.url : '',
    lineNumber: int(cf.lineNumber),
    columnNumber: int(cf.columnNumber),
    // Kept in the converted profile: it tells a script without a url from V8's own frames.
    ...(typeof cf.codeType === 'string' ? { codeType: cf.codeType } : {}),
  }
}

/**
 * The CPU profiles of a trace, the main thread first (the renderer main thread, else the thread with the
 * most samples), then by sample count. Throws a ProfileFormatError when the trace holds no CPU profile
 * (a trace recorded without the `disabled-by-default-v8.cpu_profiler` category).
 */
export function convertChromeTrace(x: unknown): TraceThreadProfile[] {
  const events = traceEventsOf(x)
  if (!events) fail('expected a JSON array of trace events or an object with `traceEvents`')
  const threadNames = new Map<string, string>()
  const processNames = new Map<number, string>()
  const byId = new Map<string, Accumulator>()
  const whole: TraceThreadProfile[] = []
  for (const e of events as TraceEvent[]) {
    if (typeof e !== 'object' || e === null) continue
    const pid = typeof e.pid === 'number' ? e.pid : 0
    const tid = typeof e.tid === 'number' ? e.tid : 0
    if (e.ph === 'M') {
      if (e.name === 'thread_name' && typeof e.args?.name === 'string') threadNames.set(`${pid}:${tid}`, e.args.name)
      if (e.name === 'process_name' && typeof e.args?.name === 'string') processNames.set(pid, e.args.name)
      continue
    }
    if (e.name === 'CpuProfile') {
      const cpuProfile = e.args?.data?.cpuProfile as CpuProfileRaw | undefined
      if (cpuProfile && Array.isArray(cpuProfile.nodes)) whole.push(thread(pid, tid, cpuProfile))
      continue
    }
    if (e.name !== 'Profile' && e.name !== 'ProfileChunk') continue
    const id = `${pid}:${String(e.id)}`
    let acc = byId.get(id)
    if (!acc) {
      acc = { pid, tid, startTime: NaN, endTime: NaN, nodes: new Map(), order: [], samples: [], timeDeltas: [] }
      byId.set(id, acc)
    }
    const data = e.args?.data ?? {}
    if (e.name === 'Profile') {
      acc.tid = tid
      acc.pid = pid
      if (typeof data.startTime === 'number') acc.startTime = data.startTime
      continue
    }
    const cpu = (data.cpuProfile ?? {}) as Record<string, unknown>
    if (Array.isArray(cpu.nodes)) {
      for (const raw of cpu.nodes as Record<string, unknown>[]) {
        if (typeof raw !== 'object' || raw === null || !Number.isInteger(raw.id))
          fail(`a ProfileChunk of ${id} has a node without an integer id`)
        const node: CpuProfileNode = { id: raw.id as number, callFrame: toCallFrame(raw.callFrame) }
        if (Number.isInteger(raw.parent)) node.parent = raw.parent as number
        if (!acc.nodes.has(node.id)) acc.order.push(node.id)
        acc.nodes.set(node.id, node)
      }
    }
    const samples = Array.isArray(cpu.samples) ? (cpu.samples as number[]) : []
    const deltas = Array.isArray(data.timeDeltas) ? (data.timeDeltas as number[]) : []
    if (samples.length !== deltas.length) fail(`a ProfileChunk of ${id} has ${samples.length} samples but ${deltas.length} timeDeltas`)
    for (let i = 0; i < samples.length; i++) {
      acc.samples.push(samples[i] as number)
      acc.timeDeltas.push(deltas[i] as number)
    }
    if (typeof data.endTime === 'number') acc.endTime = data.endTime
  }

  function thread(pid: number, tid: number, profile: CpuProfileRaw): TraceThreadProfile {
    const threadName = threadNames.get(`${pid}:${tid}`) ?? ''
    return { key: `${pid}:${tid}`, pid, tid, threadName, processName: processNames.get(pid) ?? '', main: false, profile }
  }

  const threads: TraceThreadProfile[] = [...whole]
  for (const acc of byId.values()) {
    if (acc.order.length === 0) continue
    const nodes = acc.order.map((id) => acc.nodes.get(id) as CpuProfileNode)
    let t = Number.isFinite(acc.startTime) ? acc.startTime : 0
    for (const d of acc.timeDeltas) t += d
    const startTime = Number.isFinite(acc.startTime) ? acc.startTime : 0
    const endTime = Number.isFinite(acc.endTime) ? Math.max(acc.endTime, t) : t
    threads.push(thread(acc.pid, acc.tid, { nodes, startTime, endTime, samples: acc.samples, timeDeltas: acc.timeDeltas }))
  }
  if (threads.length === 0) {
    fail(
      'no CPU profile in this trace (no Profile/ProfileChunk or CpuProfile events); record it with the ' +
        '`disabled-by-default-v8.cpu_profiler` category, as DevTools Performance recordings do',
    )
  }
  const isMainName = (name: string): boolean => name === 'CrRendererMain' || name === 'CrBrowserMain' || name === 'main'
  const sampleCount = (t: TraceThreadProfile): number => t.profile.samples?.length ?? 0
  threads.sort((a, b) => {
    const ma = isMainName(a.threadName) ? 0 : 1
    const mb = isMainName(b.threadName) ? 0 : 1
    return ma - mb || sampleCount(b) - sampleCount(a) || a.key.localeCompare(b.key)
  })
  ;(threads[0] as TraceThreadProfile).main = true
  return threads
}

/** A thread's label for lists and messages: `CrRendererMain (pid 12, tid 34), 1,234 samples`. */
export function describeTraceThread(t: TraceThreadProfile): string {
  const name = t.threadName || 'thread'
  return `${name} (pid ${t.pid}, tid ${t.tid}), ${(t.profile.samples?.length ?? 0).toLocaleString('en-US')} samples`
}
