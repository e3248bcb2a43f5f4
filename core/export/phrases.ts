/**
 * The phrases every report and view shares: metric values in their units, intervals, verdict words, run
 * names, the headline sentence, function-change text and the method note. The Markdown, HTML and table
 * exporters and the renderer's compare view all say things the same way because they say them from here.
 */
import {
  functionGrowth,
  getMetric,
  type CandidateComparison,
  type ComparedRun,
  type Comparison,
  type FunctionChange,
} from '../compare/comparison.js'
import { METRIC_DEFINITIONS, type MetricComparison, type MetricUnit, type Verdict } from '../compare/metrics.js'
import { formatBytes } from '../format/bytes.js'
import { formatDuration, formatDurationMs } from '../format/duration.js'
import { formatChange, formatOpsPerSec, formatPct, formatRatio, formatSignificant } from '../format/number.js'
import { SINGLE_PROCESS_NOISE_FLOOR } from '../stats/between-process.js'
import type { ExportOptions } from './index.js'
import type { ComponentTiming } from '../model/load.js'

/** A metric value as text in its unit: "1.23 M ops/s", "12.3 µs", "50.0 MB", "4.56 ms". */
export function formatMetricValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a'
  switch (unit) {
    case 'ops/s':
      return formatOpsPerSec(value)
    case 'ns':
      return formatDuration(value)
    case 'bytes':
      return formatBytes(value)
    case 'ms':
      return formatDurationMs(value)
  }
}

/** The interval of a ratio as a change range: "+49.0% … +55.1%", or "n/a". */
export function formatInterval(m: Pick<MetricComparison, 'ciLow' | 'ciHigh'>): string {
  return m.ciLow === null || m.ciHigh === null ? 'n/a' : `${formatChange(m.ciLow)} … ${formatChange(m.ciHigh)}`
}

export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  improved: 'improved',
  regressed: 'regressed',
  'no-change': 'no change',
  inconclusive: 'inconclusive',
  none: 'no verdict',
}

/** "5 + 5" (or "10 paired"): the processes a verdict rests on. */
export function formatProcesses(m: Pick<MetricComparison, 'processes' | 'method'>): string {
  if ((m.method === 'paired-t' || m.method === 'signed-rank') && m.processes.baseline === m.processes.candidate) return `${m.processes.baseline} paired`
  return `${m.processes.baseline} + ${m.processes.candidate}`
}

/** The minimum detectable effect as text: "≥ 3.1%", or "n/a". */
export function formatMde(m: Pick<MetricComparison, 'mde'>): string {
  return m.mde === null || !Number.isFinite(m.mde) ? 'n/a' : `≥ ${formatPct(m.mde)}`
}

/** How a run is named in reports: its label, else workload/variant. */
export function runName(run: Pick<ComparedRun, 'label' | 'workload'>): string {
  return run.label.trim() || `${run.workload.id}/${run.workload.variant}`
}

/** The report title. */
export function reportTitle(comparison: Comparison, options: ExportOptions = {}): string {
  if (options.title) return options.title
  const workloads = [...new Set(comparison.runs.map((r) => r.workload.id))]
  return `Hotpath comparison: ${workloads.join(' vs ')}`
}

/** One sentence per candidate: "<cand> vs <base>: throughput 1.52x (+52.0%, 95% CI +49.0% … +55.1%): improved." */
export function headlineSentence(comparison: Comparison, candidate: CandidateComparison): { text: string; verdict: Verdict } {
  const metricName = comparison.settings.headlineMetric
  const def = METRIC_DEFINITIONS[metricName]
  const m = getMetric(candidate, metricName)
  const cand = comparison.runs.find((r) => r.id === candidate.id)
  const base = comparison.runs.find((r) => r.id === comparison.baseline)
  const names = `${cand ? runName(cand) : candidate.id} vs ${base ? runName(base) : comparison.baseline}`
  if (!m) return { text: `${names}: ${def.label.toLowerCase()} not compared`, verdict: 'none' }
  const conf = Math.round(comparison.settings.confidence * 100)
  const procs = `${formatProcesses(m)} processes`
  const ci =
    m.ciLow !== null && m.ciHigh !== null
      ? `, ${conf}% CI ${formatInterval(m)}, ${procs}, could detect ≥ ${formatPct(m.mde ?? Number.NaN)}`
      : m.basis === 'noise-floor'
        ? `, ${procs}: no interval, single-process noise floor ±${formatPct(m.mde ?? Number.NaN)}`
        : ', no interval'
  return {
    text: `${names}: ${def.label.toLowerCase()} ${formatRatio(m.ratio)} (${formatChange(m.ratio)}${ci}): ${VERDICT_TEXT[m.verdict]}`,
    verdict: m.verdict,
  }
}

