/**
 * The metrics an assertion can name, each with its kind (which fixes the units of its threshold), what
 * the run must have measured for it, and how it is read from a run's facts. One list for the parser,
 * the evaluator, the CLI's error messages and the UI.
 */
import type { RunMetrics } from '../model/run.js'
import type { ComponentTiming, OpenLoopRecord, SoakRecord, ThroughputRecord } from '../model/load.js'
import type { QuantityKind } from './units.js'

/** What the run needs for the metric to exist: a soak, an open-loop rate, a CPU profile or component timings. */
export type MetricRequirement = 'soak' | 'rate' | 'cpu' | 'components'

/** Everything an assertion reads, as plain data (the service fills `functions` from the CPU profile). */
export interface AssertionFacts {
  metrics?: RunMetrics | undefined
  throughput?: ThroughputRecord | undefined
  load?: OpenLoopRecord | undefined
  soak?: SoakRecord | undefined
  components?: readonly ComponentTiming[] | undefined
  /** Self and total shares (fractions of the non-idle profile) by function name. */
  functions?: Readonly<Record<string, { self: number; total: number }>> | undefined
}

export interface MetricSpec {
  name: string
  kind: QuantityKind
  description: string
  requires?: MetricRequirement
  read(f: AssertionFacts): number | undefined
}

const lat = (key: keyof RunMetrics['latencyNs'], label: string): MetricSpec => ({
  name: key,
  kind: 'duration',
  description: `${label} latency per operation (from the intended start under --rate)`,
  read: (f) => f.metrics?.latencyNs[key],
})

/** The fixed metrics; `<unit>PerSec`, `fn:NAME.self|total` and `component:NAME.<stat>` are added by name. */
export const METRICS: readonly MetricSpec[] = [
  lat('p50', 'median'),
  lat('p90', '90th percentile'),
  lat('p95', '95th percentile'),
  lat('p99', '99th percentile'),
  lat('p999', '99.9th percentile'),
  lat('max', 'largest'),
  lat('mean', 'mean'),
  lat('min', 'smallest'),
  { name: 'opsPerSec', kind: 'rate', description: 'operations per second (achieved rate under --rate)', read: (f) => (f.load ? f.load.achievedOpsPerSec : f.metrics?.opsPerSec) },
  { name: 'achievedRate', kind: 'rate', description: 'operations per second achieved against the offered --rate', requires: 'rate', read: (f) => f.load?.achievedOpsPerSec },
  { name: 'backlog', kind: 'count', description: 'requests still queued at the end of an open-loop run', requires: 'rate', read: (f) => f.load?.backlogAtEnd },
  { name: 'heapGrowth', kind: 'percent', description: 'post-GC live heap growth, first to last quarter of the soak', requires: 'soak', read: (f) => f.soak?.heapGrowth?.growth },
  { name: 'rssGrowth', kind: 'percent', description: 'post-GC RSS growth, first to last quarter of the soak', requires: 'soak', read: (f) => f.soak?.rssGrowth?.growth },
  { name: 'gcPauseMs', kind: 'duration', description: 'total GC pause in the measured window', read: (f) => (f.metrics ? f.metrics.gc.pauseMs * 1e6 : undefined) },
  { name: 'gcCount', kind: 'count', description: 'GCs in the measured window', read: (f) => f.metrics?.gc.count },
  { name: 'eventLoopDelayP99', kind: 'duration', description: 'p99 event-loop delay in the measured window', read: (f) => (f.metrics?.eventLoopDelayMs ? f.metrics.eventLoopDelayMs.p99 * 1e6 : undefined) },
  { name: 'peakRss', kind: 'bytes', description: 'peak resident set size', read: (f) => f.metrics?.peakRssBytes },
  { name: 'peakHeap', kind: 'bytes', description: 'peak used JS heap', read: (f) => f.metrics?.peakHeapUsedBytes },
]

export const COMPONENT_STATS = ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const
type ComponentStat = (typeof COMPONENT_STATS)[number]

/** The patterns besides the fixed names, for error messages. */
export const METRIC_PATTERNS: readonly string[] = [
  '<unit>PerSec (the workload\'s domain unit, e.g. eventsPerSec, ordersPerSec)',
  'fn:NAME.self / fn:NAME.total (share of CPU time, %; records a CPU profile)',
  `component:NAME.${COMPONENT_STATS.join('|')} (a stage's latency)`,
]

/** Every valid metric, one per line, for "unknown metric" errors and --help. */
export function describeValidMetrics(): string {
  return [...METRICS.map((m) => `${m.name} (${m.kind}): ${m.description}`), ...METRIC_PATTERNS].join('\n')
}

/**
 * Resolves a metric name to its spec: a fixed name, `<unit>PerSec`, `fn:NAME.self|total` or
 * `component:NAME.<stat>`. Undefined for anything else.
 */
export function findMetric(name: string): MetricSpec | undefined {
  const fixed = METRICS.find((m) => m.name === name)
  if (fixed) return fixed
  if (name === 'p99.9') return METRICS.find((m) => m.name === 'p999')
  const fn = /^fn:(.+)\.(self|total)$/.exec(name)
  if (fn) {
    const fnName = fn[1] as string
    const which = fn[2] as 'self' | 'total'
    return { name, kind: 'percent', description: `${which} share of CPU time in ${fnName}`, requires: 'cpu', read: (f) => (f.functions ? (f.functions[fnName]?.[which] ?? 0) : undefined) }
  }
  const comp = /^component:([A-Za-z0-9_-]+)\.(p50|p90|p99|p999|max|mean)$/.exec(name)
  if (comp) {
    const id = comp[1] as string
    const stat = comp[2] as ComponentStat
    return {
      name,
      kind: 'duration',
      description: `${stat} latency of component ${id}`,
      requires: 'components',
      read: (f) => f.components?.find((c) => c.id === id)?.latencyNs[stat],
    }
  }
  const unit = /^([a-z]+)PerSec$/.exec(name)
  if (unit && unit[1] !== 'ops') {
    const u = unit[1] as string
    return {
      name,
      kind: 'rate',
      description: `${u} per second`,
      read: (f) => (f.throughput && f.throughput.unit === u ? (f.load ? f.load.achievedOpsPerSec * f.throughput.perOperation : f.throughput.perSec) : undefined),
    }
  }
  return undefined
}
