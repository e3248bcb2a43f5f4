/**
 * An in-memory WorkbenchApi and event source for the `?fake=1` dev mode and the renderer's tests: realistic,
 * schema-valid runs (seeded), and runs that progress through their phases on timers like the engine's.
 * Pure TypeScript with DOM-compatible timers only, so Vite can bundle it for the browser as well.
 */
import { buildTrend, isTrendMetric } from '../../core/analysis/trend.js'
import { type RunRequest, eventSchemas, runPatchSchema, runRequestSchema } from '../../core/api/schemas.js'
import type { WorkbenchEventName, WorkbenchEvents } from '../../core/api/contract.js'
import type { EnvironmentSnapshot } from '../../core/model/environment.js'
import {
  type Artifact,
  type ProfileKind,
  type RunId,
  type RunRecord,
  type RunStatus,
  type TimelineSample,
  makeRunId,
  runRecordSchema,
  summarizeRun,
} from '../../core/model/run.js'
import { type ParamValues, type WorkloadDescriptor, resolveParams, workloadDescriptorSchema } from '../../core/model/workload.js'
import { expandSweep, sweepSetLabel } from '../../core/model/sweep.js'
import { formatEnvironmentMarkdown, redactEnvironment } from '../../core/format/environment.js'
import { compareRuns } from '../../core/compare/comparison.js'
import { filterRunSummaries } from '../../core/model/run-filter.js'
import { DEFAULT_SAMPLING_INTERVAL_US, RUN_FILES } from '../../core/model/run-layout.js'
import { createRunRecord } from '../../core/model/run-record.js'
import { compareByTarget } from '../../core/compare/by-target.js'
import { formatTargetComparisonHtml, formatTargetComparisonMarkdown } from '../../core/export/target-table.js'
import { getExporter, type ReportInput } from '../../core/export/index.js'
import { type StatsRng, createStatsRng } from '../../core/stats/rng.js'
import { summarizeSamples, toLatencyNs } from '../../core/stats/summarize.js'
import type { ConnectionState, WorkbenchClient } from '../src/state/client.js'

export interface FakeWorkbenchOptions {
  /** Runs already in the library (default 12). */
  runs?: number
  /** Seed of every generated number (default 7). */
  seed?: number
  /** Interval between progress and timeline events of a live run (default 100 ms). */
  tickMs?: number
  /** Cap on the simulated measured window, so a "60 s" request does not keep a test waiting (default 30 s). */
  maxSimulatedMs?: number
  /** Latency samples kept per generated run (default 2,000; small values keep huge libraries cheap). */
  samplesPerRun?: number
  /** Script texts readSource returns, by profile url (the fake has no files on disk; other urls are unavailable). */
  sources?: Record<string, string>
}

export interface FakeCall {
  method: string
  args: unknown[]
}

export interface FakeWorkbench extends WorkbenchClient {
  readonly connection: { readonly state: ConnectionState; onChange(listener: (s: ConnectionState) => void): () => void }
  /** Every request made, in order (for assertions). */
  readonly calls: FakeCall[]
  setConnection(state: ConnectionState): void
  /** The next call of `method` rejects with `message` (as the real client does with a server error). */
  failNext(method: keyof WorkbenchClient, message: string): void
  /** Runs being simulated right now. */
  activeRunIds(): RunId[]
  /** Stops every timer (test teardown). */
  dispose(): void
}

/** The machine the fake "runs" on; a second machine appears in generated libraries for the machine filter. */
export const fakeEnvironment: EnvironmentSnapshot = {
  capturedAt: '2026-11-23T07:00:00.000Z',
  os: {
    platform: 'linux',
    distro: 'Debian GNU/Linux',
    release: '12',
    kernel: '6.1.0-28-cloud-amd64',
    arch: 'x64',
    hostname: 'bench-host-7',
  },
  cpu: {
    brand: 'AMD EPYC 7B13',
    manufacturer: 'AMD',
    cores: 2,
    physicalCores: 1,
    speedGHz: 2.45,
    speedMaxGHz: 3.5,
    cacheBytes: { l1d: 32 * 1024, l2: 512 * 1024, l3: 32 * 1024 ** 2 },
    governor: 'performance',
  },
  memory: { totalBytes: 8 * 1024 ** 3, freeBytes: 5.5 * 1024 ** 3 },
  runtime: { node: '20.20.2', v8: '11.3.244.8-node.33', execPath: '/home/alice/.nvm/versions/node/v20.20.2/bin/node', name: 'node' },
  machine: {
    virtual: true,
    hypervisor: 'KVM',
    manufacturer: 'Google',
    model: 'Google Compute Engine',
    serial: 'GCE-4c1d2e',
    uuid: '3d1219c7-c4c5-404a-aa1f-6d2a48adfda4',
    machineId: '9a8b7c6d5e4f',
  },
  power: { hasBattery: false },
  loadAvg: [0.42, 0.31, 0.2],
  network: [{ iface: 'eth0', mac: '42:01:0a:80:00:07', ip4: '10.128.0.7' }],
  user: { name: 'alice', home: '/home/alice' },
  redacted: false,
}

