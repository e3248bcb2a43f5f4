/**
 * A fixed comparison for the exporter tests: a baseline and a 20% slower candidate with a hostile label,
 * five processes each (as `--repeat 5` records them), function changes and a tripped gate. Ids and dates are pinned so snapshots stay stable.
 */
import { compareRuns, evaluateGate, type FunctionChange } from '../../../../core/compare/comparison.js'
import type { ReportInput } from '../../../../core/export/index.js'
import type { RunRecord } from '../../../../core/model/run.js'
import { summarizeSamples, toLatencyNs } from '../../../../core/stats/summarize.js'
import { processMetricsAt } from '../../../helpers/make-processes.js'
import { makeRun, testEnvironment } from '../../../helpers/make-run.js'
import { normalSamples } from '../stats/sample-data.js'

export const BASELINE_ID = '20261123T070000000Z-orderbook-heap-base'
export const CANDIDATE_ID = '20261123T070500000Z-orderbook-sorted-cand'

function run(id: string, variant: string, label: string, meanNs: number, seed: number, extra: Partial<RunRecord> = {}): RunRecord {
  const samples = normalSamples(600, meanNs, 0.04, seed)
  const s = summarizeSamples(samples)
  const base = makeRun({ meanNs })
  const metrics = { ...base.metrics!, iterations: 600, operations: 600, opsPerSec: 1e9 / s.mean, latencyNs: toLatencyNs(s), outliers: s.outliers }
  // Five processes whose throughput differs by a few percent, as processes on a shared machine do.
  const spread = [1, 1.021, 0.984, 1.012, 0.991]
  const processes = spread.map((k, i) => ({ index: i + 1, metrics: processMetricsAt(metrics, metrics.opsPerSec * k), wallMs: 1000 }))
  return makeRun({
    id,
    createdAt: '2026-11-23T07:00:00.000Z',
    label,
    workload: { id: 'orderbook', variant, params: { levels: 500 }, seed: 42 },
    samplesNs: samples,
    metrics,
    processes,
    measure: { ...base.measure, repeat: processes.length },
    ...extra,
  })
}

export const functionChanges: FunctionChange[] = [
  { name: 'siftDown', url: 'file:///home/alice/hotpath/workloads/orderbook/heap.js', line: 41, baselineSelfShare: 0.2, candidateSelfShare: 0.35, baselineSelfMsPerOp: 0.0002, candidateSelfMsPerOp: 0.00042, deltaSelfShare: 0.15, status: 'grown', pValue: 0.0004, significant: true },
  { name: '', url: '', line: 0, baselineSelfShare: 0, candidateSelfShare: 0.04, deltaSelfShare: 0.04, status: 'new' },
  { name: 'bestBid', url: 'file:///home/alice/hotpath/workloads/orderbook/book.js', line: 7, baselineSelfShare: 0.3, candidateSelfShare: 0.1, deltaSelfShare: -0.2, status: 'shrunk' },
  { name: 'same', url: 'x.js', line: 1, baselineSelfShare: 0.1, candidateSelfShare: 0.1, deltaSelfShare: 0, status: 'same' },
]

/** The report input every exporter test renders. */
export function makeReportInput(): ReportInput {
  const baseline = run(BASELINE_ID, 'heap', 'heap <b>baseline</b>', 5000, 1)
  const candidate = run(CANDIDATE_ID, 'sorted', 'sorted | <script>alert("x")</script>', 6000, 2, {
    env: { ...testEnvironment, runtime: { ...testEnvironment.runtime, node: '22.11.0' }, loadAvg: [1.5, 1, 0.5] },
    runtime: { path: '/usr/local/bin/node', node: '22.11.0', v8: '12.4.254.21-node.33' },
  })
  const runs = [baseline, candidate]
  const comparison = compareRuns(runs)
  const changes = { [CANDIDATE_ID]: functionChanges }
  return { comparison, runs, functionChanges: changes, gate: evaluateGate(comparison, changes, { maxRegression: 0.1 }) }
}
