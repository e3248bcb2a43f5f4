/**
 * Warnings as data (hyperfine's idea): each says what was seen, with the numbers behind it, and
 * describeWarning() is the one place their text is made, for the CLI, the reports and the UI alike.
 */
import type { RunRecord, RunWarningRecord } from '../model/run.js'
import type { Nanoseconds, Percent, UnitInterval } from '../model/units.js'
import { SINGLE_PROCESS_NOISE_FLOOR } from './between-process.js'
import { summarizeSamples } from './summarize.js'

/** How much a warning matters: `error` blocks a comparison unless forced; `info` only explains. */
export type WarningSeverity = 'info' | 'warning' | 'error'

/** A run and the value it had, for warnings about runs that differ. */
export interface RunValue<T> {
  runId: string
  value: T
}

/** Everything Hotpath warns about. `runId` says which run, when the warning is about one run. */
export type RunWarning =
  | { kind: 'too-few-samples'; runId?: string; iterations: number; minimum: number }
  /** cv is stddev / mean of per-operation latency, a fraction. */
  | { kind: 'high-variance'; runId?: string; cv: number; threshold: number }
  | { kind: 'outliers'; runId?: string; low: number; high: number; iterations: number }
  /** Load average (1 min) at start against the logical cores; threshold is the load per core. */
  | { kind: 'high-load'; runId?: string; loadAvg1: number; cores: number; threshold: number }
  | { kind: 'on-battery'; runId?: string; percent?: number }
  /**
   * overheadPct: throughput lost by the profiling pass against the timing pass, in percent; with several
   * processes its interval (ciLowPct … ciHighPct) over `processes` process pairs, else the single-process
   * noise floor it had to exceed (floorPct).
   */
  | { kind: 'profiler-overhead'; runId?: string; overheadPct: Percent; thresholdPct: Percent; ciLowPct?: Percent; ciHighPct?: Percent; processes?: number; floorPct?: Percent }
  /** One process per side: verdicts rest on the single-process noise floor (fraction). */
  | { kind: 'single-process'; runId?: string; floor: number }
  /** One side has one process and the other several: the single side's spread is assumed like the other's. */
  | { kind: 'mixed-processes'; runId?: string; baselineProcesses: number; candidateProcesses: number }
  /**
   * Both sides have several processes, but one side's all ran before the other's began (two sessions, not
   * interleaved rounds): the interval covers the noise between processes, not the drift between sessions.
   */
  | { kind: 'separate-sessions'; runId?: string; baseline?: string }
  /** share: fraction of profile samples in frames without a function name or location. */
  | { kind: 'unresolved-frames'; runId?: string; share: UnitInterval; threshold: UnitInterval }
  | { kind: 'batched-timing'; runId?: string; opsPerIteration: number }
  /** Per-iteration time so short that the timer's resolution and call cost weigh on it. */
  | { kind: 'fast-execution'; runId?: string; iterationNs: Nanoseconds; thresholdNs: Nanoseconds }
  | { kind: 'run-not-ok'; runId?: string; status: string; error?: string }
  /** No raw samples and no histogram: confidence intervals cannot be computed for this run. */
  | { kind: 'no-samples'; runId?: string }
  | { kind: 'different-workloads'; runs: RunValue<string>[] }
  | { kind: 'different-params'; params: { name: string; values: RunValue<string | number | boolean | null>[] }[] }
  | { kind: 'different-seeds'; runs: RunValue<number>[] }
  | { kind: 'different-runtimes'; runs: RunValue<string>[] }
  | { kind: 'different-machines'; runs: RunValue<string>[] }
  /** A warning stored in run.json by a producer this module does not know (kept, not dropped). */
  | { kind: 'recorded'; runId?: string; recordedKind: string; message: string }

export type RunWarningKind = RunWarning['kind']

/** Fewer measured iterations than this and statistics are unreliable. */
export const MIN_ITERATIONS = 10
/** CV above this (10%) counts as high variance. */
export const HIGH_CV = 0.1
/** Load average per logical core above this counts as a busy machine. */
export const HIGH_LOAD_PER_CORE = 0.5
/** Profiler overhead above this percentage is worth a warning. */
export const HIGH_PROFILER_OVERHEAD_PCT = 5
/** A profile with more than this share of unresolved frames is hard to read. */
export const HIGH_UNRESOLVED_SHARE = 0.5
/**
 * Iterations shorter than this (1 µs) are dominated by timer cost: process.hrtime.bigint() itself takes
 * tens of ns, so below ~1 µs it is over 5% of each sample. The harness batches such operations.
 */
export const FAST_ITERATION_NS = 1000

/** How much each kind matters. Comparing different workloads is an error: the numbers mean different things. */
export function warningSeverity(w: RunWarning): WarningSeverity {
  return severityOfKind(w.kind)
}

