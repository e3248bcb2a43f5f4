/**
 * Runs made of several processes for tests: each process gets its own metrics, scaled from a base run
 * by a per-process throughput factor, as `--repeat N` or `hotpath ab` would record them.
 */
import type { AbInfo, ProcessResult, RunMetrics, RunRecord } from '../../core/model/run.js'
import { makeRun } from './make-run.js'

/** Metrics of one process running at `opsPerSec` (latency scales inversely), with the given GC pause. */
export function processMetricsAt(base: RunMetrics, opsPerSec: number, over: Partial<RunMetrics> = {}): RunMetrics {
  const k = base.opsPerSec / opsPerSec
  const l = base.latencyNs
  return {
    ...base,
    opsPerSec,
    latencyNs: {
      mean: l.mean * k,
      stddev: l.stddev * k,
      min: l.min * k,
      p50: l.p50 * k,
      p90: l.p90 * k,
      p95: l.p95 * k,
      p99: l.p99 * k,
      p999: l.p999 * k,
      max: l.max * k,
    },
    ...over,
  }
}

/** A run with one process per throughput value; `metrics` is the mean process (enough for tests). */
export function runWithProcesses(
  throughputs: readonly number[],
  extra: Partial<RunRecord> & { meanNs?: number; pairedLogRatios?: readonly number[]; metricsOver?: Partial<RunMetrics> } = {},
): RunRecord {
  const { pairedLogRatios, metricsOver, ...rest } = extra
  const base = makeRun(rest)
  const bm = base.metrics as RunMetrics
  const processes: ProcessResult[] = throughputs.map((ops, i) => ({
    index: i + 1,
    metrics: processMetricsAt(bm, ops, metricsOver),
    wallMs: 1000,
    ...(pairedLogRatios ? { pairedLogRatio: pairedLogRatios[i] as number } : {}),
  }))
  const meanOps = throughputs.reduce((s, v) => s + v, 0) / throughputs.length
  return {
    ...base,
    metrics: processMetricsAt(bm, meanOps, metricsOver),
    processes,
    measure: { ...base.measure, repeat: throughputs.length },
  }
}

/** Marks two runs as the A and B sides of one `hotpath ab` session. */
export function asAbPair(a: RunRecord, b: RunRecord, mode: AbInfo['mode'], session = 's1'): [RunRecord, RunRecord] {
  return [
    { ...a, ab: { session, side: 'A', partner: b.id, mode } },
    { ...b, ab: { session, side: 'B', partner: a.id, mode } },
  ]
}