const laptopEnvironment: EnvironmentSnapshot = {
  ...fakeEnvironment,
  os: { platform: 'darwin', distro: 'macOS', release: '15.1', kernel: '24.1.0', arch: 'arm64', hostname: 'alice-mbp' },
  cpu: { brand: 'Apple M2 Pro', manufacturer: 'Apple', cores: 12, physicalCores: 12, speedGHz: 3.5 },
  memory: { totalBytes: 32 * 1024 ** 3 },
  machine: { virtual: false, manufacturer: 'Apple Inc.', model: 'Mac14,9' },
  power: { hasBattery: true, onBattery: false, percent: 86 },
}

const int = (description: string, def: number, min: number, max: number, unit?: string) =>
  ({ type: 'int', description, default: def, min, max, ...(unit ? { unit } : {}) }) as const

/** Descriptors shaped like the real ones (workloads/<id>/index.ts), validated on load. */
export const fakeWorkloads: WorkloadDescriptor[] = [
  {
    id: 'orderbook',
    title: 'Order book',
    description:
      'An L2 book fed by seeded level updates: best bid/ask after each update and walkBook(side, qty) for the average fill price.',
    operation: 'one L2 level update',
    variants: [
      { id: 'heap', title: 'Binary heap', description: 'Levels in a binary heap rebuilt after each update.', role: 'naive' },
      {
        id: 'sorted',
        title: 'Sorted levels',
        description: 'Levels kept in sorted typed arrays; binary search and shift on update.',
        role: 'optimized',
      },
    ],
    defaultVariant: 'heap',
    params: {
      levels: int('Price levels per side.', 500, 10, 10_000),
      updates: int('Level updates per operation batch.', 1000, 1, 1_000_000),
      tickSize: { type: 'number', description: 'Price increment.', default: 0.01, min: 0.0001, max: 10, unit: 'USD' },
      side: { type: 'enum', description: 'Which side walkBook consumes.', default: 'both', values: ['bid', 'ask', 'both'] },
    },
    figureToBeat: 'update 30 µs p99, walk 5 µs',
  },
  {
    id: 'serialization',
    title: 'Serialization',
    description: 'Encodes and decodes order and quote messages.',
    operation: 'one encode + decode round trip',
    variants: [
      { id: 'json', title: 'JSON', description: 'JSON.stringify and JSON.parse.', role: 'naive' },
      { id: 'binary', title: 'Binary', description: 'A fixed DataView layout with a reused buffer.', role: 'optimized' },
    ],
    defaultVariant: 'json',
    params: {
      messages: int('Messages per batch.', 1000, 1, 100_000),
      validate: { type: 'boolean', description: 'Check every decoded field against the original.', default: true },
    },
    figureToBeat: 'JSON 100 µs -> binary 40 µs; parse 150 -> 50 µs',
  },
  {
    id: 'symbol-collection',
    title: 'Symbol collection',
    description: 'Collects quotes for every symbol of a seeded universe from a local HTTP quote server that answers after a set latency.',
    operation: 'one collection of the quotes of all symbols',
    variants: [
      { id: 'sequential', title: 'Sequential', description: 'One request after another over one keep-alive connection.', role: 'naive' },
      { id: 'parallel', title: 'Bounded parallel', description: 'Up to `concurrency` requests in flight.', role: 'optimized' },
      {
        id: 'cached',
        title: 'TTL cache',
        description: 'A per-symbol cache with a time to live in front of the parallel fetcher.',
        role: 'optimized',
      },
      {
        id: 'leaky',
        title: 'Leaky cache',
        description: 'The cached variant with the request id in the cache key and no eviction.',
        role: 'leaky',
      },
    ],
    defaultVariant: 'sequential',
    params: {
      symbols: int('Symbols in the universe.', 500, 10, 5000),
      latencyMs: int('Server-side delay before each quote is answered.', 1, 0, 100, 'ms'),
      concurrency: int('Requests in flight at most.', 32, 1, 256),
    },
    figureToBeat: '48x parallel, 590x cached (speedup over sequential)',
  },
  {
    id: 'selftest',
    title: 'Harness self-test',
    description: 'A trivial loop used to test the harness; the crash variant exits with an error mid-run.',
    operation: 'one loop iteration',
    variants: [
      { id: 'ok', title: 'OK', description: 'Runs to completion.', role: 'naive' },
      { id: 'crash', title: 'Crash', description: 'Throws after half the measured window.', role: 'alternative' },
    ],
    defaultVariant: 'ok',
    params: {},
    figureToBeat: 'n/a',
  },
].map((w) => workloadDescriptorSchema.parse(w))