/** The severity of a warning kind; kinds recorded by the capture that this module does not know are warnings. */
export function severityOfKind(kind: string): WarningSeverity {
  switch (kind) {
    case 'different-workloads':
      return 'error'
    case 'batched-timing':
    case 'no-samples':
    case 'recorded':
    case 'separate-sessions':
      return 'info'
    default:
      return 'warning'
  }
}

function pct(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`
}

function listRuns<T>(values: readonly RunValue<T>[]): string {
  return values.map((v) => `${v.runId}: ${String(v.value)}`).join('; ')
}

/** The text of a warning. The one place warning text is made. */
export function describeWarning(w: RunWarning): string {
  const who = 'runId' in w && w.runId ? `Run ${w.runId}: ` : ''
  switch (w.kind) {
    case 'too-few-samples':
      return `${who}only ${w.iterations} measured iteration${w.iterations === 1 ? '' : 's'} (fewer than ${w.minimum}); statistics are unreliable. Measure longer (--iterations or --duration).`
    case 'high-variance':
      return `${who}high variance: the coefficient of variation is ${pct(w.cv)} (above ${pct(w.threshold, 0)}). Close other programs, or measure longer, before trusting small differences.`
    case 'outliers': {
      const total = w.low + w.high
      return `${who}${total} statistical outlier${total === 1 ? '' : 's'} in ${w.iterations} iterations (${w.low} low, ${w.high} high; modified z-score above 14.8). Interference from other processes, GC or JIT is likely${w.high > 0 ? '; more warm-up may help' : ''}.`
    }
    case 'high-load':
      return `${who}the machine was busy at start: load average ${w.loadAvg1.toFixed(2)} on ${w.cores} core${w.cores === 1 ? '' : 's'} (above ${w.threshold} per core). Results may be slower and noisier than on an idle machine.`
    case 'on-battery':
      return `${who}measured on battery power${w.percent !== undefined ? ` (${Math.round(w.percent)}%)` : ''}; CPUs are often throttled. Plug in for comparable results.`
    case 'profiler-overhead': {
      const evidence =
        w.ciLowPct !== undefined && w.ciHighPct !== undefined
          ? `95% CI ${w.ciLowPct.toFixed(1)}% … ${w.ciHighPct.toFixed(1)}% over ${w.processes ?? '?'} process pairs, above ${w.thresholdPct}%`
          : `one timing and one profiled process, beyond the ${w.floorPct ?? '?'}% single-process noise floor`
      return `${who}profiling slowed the workload by ${w.overheadPct.toFixed(1)}% (${evidence}); the profile over-weights short functions. The metrics come from the unprofiled timing pass.`
    }
    case 'single-process':
      return `${who}one process per side: that says nothing about how much processes differ (±10% on a shared machine), so changes within the ±${pct(w.floor, 0)} single-process noise floor are inconclusive. Measure with --repeat 5 (or more) or with hotpath ab.`
    case 'mixed-processes':
      return `${who}the baseline has ${w.baselineProcesses} process${w.baselineProcesses === 1 ? '' : 'es'} and the candidate ${w.candidateProcesses}: the single-process side's spread is assumed to equal the other side's. Repeat both sides for a sound interval.`
    case 'separate-sessions':
      return `${who}${w.baseline ? `baseline ${w.baseline} and these runs` : 'the baseline and this run'} were measured in separate sessions, not in interleaved rounds: the interval covers the noise between processes, not how the machine drifted between the sessions. To gate on a change, alternate the two sides (hotpath ab, or rounds of suite --repeat 1 --save-baseline NAME --append compared by hotpath baseline compare).`
    case 'unresolved-frames':
      return `${who}${pct(w.share, 0)} of profile samples fall in unresolved frames (no function name or location; above ${pct(w.threshold, 0)}). The function breakdown is incomplete.`
    case 'batched-timing':
      return `${who}operations were timed in batches of ${w.opsPerIteration}; latencies are batch means, so percentiles understate the spread of single operations.`
    case 'fast-execution':
      return `${who}iterations took ${w.iterationNs.toFixed(0)} ns on average (under ${w.thresholdNs} ns); timer cost and resolution weigh on each sample. Batch more operations per iteration.`
    case 'run-not-ok':
      return `${who}the run ended with status "${w.status}"${w.error ? ` (${w.error})` : ''}; its metrics are missing or partial.`
    case 'no-samples':
      return `${who}has no latency samples or histogram; confidence intervals and verdicts fall back to a threshold on single values.`
    case 'different-workloads':
      return `The runs measure different workloads (${listRuns(w.runs)}); their numbers are not comparable. Use --force to compare anyway.`
    case 'different-params':
      return `The runs use different parameters: ${w.params
        .map((p) => `${p.name} (${p.values.map((v) => `${v.runId}: ${v.value === null ? 'unset' : String(v.value)}`).join(', ')})`)
        .join('; ')}.`
    case 'different-seeds':
      return `The runs use different data seeds (${listRuns(w.runs)}); they process different data.`
    case 'different-runtimes':
      return `The runs used different Node.js versions (${listRuns(w.runs)}); JIT and GC changes may explain differences.`
    case 'different-machines':
      return `The runs were measured on different machines (${listRuns(w.runs)}); hardware may explain differences.`
    case 'recorded':
      return `${who}${stripRunPrefix(w.message, w.runId)}`
  }
}

/** A message without the "Run <id>: " its stored form may already start with. */
function stripRunPrefix(message: string, runId: string | undefined): string {
  const prefix = runId ? `Run ${runId}: ` : ''
  return prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message
}

/** The stored form of a warning in run.json: kind, the data, and its text. */
export function toWarningRecord(w: RunWarning): RunWarningRecord {
  const { kind, ...detail } = w
  return { kind, detail: detail as Record<string, unknown>, message: describeWarning(w) }
}

const KNOWN_KINDS: ReadonlySet<string> = new Set<RunWarningKind>([
  'too-few-samples',
  'high-variance',
  'outliers',
  'high-load',
  'on-battery',
  'profiler-overhead',
  'single-process',
  'mixed-processes',
  'separate-sessions',
  'unresolved-frames',
  'batched-timing',
  'fast-execution',
  'run-not-ok',
  'no-samples',
  'different-workloads',
  'different-params',
  'different-seeds',
  'different-runtimes',
  'different-machines',
])

export interface RunWarningOptions {
  /** Share of CPU-profile samples in unresolved frames, when the profile was read. */
  unresolvedShare?: UnitInterval
  /**
   * Whether latency samples are available for intervals; default: samplesNs is non-empty or a histogram
   * is stored (callers outside core can decode it).
   */
  hasSamples?: boolean
}

/**
 * Warnings about one run, computed from its data (not from the stored warning texts). Stored warnings of
 * kinds this module does not compute are kept as `recorded`, so nothing a producer said is lost.
 */
export function collectRunWarnings(run: RunRecord, options: RunWarningOptions = {}): RunWarning[] {
  const runId = run.id
  const out: RunWarning[] = []
  if (run.status !== 'ok') out.push({ kind: 'run-not-ok', runId, status: run.status, ...(run.error ? { error: run.error } : {}) })
  const m = run.metrics
  if (m) {
    if (m.iterations < MIN_ITERATIONS) out.push({ kind: 'too-few-samples', runId, iterations: m.iterations, minimum: MIN_ITERATIONS })
    // Prefer the raw samples (sample stddev); the histogram summary is the fallback.
    const samples = run.samplesNs
    const cv =
      samples && samples.length >= 2 ? summarizeSamples(samples).cv : m.latencyNs.mean > 0 ? m.latencyNs.stddev / m.latencyNs.mean : 0
    if (m.iterations >= 2 && cv > HIGH_CV) out.push({ kind: 'high-variance', runId, cv, threshold: HIGH_CV })
    if (m.outliers.low + m.outliers.high > 0) {
      out.push({ kind: 'outliers', runId, low: m.outliers.low, high: m.outliers.high, iterations: m.iterations })
    }
    if (m.batched) out.push({ kind: 'batched-timing', runId, opsPerIteration: m.opsPerIteration })
    const iterationNs = m.latencyNs.mean * m.opsPerIteration
    if (m.iterations > 0 && iterationNs < FAST_ITERATION_NS) {
      out.push({ kind: 'fast-execution', runId, iterationNs, thresholdNs: FAST_ITERATION_NS })
    }
    const hasSamples = options.hasSamples ?? ((samples?.length ?? 0) > 0 || run.histogram !== undefined)
    if (!hasSamples) out.push({ kind: 'no-samples', runId })
  }
  const load1 = run.env.loadAvg?.[0]
  const cores = run.env.cpu.cores
  if (load1 !== undefined && cores > 0 && load1 > HIGH_LOAD_PER_CORE * cores) {
    out.push({ kind: 'high-load', runId, loadAvg1: load1, cores, threshold: HIGH_LOAD_PER_CORE })
  }
  if (run.env.power?.onBattery) {
    out.push({ kind: 'on-battery', runId, ...(run.env.power.percent !== undefined ? { percent: run.env.power.percent } : {}) })
  }
  // Profiler overhead is a comparison like any other: claimed only when its interval (several process
  // pairs) lies above the threshold, or, from one pair, when it exceeds the single-process noise floor.
  const po = run.profilerOverhead
  if (po && po.ciLowPct !== undefined && po.ciHighPct !== undefined) {
    if (po.ciLowPct > HIGH_PROFILER_OVERHEAD_PCT) {
      out.push({ kind: 'profiler-overhead', runId, overheadPct: po.overheadPct, thresholdPct: HIGH_PROFILER_OVERHEAD_PCT, ciLowPct: po.ciLowPct, ciHighPct: po.ciHighPct, ...(po.processes !== undefined ? { processes: po.processes } : {}) })
    }
  } else if (po && po.overheadPct > SINGLE_PROCESS_NOISE_FLOOR * 100) {
    out.push({ kind: 'profiler-overhead', runId, overheadPct: po.overheadPct, thresholdPct: HIGH_PROFILER_OVERHEAD_PCT, floorPct: SINGLE_PROCESS_NOISE_FLOOR * 100 })
  }
  if (options.unresolvedShare !== undefined && options.unresolvedShare > HIGH_UNRESOLVED_SHARE) {
    out.push({ kind: 'unresolved-frames', runId, share: options.unresolvedShare, threshold: HIGH_UNRESOLVED_SHARE })
  }
  const computed = new Set(out.map((w) => w.kind))
  // Warnings the capture recorded (kinds this module does not compute). Runs saved before this was fixed
  // also stored each of them a second time, as kind "recorded" with a "Run <id>: " prefix: one of each text.
  const seen = new Set<string>()
  for (const stored of run.warnings) {
    if (stored.kind !== 'recorded' && (KNOWN_KINDS.has(stored.kind) || computed.has(stored.kind as RunWarningKind))) continue
    const message = stripRunPrefix(stored.message, runId)
    if (seen.has(message)) continue
    seen.add(message)
    out.push({ kind: 'recorded', runId, recordedKind: stored.kind, message })
  }
  return out
}

function distinct<T>(values: readonly RunValue<T>[], key: (v: T) => string = String): boolean {
  return new Set(values.map((v) => key(v.value))).size > 1
}

/** Warnings about comparing these runs with each other: different workloads, parameters, seeds, runtimes, machines. */
export function collectComparisonWarnings(runs: readonly RunRecord[]): RunWarning[] {
  if (runs.length < 2) return []
  const out: RunWarning[] = []
  const workloads = runs.map((r) => ({ runId: r.id, value: r.workload.id }))
  if (distinct(workloads)) out.push({ kind: 'different-workloads', runs: workloads })

  const names = [...new Set(runs.flatMap((r) => Object.keys(r.workload.params)))].sort()
  const params = names
    .map((name) => ({ name, values: runs.map((r) => ({ runId: r.id, value: r.workload.params[name] ?? null })) }))
    .filter((p) => distinct(p.values, (v) => JSON.stringify(v)))
  if (params.length > 0) out.push({ kind: 'different-params', params })

  const seeds = runs.map((r) => ({ runId: r.id, value: r.workload.seed }))
  if (distinct(seeds)) out.push({ kind: 'different-seeds', runs: seeds })

  const runtimes = runs.map((r) => ({ runId: r.id, value: r.runtime.node }))
  if (distinct(runtimes)) out.push({ kind: 'different-runtimes', runs: runtimes })

  const machines = runs.map((r) => ({ runId: r.id, value: `${r.env.cpu.brand} (${r.env.cpu.cores} cores)` }))
  if (distinct(machines)) out.push({ kind: 'different-machines', runs: machines })
  return out
}

/** One line of a warnings panel: a kind and the distinct texts said under it, in first-seen order. */
export interface WarningGroup {
  kind: string
  severity: WarningSeverity
  texts: string[]
}

/**
 * Groups warnings for display: identical texts are said once, and texts of one kind (the same
 * warning about several runs) sit together under their first occurrence. Errors come first.
 */
export function groupWarnings(items: readonly { kind: string; text: string; severity?: WarningSeverity }[]): WarningGroup[] {
  const groups = new Map<string, WarningGroup>()
  for (const item of items) {
    const group = groups.get(item.kind) ?? { kind: item.kind, severity: item.severity ?? 'warning', texts: [] }
    if (!group.texts.includes(item.text)) group.texts.push(item.text)
    groups.set(item.kind, group)
  }
  const rank: Record<WarningSeverity, number> = { error: 0, warning: 1, info: 2 }
  return [...groups.values()].sort((a, b) => rank[a.severity] - rank[b.severity])
}

/** The warnings stored in a run, each text once (older runs stored some twice, once as kind "recorded"). */
export function storedRunWarnings(run: Pick<RunRecord, 'id' | 'warnings'>): { kind: string; text: string; severity: WarningSeverity }[] {
  const seen = new Set<string>()
  const out: { kind: string; text: string; severity: WarningSeverity }[] = []
  for (const w of run.warnings) {
    const text = stripRunPrefix(w.message, run.id)
    if (seen.has(text)) continue
    seen.add(text)
    out.push({ kind: w.kind, text: text.charAt(0).toUpperCase() + text.slice(1), severity: severityOfKind(w.kind) })
  }
  return out
}