/** A short location: the last two path segments of a script URL, plus the line. */
export function shortLocation(url: string, line: number): string {
  if (!url) return ''
  const path = url.replace(/^file:\/\//, '').replace(/[?#].*$/, '')
  const parts = path.split(/[\\/]/).filter(Boolean)
  const short = parts.slice(-2).join('/') || path
  return line > 0 ? `${short}:${line}` : short
}

/** Self time of one side of a function change: per operation when known, else share of samples. */
export function formatSelf(f: FunctionChange, side: 'baseline' | 'candidate'): string {
  const perOp = side === 'baseline' ? f.baselineSelfMsPerOp : f.candidateSelfMsPerOp
  const share = side === 'baseline' ? f.baselineSelfShare : f.candidateSelfShare
  return perOp !== undefined ? `${formatDurationMs(perOp)}/op (${formatPct(share)})` : formatPct(share)
}

/** The top grown and shrunk functions, by absolute change (per operation when known for all, else by share). */
export function explainingFunctions(
  changes: readonly FunctionChange[],
  limit: number,
): { grown: FunctionChange[]; shrunk: FunctionChange[] } {
  // Per-operation times only rank functions when every function has them; shares otherwise (never a mix).
  const perOp = changes.every((f) => f.baselineSelfMsPerOp !== undefined && f.candidateSelfMsPerOp !== undefined)
  const size = (f: FunctionChange): number =>
    perOp ? Math.abs((f.candidateSelfMsPerOp as number) - (f.baselineSelfMsPerOp as number)) : Math.abs(f.deltaSelfShare)
  const by = (a: FunctionChange, b: FunctionChange): number => size(b) - size(a)
  return {
    grown: changes
      .filter((f) => f.status === 'grown' || f.status === 'new')
      .sort(by)
      .slice(0, limit),
    shrunk: changes
      .filter((f) => f.status === 'shrunk' || f.status === 'gone')
      .sort(by)
      .slice(0, limit),
  }
}

/** The change of a function's self time: "+12.0%", "new" or "gone". */
export function functionChangeText(f: FunctionChange): string {
  if (f.status === 'new') return 'new'
  if (f.status === 'gone') return 'gone'
  return formatChange(1 + functionGrowth(f))
}

/** "yes (p = 0.003)", "no", or "n/a" when the diff had one profile per side. */
export function significanceText(f: FunctionChange): string {
  if (f.significant === undefined) return 'n/a'
  const p = f.pValue !== undefined ? ` (p = ${formatSignificant(f.pValue, 2)})` : ''
  return `${f.significant ? 'yes' : 'no'}${p}`
}

/** One paragraph on how intervals and verdicts were made. */
export function methodNote(comparison: Comparison): string {
  const s = comparison.settings
  return (
    `Ratios are candidate / baseline. ${Math.round(s.confidence * 100)}% intervals rest on the spread between processes: a ` +
    `Student-t interval on per-process log values (paired when both sides ran in the same processes or interleaved ones). ` +
    `A change counts when the whole interval lies outside ±${formatPct(s.noise)}, "no change" when it lies inside, and ` +
    `"inconclusive" otherwise; "could detect" is the change reported with 80% probability. With one process per side there ` +
    `is no interval: only changes beyond the ±${formatPct(s.singleProcessFloor)} single-process noise floor measured on this machine count. ` +
    `GC pause and CPU time are compared per operation.`
  )
}

/**
 * The profiler's overhead in words. With several processes it is the interval of the per-process ratios
 * (profiled pass / timing pass of the same process). With one process it is one sample of a ratio that
 * moves by up to ±20% between identical processes here (core/stats/between-process.ts), so a figure inside
 * that floor is said to be within noise, not printed as an overhead.
 */
export function describeProfilerOverhead(po: {
  timingOpsPerSec: number
  profiledOpsPerSec: number
  overheadPct: number
  ciLowPct?: number
  ciHighPct?: number
  processes?: number
}): string {
  const rates = `profiled ${formatOpsPerSec(po.profiledOpsPerSec)} vs ${formatOpsPerSec(po.timingOpsPerSec)}`
  if (po.processes !== undefined && po.processes >= 2 && po.ciLowPct !== undefined && po.ciHighPct !== undefined) {
    return `${po.overheadPct.toFixed(1)}% (95% CI ${po.ciLowPct.toFixed(1)} … ${po.ciHighPct.toFixed(1)}%, ${po.processes} processes; ${rates})`
  }
  const floor = SINGLE_PROCESS_NOISE_FLOOR * 100
  if (Math.abs(po.overheadPct) <= floor) {
    return `within single-process noise (${rates}; one process cannot show an overhead under ±${floor.toFixed(0)}%: use --repeat)`
  }
  return `${po.overheadPct.toFixed(1)}% from one process (${rates}; beyond the ±${floor.toFixed(0)}% single-process noise floor)`
}

/**
 * A component's latency figure: "< 33.0 ns" when it is at or under the clock's resolution (the calibrated
 * cost of the two clock reads around an unbatched call, subtracted from each timing), where "1.00 ns" would
 * claim a precision the clock does not have.
 */
export function describeComponentLatency(c: Pick<ComponentTiming, 'resolutionNs'>, ns: number): string {
  return c.resolutionNs !== undefined && c.resolutionNs > 0 && ns <= c.resolutionNs ? `< ${formatDuration(c.resolutionNs)}` : formatDuration(ns)
}