/** Typical per-operation latency (ns) of each variant, so generated libraries look like real ones. */
const BASE_LATENCY_NS: Record<string, number> = {
  'orderbook/heap': 14_200,
  'orderbook/sorted': 2_150,
  'serialization/json': 96_000,
  'serialization/binary': 31_500,
  'symbol-collection/sequential': 612_000_000,
  'symbol-collection/parallel': 21_800_000,
  'symbol-collection/cached': 1_050_000,
  'symbol-collection/leaky': 1_900_000,
  'selftest/ok': 80,
  'selftest/crash': 80,
}

function randomHex(rng: StatsRng, chars: number): string {
  let out = ''
  while (out.length < chars) out += rng.nextU32().toString(16).padStart(8, '0')
  return out.slice(0, chars)
}

/** A standard normal variate (Box–Muller). */
function gaussian(rng: StatsRng): number {
  const u = Math.max(rng.next(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())
}

interface RecordSpec {
  at: Date
  workload: string
  variant: string
  params: ParamValues
  seed: number
  status: RunStatus
  label: string
  tags: string[]
  measuredMs: number
  profile: ProfileKind[]
  heapSnapshots: ('start' | 'end')[]
  env: EnvironmentSnapshot
  kind?: RunRecord['kind']
  samples: number
}

/** Builds one schema-valid run record with lognormal latencies, a few outliers and a resource timeline. */
export function makeFakeRecord(rng: StatsRng, spec: RecordSpec): RunRecord {
  const base = BASE_LATENCY_NS[`${spec.workload}/${spec.variant}`] ?? 10_000
  const ok = spec.status === 'ok'
  const samplesNs: number[] = []
  for (let i = 0; i < spec.samples; i++) {
    let v = base * Math.exp(0.12 * gaussian(rng))
    if (rng.next() < 0.008) v *= 3 + 4 * rng.next()
    samplesNs.push(Math.max(1, Math.round(v)))
  }
  const summary = summarizeSamples(samplesNs)
  const operations = Math.max(spec.samples, Math.round((spec.measuredMs * 1e6) / summary.mean))
  const wallMs = spec.measuredMs * (spec.profile.length > 0 ? 1.6 : 1) + 400
  const timeline: TimelineSample[] = []
  for (let t = 0; t <= wallMs; t += 100) {
    const phase = t < 150 ? 'spawning' : t < 350 ? 'warmup' : t < 350 + spec.measuredMs ? 'timing' : 'profiling'
    timeline.push({
      tMs: t,
      cpuUserPct: phase === 'spawning' ? 35 : 93 + 4 * rng.next(),
      cpuSystemPct: 1.5 + 2 * rng.next(),
      rssBytes: Math.round((58 + (30 * t) / wallMs + 2 * rng.next()) * 1024 ** 2),
      heapUsedBytes: Math.round((12 + ((t / 7) % 40) + (spec.variant === 'leaky' ? (60 * t) / wallMs : 0)) * 1024 ** 2),
      eventLoopDelayMs: 0.2 + rng.next(),
      opsPerSec: phase === 'timing' ? (1e9 / summary.mean) * (0.95 + 0.1 * rng.next()) : 0,
      phase,
    })
  }
  const id = makeRunId(spec.at, `${spec.workload}-${spec.variant}`, randomHex(rng, 4))
  const artifacts: Artifact[] = []
  const artifact = (kind: Artifact['kind'], file: string, bytes: number, label: string): void => {
    artifacts.push({ kind, file, bytes, sha256: randomHex(rng, 64), label })
  }
  if (spec.profile.includes('cpu'))
    artifact('cpuprofile', RUN_FILES.cpuProfile, 180_000 + Math.round(rng.next() * 900_000), 'CPU profile of the measured window')
  if (spec.profile.includes('alloc'))
    artifact('heapprofile', RUN_FILES.allocProfile, 60_000 + Math.round(rng.next() * 200_000), 'sampling heap profile')
  if (spec.profile.includes('heap') || spec.heapSnapshots.includes('end'))
    artifact(
      'heapsnapshot',
      'heap-end.heapsnapshot',
      9_000_000 + Math.round(rng.next() * 30_000_000),
      'heap snapshot at end of measured window',
    )
  if (spec.heapSnapshots.includes('start'))
    artifact('heapsnapshot', RUN_FILES.heapStart, 8_000_000, 'heap snapshot at start of measured window')
  if (spec.profile.includes('0x')) artifact('0x', '0x/flamegraph.html', 420_000, '0x flamegraph')
  const stderrTail =
    spec.status === 'failed'
      ? 'Error: selftest crash requested (variant "crash")\n    at run (workloads/selftest/index.ts:41:11)\n    at measure (workloads/harness/measure.ts:88:5)\n'
      : ''
  artifact('stderr', RUN_FILES.stderr, stderrTail.length, 'stderr of the workload process')
  const record: RunRecord = createRunRecord({
    id,
    kind: spec.kind ?? 'workload',
    createdAt: spec.at.toISOString(),
    finishedAt: new Date(spec.at.getTime() + wallMs).toISOString(),
    label: spec.label,
    tags: spec.tags,
    notes: '',
    workload: { id: spec.workload, variant: spec.variant, params: spec.params, seed: spec.seed },
    measure: { durationMs: spec.measuredMs, warmupMs: 200, timeoutMs: 60_000 },
    capture: { profile: spec.profile, samplingIntervalUs: DEFAULT_SAMPLING_INTERVAL_US, heapSnapshots: spec.heapSnapshots, timingPass: spec.profile.length > 0 },
    runtime: { path: spec.env.runtime.execPath ?? '/usr/bin/node', node: spec.env.runtime.node, v8: spec.env.runtime.v8 },
    status: spec.status,
    exit:
      spec.status === 'failed'
        ? { code: 1, signal: null }
        : spec.status === 'ok'
          ? { code: 0, signal: null }
          : { code: null, signal: 'SIGTERM' },
    ...(spec.status === 'failed' ? { error: 'The workload exited with code 1 during the measured window.' } : {}),
    ...(spec.status === 'timeout' ? { error: 'Timed out after 60 s; the workload was stopped with SIGTERM.' } : {}),
    ...(spec.status === 'cancelled' ? { error: 'Cancelled by the user.' } : {}),
    stderrTail,
    wallMs,
    ...(ok ? { checksum: `sha256:${randomHex(rng, 16)}` } : {}),
    env: spec.env,
    ...(ok
      ? {
          metrics: {
            opsPerSec: 1e9 / summary.mean,
            iterations: spec.samples,
            operations,
            opsPerIteration: Math.max(1, Math.round(operations / spec.samples)),
            batched: base < 1000,
            measuredMs: spec.measuredMs,
            warmupIterations: 50,
            latencyNs: toLatencyNs(summary),
            outliers: summary.outliers,
            gc: { count: 4 + Math.floor(rng.next() * 40), pauseMs: 2 + rng.next() * 30, major: 1, minor: 3 + Math.floor(rng.next() * 39) },
            peakRssBytes: Math.max(...timeline.map((s) => s.rssBytes ?? 0)),
            peakHeapUsedBytes: Math.max(...timeline.map((s) => s.heapUsedBytes ?? 0)),
            cpu: { userMs: spec.measuredMs * 0.95, systemMs: spec.measuredMs * 0.03 },
            eventLoopUtilization: 0.97,
          },
          samplesNs,
        }
      : {}),
    timeline,
    warnings:
      ok && summary.outliers.high > spec.samples * 0.005
        ? [
            {
              kind: 'outliers',
              detail: { count: summary.outliers.high, warmupUsed: true },
              message: `${summary.outliers.high} statistical outliers were detected; consider closing other programs.`,
            },
          ]
        : [],
    artifacts,
  })
  return runRecordSchema.parse(record)
}

const TAGS = ['baseline', 'ci', 'laptop', 'before-fix', 'after-fix', 'nightly', 'pr-412']

/** A library of `count` runs spread over the last weeks, newest last, mostly ok with some failures. */
export function makeFakeLibrary(count: number, seed = 7, samplesPerRun = 2000): RunRecord[] {
  const rng = createStatsRng(seed)
  const out: RunRecord[] = []
  const start = Date.UTC(2026, 9, 1, 9, 0, 0)
  const step = (50 * 24 * 3600 * 1000) / Math.max(1, count)
  for (let i = 0; i < count; i++) {
    const w = fakeWorkloads[i % 3] as WorkloadDescriptor
    const variant = (w.variants[Math.floor(rng.next() * w.variants.length)] as { id: string }).id
    const roll = rng.next()
    const status: RunStatus = roll < 0.9 ? 'ok' : roll < 0.95 ? 'failed' : roll < 0.98 ? 'cancelled' : 'timeout'
    const tags = TAGS.filter(() => rng.next() < 0.15)
    const resolved = resolveParams(w, {})
    out.push(
      makeFakeRecord(rng, {
        at: new Date(start + i * step + Math.floor(rng.next() * 1000)),
        workload: w.id,
        variant,
        params: resolved.ok ? resolved.params : {},
        seed: 42,
        status,
        label: `${w.id} ${variant}${rng.next() < 0.3 ? ` #${i}` : ''}`,
        tags,
        measuredMs: 1000 + Math.round(rng.next() * 4) * 1000,
        profile: rng.next() < 0.6 ? ['cpu'] : rng.next() < 0.5 ? ['cpu', 'alloc'] : [],
        heapSnapshots: variant === 'leaky' ? ['start', 'end'] : [],
        env: i % 5 === 4 ? laptopEnvironment : fakeEnvironment,
        samples: samplesPerRun,
      }),
    )
  }
  return out
}

interface ActiveRun {
  id: RunId
  request: RunRequest
  params: ParamValues
  startedAt: number
  plan: { phase: WorkbenchEvents['runProgress']['phase']; ms: number }[]
  elapsedMs: number
  timer: ReturnType<typeof setInterval>
  rss: number
}

/** Creates the fake. Everything returned is plain data (structured-clone safe), as with the real client. */
export function createFakeWorkbench(options: FakeWorkbenchOptions = {}): FakeWorkbench {
  const tickMs = options.tickMs ?? 100
  const maxSimulatedMs = options.maxSimulatedMs ?? 30_000
  const samplesPerRun = options.samplesPerRun ?? 2000
  const rng = createStatsRng((options.seed ?? 7) + 1)
  const runs = new Map<RunId, RunRecord>()
  for (const r of makeFakeLibrary(options.runs ?? 12, options.seed ?? 7, samplesPerRun)) runs.set(r.id, r)
  const active = new Map<RunId, ActiveRun>()
  const listeners = new Map<WorkbenchEventName, Set<(payload: never) => void>>()
  const connectionListeners = new Set<(s: ConnectionState) => void>()
  const failures = new Map<string, string>()
  const calls: FakeCall[] = []
  let connectionState: ConnectionState = 'connected'
  let lastStamp = 0

  function emit<E extends WorkbenchEventName>(event: E, payload: WorkbenchEvents[E]): void {
    // Validate like the real transports do, so the fake never emits what the engine could not.
    eventSchemas[event].parse(payload)
    for (const l of listeners.get(event) ?? []) (l as (p: WorkbenchEvents[E]) => void)(payload)
  }

  async function call<T>(method: string, args: unknown[], body: () => T): Promise<T> {
    calls.push({ method, args })
    await Promise.resolve()
    const failure = failures.get(method)
    if (failure !== undefined) {
      failures.delete(method)
      throw new Error(failure)
    }
    return structuredClone(body())
  }

  function nextDate(): Date {
    // Ids sort by time: never hand out the same millisecond twice.
    lastStamp = Math.max(Date.now(), lastStamp + 1)
    return new Date(lastStamp)
  }

  /** The fake engine's startRun: checks the request like the engine and simulates its phases on timers. */
  function startFakeRun(request: RunRequest): { runId: RunId } {
    const parsed = runRequestSchema.safeParse(request)
    if (!parsed.success)
      throw new Error(
        `Invalid arguments for startRun: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      )
    const w = fakeWorkloads.find((d) => d.id === request.workload)
    if (!w) throw new Error(`Unknown workload "${request.workload}". Known: ${fakeWorkloads.map((d) => d.id).join(', ')}`)
    const variant = request.variant ?? w.defaultVariant
    if (!w.variants.some((v) => v.id === variant)) throw new Error(`Unknown variant "${variant}" of ${w.id}`)
    const resolved = resolveParams(w, request.params ?? {})
    if (!resolved.ok) throw new Error(resolved.problems.map((p) => `--param ${p.param}: ${p.message}; expected ${p.valid}`).join('; '))
    const at = nextDate()
    const id = makeRunId(at, `${w.id}-${variant}`, randomHex(rng, 4))
    const measureMs = Math.min(request.durationMs ?? 1000, maxSimulatedMs)
    const plan: ActiveRun['plan'] = [
      { phase: 'spawning', ms: 200 },
      { phase: 'warmup', ms: Math.min(request.warmupMs ?? 300, 2000) },
      { phase: 'timing', ms: measureMs },
    ]
    if ((request.profile ?? []).length > 0) plan.push({ phase: 'profiling', ms: measureMs / 2 })
    if ((request.heapSnapshots ?? []).length > 0 || request.profile?.includes('heap')) plan.push({ phase: 'snapshot', ms: 400 })
    plan.push({ phase: 'saving', ms: 300 })
    const run: ActiveRun = {
      id,
      request,
      params: resolved.params,
      startedAt: at.getTime(),
      plan,
      elapsedMs: 0,
      timer: 0 as unknown as ReturnType<typeof setInterval>,
      rss: 48 * 1024 ** 2,
    }
    run.timer = setInterval(() => tick(run), tickMs)
    active.set(id, run)
    setTimeout(() => {
      if (active.has(id)) emit('runProgress', { runId: id, phase: 'spawning', fraction: 0, overall: 0 })
    }, 0)
    return { runId: id }
  }

  /** What to do when a run ends other than cancelled: a sweep starts its next run. */
  const afterFinish = new Map<RunId, () => void>()

  function finish(run: ActiveRun, status: RunStatus): void {
    clearInterval(run.timer)
    active.delete(run.id)
    const w = fakeWorkloads.find((d) => d.id === run.request.workload) as WorkloadDescriptor
    const record = makeFakeRecord(rng, {
      at: new Date(run.startedAt),
      workload: w.id,
      variant: run.request.variant ?? w.defaultVariant,
      params: run.params,
      seed: run.request.seed ?? 42,
      status,
      label: run.request.label ?? `${w.id} ${run.request.variant ?? w.defaultVariant}`,
      tags: run.request.tags ?? [],
      measuredMs: Math.min(run.request.durationMs ?? 1000, maxSimulatedMs),
      profile: run.request.profile ?? [],
      heapSnapshots: run.request.heapSnapshots ?? [],
      env: fakeEnvironment,
      samples: samplesPerRun,
    })
    const stored: RunRecord = { ...record, id: run.id, ...(run.request.group ? { group: run.request.group } : {}) }
    runs.set(run.id, stored)
    if (status === 'ok') emit('runProgress', { runId: run.id, phase: 'done', fraction: 1, overall: 1, etaMs: 0 })
    emit('runFinished', { runId: run.id, status, summary: summarizeRun(stored) })
    emit('runsChanged', { reason: `run ${status}` })
    const then = afterFinish.get(run.id)
    afterFinish.delete(run.id)
    if (then && status !== 'cancelled') then()
  }

  function tick(run: ActiveRun): void {
    run.elapsedMs += tickMs
    const totalMs = run.plan.reduce((a, p) => a + p.ms, 0)
    let before = 0
    let current = run.plan[run.plan.length - 1] as ActiveRun['plan'][number]
    for (const p of run.plan) {
      if (run.elapsedMs < before + p.ms) {
        current = p
        break
      }
      before += p.ms
    }
    if (run.elapsedMs >= totalMs) {
      finish(run, 'ok')
      return
    }
    const variant = run.request.variant ?? ''
    if (variant === 'crash' && current.phase === 'timing' && run.elapsedMs - before > current.ms / 2) {
      finish(run, 'failed')
      return
    }
    const base = BASE_LATENCY_NS[`${run.request.workload}/${variant}`] ?? 10_000
    const measuring = current.phase === 'timing' || current.phase === 'profiling'
    const opsPerSec = measuring ? (1e9 / base) * (0.9 + 0.2 * rng.next()) : undefined
    const fraction = Math.min(1, (run.elapsedMs - before) / current.ms)
    emit('runProgress', {
      runId: run.id,
      phase: current.phase,
      fraction,
      overall: run.elapsedMs / totalMs,
      etaMs: totalMs - run.elapsedMs,
      ...(opsPerSec !== undefined
        ? { opsPerSec, p99Ns: base * (1.3 + 0.2 * rng.next()), opsDone: Math.round(((run.elapsedMs - before) / 1000) * opsPerSec) }
        : {}),
    })
    run.rss += 0.2 * 1024 ** 2 * rng.next()
    emit('timelineSample', {
      runId: run.id,
      sample: {
        tMs: run.elapsedMs,
        cpuUserPct: measuring ? 92 + 6 * rng.next() : 30 + 20 * rng.next(),
        cpuSystemPct: 1 + 3 * rng.next(),
        rssBytes: Math.round(run.rss),
        heapUsedBytes: Math.round((14 + ((run.elapsedMs / 13) % 30)) * 1024 ** 2),
        eventLoopDelayMs: 0.3 + rng.next(),
        ...(opsPerSec !== undefined ? { opsPerSec } : {}),
        phase: current.phase,
      },
    })
  }

  const api: FakeWorkbench = {
    calls,
    connection: {
      get state() {
        return connectionState
      },
      onChange(listener) {
        connectionListeners.add(listener)
        return () => connectionListeners.delete(listener)
      },
    },
    setConnection(state) {
      connectionState = state
      for (const l of connectionListeners) l(state)
    },
    failNext(method, message) {
      failures.set(method, message)
    },
    activeRunIds: () => [...active.keys()],
    dispose() {
      for (const run of active.values()) clearInterval(run.timer)
      active.clear()
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
    listWorkloads: () => call('listWorkloads', [], () => fakeWorkloads),
    getWorkloadFolder: () => call('getWorkloadFolder', [], () => ({ folder: null, problems: [], canChoose: false })),
    chooseWorkloadFolder: () =>
      call('chooseWorkloadFolder', [], () => {
        throw new Error('The workloads folder is set when the server starts here: `hotpath serve --workloads DIR`.')
      }),
    startRun: (request) => call('startRun', [request], () => startFakeRun(request)),
    startSweep: (sweep) =>
      call('startSweep', [sweep], () => {
        const expanded = expandSweep(sweep.axes)
        if (!expanded.ok) throw new Error(`Invalid sweep: ${expanded.message}`)
        const w = fakeWorkloads.find((d) => d.id === sweep.run.workload)
        const group = `sweep-fake-${randomHex(rng, 4)}`
        const requests = expanded.sets.map((set) => ({
          ...sweep.run,
          params: { ...sweep.run.params, ...set },
          group,
          label: `${sweep.run.label ?? `${sweep.run.workload} sweep`} ${sweepSetLabel(set)}`,
        }))
        for (const r of requests) {
          const resolved = w ? resolveParams(w, r.params) : { ok: true as const }
          if (!resolved.ok) throw new Error(resolved.problems.map((p) => `params.${p.param}: ${p.message} (valid: ${p.valid})`).join('; '))
        }
        // One after another, as the engine runs them: the next starts when the previous one ends (not when cancelled).
        const startAt = (i: number): RunId => {
          const { runId } = startFakeRun(requests[i] as RunRequest)
          if (i + 1 < requests.length) afterFinish.set(runId, () => void startAt(i + 1))
          return runId
        }
        return { group, runId: startAt(0), runs: requests.length }
      }),
    checkRuntime: (runtime) =>
      call('checkRuntime', [runtime], () =>
        /\/node[0-9.]*$/.test(runtime)
          ? { ok: true as const, node: '22.11.0' }
          : { ok: false as const, message: `The runtime ${runtime} does not exist` },
      ),
    cancelRun: (runId) =>
      call('cancelRun', [runId], () => {
        const run = active.get(runId)
        if (!run) return { cancelled: false }
        // The real engine answers first and reports the finished run a moment later.
        setTimeout(() => finish(run, 'cancelled'), 0)
        clearInterval(run.timer)
        return { cancelled: true }
      }),
    listRuns: (filter) =>
      call('listRuns', [filter], () =>
        filterRunSummaries([...runs.values()].map(summarizeRun), filter).sort((a, b) => (a.id < b.id ? 1 : -1)),
      ),
    listRunPage: (filter, page) =>
      call('listRunPage', [filter, page], () => {
        const all = filterRunSummaries([...runs.values()].map(summarizeRun), filter).sort((a, b) => (a.id < b.id ? 1 : -1))
        return { runs: all.slice(page.offset, page.offset + page.limit), total: all.length }
      }),
    getRun: (runId) =>
      call('getRun', [runId], () => {
        const r = runs.get(runId)
        if (!r) throw new Error(`Run ${runId} not found`)
        return r
      }),
    updateRun: (runId, patch) =>
      call('updateRun', [runId, patch], () => {
        const r = runs.get(runId)
        if (!r) throw new Error(`Run ${runId} not found`)
        const p = runPatchSchema.parse(patch)
        const next = { ...r, ...p }
        runs.set(runId, next)
        setTimeout(() => emit('runsChanged', { reason: 'run updated' }), 0)
        return next
      }),
    deleteRun: (runId) =>
      call('deleteRun', [runId], () => {
        const deleted = runs.delete(runId)
        if (deleted) setTimeout(() => emit('runsChanged', { reason: 'run deleted' }), 0)
        return { deleted }
      }),
    importFile: (name, bytes) =>
      call('importFile', [name, bytes.byteLength], () => {
        if (name.endsWith('.tgz')) {
          let records: RunRecord[]
          try {
            records = (JSON.parse(new TextDecoder().decode(bytes)) as unknown[]).map((r) => runRecordSchema.parse(r))
          } catch {
            throw new Error(`${name} is not a Hotpath bundle (the fake reads only bundles it exported)`)
          }
          const imported: RunId[] = []
          const skipped: { id: string; reason: string }[] = []
          for (const r of records) {
            if (runs.has(r.id)) skipped.push({ id: r.id, reason: 'already in the store' })
            else {
              runs.set(r.id, r)
              imported.push(r.id)
            }
          }
          setTimeout(() => emit('runsChanged', { reason: 'import' }), 0)
          return { imported, skipped }
        }
        const kind = name.endsWith('.cpuprofile')
          ? 'cpuprofile'
          : name.endsWith('.heapsnapshot')
            ? 'heapsnapshot'
            : name.endsWith('.heapprofile')
              ? 'heapprofile'
              : null
        if (!kind) throw new Error(`Cannot import ${name}: expected a .tgz bundle, .cpuprofile, .heapsnapshot or .heapprofile`)
        const base = makeFakeRecord(rng, {
          at: nextDate(),
          workload: 'imported',
          variant: 'file',
          params: {},
          seed: 0,
          status: 'ok',
          label: name,
          tags: ['imported'],
          measuredMs: 1000,
          profile: [],
          heapSnapshots: [],
          env: fakeEnvironment,
          kind: 'imported',
          samples: 10,
        })
        const { metrics: _m, samplesNs: _s, checksum: _c, ...rest } = base
        const record: RunRecord = {
          ...rest,
          timeline: [],
          artifacts: [{ kind, file: name, bytes: bytes.byteLength, sha256: randomHex(rng, 64) }],
        }
        runs.set(record.id, runRecordSchema.parse(record))
        setTimeout(() => emit('runsChanged', { reason: 'import' }), 0)
        return { imported: [record.id], skipped: [] }
      }),
    exportRuns: (ids) =>
      call('exportRuns', [ids], () => {
        const missing = ids.filter((id) => !runs.has(id))
        if (missing.length > 0) throw new Error(`Runs not found: ${missing.join(', ')}`)
        return new TextEncoder().encode(JSON.stringify(ids.map((id) => runs.get(id))))
      }),
    readArtifact: (runId, file) =>
      call('readArtifact', [runId, file], () => {
        const r = runs.get(runId)
        const a = r?.artifacts.find((x) => x.file === file)
        if (!r || !a) throw new Error(`No artifact ${file} in run ${runId}`)
        return new TextEncoder().encode(a.kind === 'stderr' ? r.stderrTail : JSON.stringify({ fake: true, file, runId }))
      }),
    readSource: (runId, request) =>
      call('readSource', [runId, request], () => {
        const r = runs.get(runId)
        if (!r?.artifacts.some((a) => a.kind === 'cpuprofile' && a.file === request.file)) throw new Error(`Run ${runId} has no CPU profile "${request.file}".`)
        const location = request.line ? `${request.url}:${request.line}` : request.url
        const text = options.sources?.[request.url]
        if (text === undefined) return { status: 'unavailable' as const, url: request.url, location, reason: `The fake workbench has no file for ${request.url}.` }
        const language = /\.(?:[cm]?ts|tsx)$/.test(request.url) ? ('typescript' as const) : ('javascript' as const)
        return { status: 'ok' as const, url: request.url, path: request.url.replace(/^file:\/\//, ''), text, bytes: new TextEncoder().encode(text).byteLength, language }
      }),
    getEnvironment: ({ redact }) =>
      call('getEnvironment', [{ redact }], () => {
        const environment = redact ? redactEnvironment(fakeEnvironment) : fakeEnvironment
        return { environment, markdown: formatEnvironmentMarkdown(environment) }
      }),
    // Comparisons use the real core code on the fake runs; the fake has no heap snapshots to analyse.
    compareRuns: (ids, options) =>
      call('compareRuns', [ids, options], () => {
        const input = fakeReportInput(ids, options)
        return { comparison: input.comparison }
      }),
    exportReport: (ids, options, format) =>
      call('exportReport', [ids, options, format], () => {
        const exporter = getExporter(format)!
        return {
          fileName: `fake-report.${exporter.extension}`,
          mimeType: exporter.mediaType,
          text: exporter.serialize(fakeReportInput(ids, options)),
        }
      }),
    getHeapSummary: (runId, file) =>
      call('getHeapSummary', [runId, file], () => {
        throw new Error(`The fake engine has no heap snapshot ${file} for run ${runId}.`)
      }),
    diffHeapSnapshots: (base, target) =>
      call('diffHeapSnapshots', [base, target], () => {
        throw new Error(`The fake engine has no heap snapshots (${base.file}, ${target.file}).`)
      }),
    compareHeapClasses: (base, target) =>
      call('compareHeapClasses', [base, target], () => {
        throw new Error(`The fake engine has no heap snapshots (${base.file}, ${target.file}).`)
      }),
    diffProfiles: (baseline, candidate, options) =>
      call('diffProfiles', [baseline, candidate, options], () => {
        throw new Error(`The fake engine has no CPU profiles to diff (${[...baseline, ...candidate].join(', ')}).`)
      }),
    // Trends use the real core code on the fake runs' summaries; the fake keeps no baselines.
    getTrend: (request) =>
      call('getTrend', [request], () =>
        buildTrend([...runs.values()].map(summarizeRun), {
          workload: request.workload,
          metric: request.metric !== undefined && isTrendMetric(request.metric) ? request.metric : 'opsPerSec',
          ...(request.variant ? { variant: request.variant } : {}),
          ...(request.branch ? { branch: request.branch } : {}),
        }),
      ),
    listBaselines: () => call('listBaselines', [], () => []),
    getBaseline: (name) =>
      call('getBaseline', [name], () => {
        throw new Error(`No baseline "${name}" in the fake engine.`)
      }),
    deleteBaseline: (name) => call('deleteBaseline', [name], () => ({ deleted: false })),
    listTargets: () => call('listTargets', [], () => []),
    compareByTarget: (selection) =>
      call('compareByTarget', [selection], () => {
        const picked = selection.runIds?.length ? selection.runIds.map((id) => runs.get(id)).filter((r): r is RunRecord => r !== undefined) : [...runs.values()].filter((r) => r.tags.some((t) => t.startsWith('target:')))
        const comparison = compareByTarget(picked, selection.reference ? { reference: selection.reference } : {})
        return { comparison, markdown: formatTargetComparisonMarkdown(comparison), html: formatTargetComparisonHtml(comparison) }
      }),
  }
  function fakeReportInput(ids: readonly string[], options: { noise?: number; force?: boolean }): ReportInput {
    const picked = ids.map((id) => {
      const r = runs.get(id)
      if (!r) throw new Error(`No run ${id}.`)
      return r
    })
    return {
      comparison: compareRuns(picked, { ...(options.noise !== undefined ? { noise: options.noise } : {}), force: options.force === true }),
      runs: picked,
    }
  }
  return api
}
