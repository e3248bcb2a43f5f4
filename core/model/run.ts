/**
 * The run record: one execution of one workload variant with one set of parameters on one machine,
 * with the evidence captured. Stored as runs/<id>/run.json; the schema is versioned (see
 * store/upgrade-run.ts and docs/CHANGELOG-formats.md). Every field with a unit names it.
 */
import { z } from 'zod'
import { environmentSchema } from './environment.js'
import { paramValuesSchema } from './workload.js'
import { assertionResultSchema, componentTimingSchema, leakEvidenceSchema, openLoopSchema, soakSchema, thresholdCrossingSchema, throughputSchema } from './load.js'

/** Version of run.json written by this build. Added in v1; v2: identifiers redacted by default, `running`/`interrupted`, `owner`. */
export const RUN_SCHEMA_VERSION = 2

/** Run ids sort by time: `20261123T065012345Z-orderbook-k3f9`. */
export const runIdSchema = z
  .string()
  .regex(/^[0-9]{8}T[0-9]{9}Z-[a-z0-9-]{1,60}$/, 'a run id looks like 20261123T065012345Z-orderbook-k3f9')
export type RunId = z.infer<typeof runIdSchema>

/**
 * `running` is written before the child starts (with `owner`); a `running` record whose owner process is
 * gone is read back as `interrupted` (store/run-liveness.ts). Both added in v2.
 */
export const runStatusSchema = z.enum(['ok', 'failed', 'cancelled', 'timeout', 'running', 'interrupted'])
export type RunStatus = z.infer<typeof runStatusSchema>

export const runKindSchema = z.enum(['workload', 'custom', 'imported'])
export type RunKind = z.infer<typeof runKindSchema>

export const profileKindSchema = z.enum(['cpu', 'heap', 'alloc', '0x'])
export type ProfileKind = z.infer<typeof profileKindSchema>

export const latencyNsSchema = z.object({
  mean: z.number(),
  stddev: z.number(),
  min: z.number(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
})
export type LatencyNs = z.infer<typeof latencyNsSchema>

export const runMetricsSchema = z.object({
  /** Operations per second over the measured window. */
  opsPerSec: z.number(),
  /** Measured iterations (each of `opsPerIteration` operations). */
  iterations: z.number(),
  operations: z.number(),
  opsPerIteration: z.number(),
  /** True when operations were timed in batches (sub-microsecond operations): latencies are batch means. */
  batched: z.boolean(),
  /** Wall time of the measured window (warm-up excluded). */
  measuredMs: z.number(),
  warmupIterations: z.number(),
  /** Per-operation latency over the measured iterations. */
  latencyNs: latencyNsSchema,
  /** Iterations whose modified z-score exceeds the outlier threshold (Iglewicz & Hoaglin). */
  outliers: z.object({ low: z.number(), high: z.number() }),
  gc: z.object({ count: z.number(), pauseMs: z.number(), major: z.number(), minor: z.number() }),
  peakRssBytes: z.number(),
  peakHeapUsedBytes: z.number(),
  cpu: z.object({ userMs: z.number(), systemMs: z.number() }),
  /** Event-loop utilization over the measured window, 0..1. */
  eventLoopUtilization: z.number(),
  /** Event-loop delay over the measured window (perf_hooks.monitorEventLoopDelay). Added in v1 (optional). */
  eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }).optional(),
})
export type RunMetrics = z.infer<typeof runMetricsSchema>

export const timelineSampleSchema = z.object({
  /** Milliseconds since the child started. */
  tMs: z.number(),
  cpuUserPct: z.number().optional(),
  cpuSystemPct: z.number().optional(),
  rssBytes: z.number().optional(),
  heapUsedBytes: z.number().optional(),
  eventLoopDelayMs: z.number().optional(),
  opsPerSec: z.number().optional(),
  phase: z.string().optional(),
})
export type TimelineSample = z.infer<typeof timelineSampleSchema>

/** Most GC marks a run keeps (over all its child processes); the rest are counted in `dropped`. */
export const MAX_GC_MARKS = 10_000

/**
 * One garbage collection as perf_hooks reports it (entryTypes ['gc']), on the timeline's clock. Kinds are
 * perf_hooks' `detail.kind`: minor (scavenge), major (mark-sweep-compact), incremental (marking steps),
 * weakcb (weak callbacks).
 */
export const gcMarkSchema = z.object({
  /** Start, in ms since the child started (as `TimelineSample.tMs`). */
  tMs: z.number(),
  /** Pause, in ms. */
  durationMs: z.number().nonnegative(),
  kind: z.enum(['minor', 'major', 'incremental', 'weakcb', 'other']),
})
export type GcMark = z.infer<typeof gcMarkSchema>

/** The GCs of a run's child processes, bounded: the first MAX_GC_MARKS kept, the rest counted. Added in v2 (optional). */
export const timelineGcSchema = z.object({
  marks: z.array(gcMarkSchema),
  /** GCs seen past the bound and not kept. */
  dropped: z.number().int().nonnegative(),
})
export type TimelineGc = z.infer<typeof timelineGcSchema>

/**
 * The V8 heap limit a workload child ran with: `v8.getHeapStatistics().heap_size_limit` in the child, and
 * the --max-old-space-size that set it (from its Node flags or NODE_OPTIONS) when one did. Added in v2 (optional).
 */
export const heapLimitSchema = z.object({
  bytes: z.number().nonnegative(),
  maxOldSpaceSizeMb: z.number().positive().optional(),
  /** Where --max-old-space-size came from: the child's Node flags (execArgv) or NODE_OPTIONS. */
  from: z.enum(['execArgv', 'NODE_OPTIONS']).optional(),
})
export type HeapLimit = z.infer<typeof heapLimitSchema>

export const artifactKindSchema = z.enum([
  'cpuprofile',
  'heapsnapshot',
  'heapprofile',
  '0x',
  'stderr',
  'stdout',
  'other',
])
export const artifactSchema = z.object({
  kind: artifactKindSchema,
  /** Path relative to the run folder, with forward slashes; never absolute, never "..". */
  file: z.string().refine((f) => !f.startsWith('/') && !f.split('/').includes('..') && !/^[a-zA-Z]:/.test(f), {
    message: 'artifact paths are relative to the run folder',
  }),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** What it is, e.g. "heap snapshot at end of measured window". */
  label: z.string().optional(),
})
export type Artifact = z.infer<typeof artifactSchema>

export const runWarningSchema = z.object({
  kind: z.string(),
  /** Data behind the warning; text comes from describeWarning(). */
  detail: z.record(z.string(), z.unknown()).optional(),
  message: z.string(),
})
export type RunWarningRecord = z.infer<typeof runWarningSchema>

export const measureOptionsSchema = z.object({
  warmupIterations: z.number().int().nonnegative().optional(),
  warmupMs: z.number().nonnegative().optional(),
  iterations: z.number().int().positive().optional(),
  durationMs: z.number().positive().optional(),
  timeoutMs: z.number().positive(),
  /** Child processes measured (`--repeat N`); absent for one. Added in v1 (optional). */
  repeat: z.number().int().positive().optional(),
})
export type MeasureOptions = z.infer<typeof measureOptionsSchema>

export const captureOptionsSchema = z.object({
  profile: z.array(profileKindSchema),
  /** CPU profile sampling interval, in microseconds. */
  samplingIntervalUs: z.number().int().positive(),
  heapSnapshots: z.array(z.enum(['start', 'end'])),
  /** Whether an unprofiled timing pass ran first (its metrics are the run's metrics). */
  timingPass: z.boolean(),
})
export type CaptureOptions = z.infer<typeof captureOptionsSchema>

/** The git state of the workload's repository when the run was made (absent without git or a repository). */
export const gitProvenanceSchema = z.object({
  commit: z.string(),
  branch: z.string().optional(),
  /** Tracked files had uncommitted changes. */
  dirty: z.boolean(),
  /** Committer time, ISO 8601 UTC. */
  commitTime: z.string().optional(),
  subject: z.string().optional(),
})
export type GitProvenance = z.infer<typeof gitProvenanceSchema>

/** Where a run came from: the repository's git state, the user's `--meta key=value` pairs and the child's Node flags. Added in v1 (optional). */
export const provenanceSchema = z.object({
  git: gitProvenanceSchema.optional(),
  meta: z.record(z.string(), z.string()),
  /** Node flags the workload child ran with (loader and V8 flags), plus NODE_OPTIONS when set. */
  nodeFlags: z.array(z.string()),
  nodeOptions: z.string().optional(),
})
export type Provenance = z.infer<typeof provenanceSchema>

const runWorkloadSchema = z.object({
  id: z.string(),
  variant: z.string(),
  params: paramValuesSchema,
  seed: z.number().int(),
  /** For a workload file: its path relative to its repository's top folder (else as given). Added in v1 (optional). */
  file: z.string().optional(),
})
/**
 * One child process of a run made with several (`--repeat N`, `hotpath ab`): its own warm-up, metrics,
 * histogram and samples. Added in v1 (optional): runs without it are one process, described by `metrics`.
 */
export const processResultSchema = z.object({
  /** 1-based, in launch order. */
  index: z.number().int().positive(),
  metrics: runMetricsSchema,
  histogram: z.string().optional(),
  samplesNs: z.array(z.number()).optional(),
  wallMs: z.number(),
  /** Artifact file of this process's CPU profile, when one was captured. */
  cpuProfile: z.string().optional(),
  /** This process's profiling pass, when a timing and a profiling pass both ran in it. */
  profiled: z.object({ opsPerSec: z.number(), operations: z.number() }).optional(),
  /**
   * Paired mode (`hotpath ab`, both sides in this one process, iterations alternated): the median over
   * iteration pairs of log(per-operation time of side B / that of side A).
   */
  pairedLogRatio: z.number().optional(),
})
export type ProcessResult = z.infer<typeof processResultSchema>

/** How a run made by `hotpath ab` was measured against its partner. Added in v1 (optional). */
export const abInfoSchema = z.object({
  /** Shared by the two runs of one `ab`. */
  session: z.string(),
  side: z.enum(['A', 'B']),
  partner: runIdSchema,
  /** `paired`: both sides in each process, iterations alternated; `abba`: separate processes in ABBA order. */
  mode: z.enum(['paired', 'abba']),
})
export type AbInfo = z.infer<typeof abInfoSchema>

export const runRecordSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  id: runIdSchema,
  kind: runKindSchema,
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  label: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  /** Runs made together by one sweep share a group id. */
  group: z.string().optional(),
  workload: runWorkloadSchema,
  provenance: provenanceSchema.optional(),
  /** For kind "custom": the command that was profiled. */
  command: z.array(z.string()).optional(),
  measure: measureOptionsSchema,
  capture: captureOptionsSchema,
  runtime: z.object({ path: z.string(), node: z.string(), v8: z.string() }),
  status: runStatusSchema,
  /** The process that records the run, while it is `running` (so a reader can tell a crashed one). Added in v2. */
  owner: z
    .object({
      /** Process id of the Hotpath process writing the run. */
      pid: z.number().int().positive(),
      /** When that process started (ISO time), to tell a reused pid from the owner. */
      processStartedAt: z.string(),
      /** The owner's machine fingerprint: a pid only means something on the machine that wrote it. */
      machine: z.string().optional(),
    })
    .optional(),
  exit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable() }),
  error: z.string().optional(),
  /** Last lines of the child's stderr (at most ~8 KB). */
  stderrTail: z.string(),
  /** Wall time from spawn to exit. */
  wallMs: z.number(),
  /** Digest of the workload's answer for its seed: equal across variants and runs with the same seed. */
  checksum: z.string().optional(),
  env: environmentSchema,
  metrics: runMetricsSchema.optional(),
  /** HDR histogram of per-operation latency in ns, base64 (hdr-histogram-js encodeIntoCompressedBase64). */
  histogram: z.string().optional(),
  /** Per-iteration per-operation latency in ns, in measured order (bounded: a uniform reservoir past 10,000). */
  samplesNs: z.array(z.number()).optional(),
  timeline: z.array(timelineSampleSchema),
  /** GC pauses on the timeline's clock (bounded). Added in v2 (optional). */
  timelineGc: timelineGcSchema.optional(),
  /** The heap limit the workload child ran with. Added in v2 (optional). */
  heapLimit: heapLimitSchema.optional(),
  /** Throughput of the profiling pass against the timing pass, when both ran. */
  profilerOverhead: z
    .object({
      timingOpsPerSec: z.number(),
      profiledOpsPerSec: z.number(),
      overheadPct: z.number(),
      /** Operations in the profiled window, to normalize profile times per operation. Added in v1 (optional). */
      profiledOperations: z.number().optional(),
      /**
       * With several processes: the interval of the overhead from the per-process ratios (profiled pass /
       * timing pass of the same process), in percent, and how many processes it rests on. Added in v1.
       */
      ciLowPct: z.number().optional(),
      ciHighPct: z.number().optional(),
      processes: z.number().int().optional(),
    })
    .optional(),
  warnings: z.array(runWarningSchema),
  artifacts: z.array(artifactSchema),
  /** Every child process of a repeated run, in launch order; `metrics` is then their aggregate. */
  processes: z.array(processResultSchema).optional(),
  ab: abInfoSchema.optional(),
  /** Load, soak, components, domain-unit throughput and assertions (core/model/load.ts). Added in v1 (optional). */
  assertions: z.array(assertionResultSchema).optional(),
  load: openLoopSchema.optional(),
  soak: soakSchema.optional(),
  components: z.array(componentTimingSchema).optional(),
  throughput: throughputSchema.optional(),
  thresholdCrossings: z.array(thresholdCrossingSchema).optional(),
  leak: leakEvidenceSchema.optional(),
})
export type RunRecord = z.infer<typeof runRecordSchema>

/** What the runs library lists: enough to filter, sort and pick runs to compare. */
export const runSummarySchema = z.object({
  id: runIdSchema,
  kind: runKindSchema,
  createdAt: z.string(),
  label: z.string(),
  tags: z.array(z.string()),
  group: z.string().optional(),
  workload: runWorkloadSchema,
  status: runStatusSchema,
  opsPerSec: z.number().optional(),
  /** Operations measured (the timing pass's; a profiled pass is not counted). */
  operations: z.number().optional(),
  p99Ns: z.number().optional(),
  /** Latency per operation (mean, p50, p95), for trends and suites without reading run.json. */
  meanNs: z.number().optional(),
  p50Ns: z.number().optional(),
  p95Ns: z.number().optional(),
  git: gitProvenanceSchema.optional(),
  meta: z.record(z.string(), z.string()).optional(),
  /** Peak resident set size of the measured process, in bytes. */
  peakRssBytes: z.number().optional(),
  /** CPU brand and cores, e.g. "AMD EPYC 7B13 (2 cores)". */
  machine: z.string(),
  /** Salted, non-reversible fingerprint of the machine (env.machine.fingerprint), to group runs by machine. Added in v2. */
  machineFingerprint: z.string().optional(),
  node: z.string(),
  artifactKinds: z.array(artifactKindSchema),
  /** Open-loop runs: offered and achieved rate and latency from the intended start. Added in v1 (optional). */
  load: z
    .object({ offeredOpsPerSec: z.number(), achievedOpsPerSec: z.number(), keptUp: z.boolean(), p50Ns: z.number(), p999Ns: z.number(), maxNs: z.number() })
    .optional(),
  /** Assertions that failed, when the run had any. Added in v1 (optional). */
  assertionsFailed: z.number().optional(),
})
export type RunSummary = z.infer<typeof runSummarySchema>

export function summarizeRun(run: RunRecord): RunSummary {
  return {
    id: run.id,
    kind: run.kind,
    createdAt: run.createdAt,
    label: run.label,
    tags: run.tags,
    ...(run.group !== undefined ? { group: run.group } : {}),
    workload: run.workload,
    status: run.status,
    ...(run.metrics ? { opsPerSec: run.metrics.opsPerSec, operations: run.metrics.operations, p99Ns: run.metrics.latencyNs.p99, p95Ns: run.metrics.latencyNs.p95, p50Ns: run.metrics.latencyNs.p50, meanNs: run.metrics.latencyNs.mean, peakRssBytes: run.metrics.peakRssBytes } : {}),
    ...(run.provenance?.git ? { git: run.provenance.git } : {}),
    ...(run.provenance && Object.keys(run.provenance.meta).length > 0 ? { meta: run.provenance.meta } : {}),
    machine: run.env.cpu.cores > 0 ? `${run.env.cpu.brand} (${run.env.cpu.cores} cores)` : 'unknown machine',
    ...(run.env.machine?.fingerprint ? { machineFingerprint: run.env.machine.fingerprint } : {}),
    node: run.runtime.node,
    artifactKinds: [...new Set(run.artifacts.map((a) => a.kind))],
    ...(run.load && run.metrics
      ? {
          load: {
            offeredOpsPerSec: run.load.offeredOpsPerSec,
            achievedOpsPerSec: run.load.achievedOpsPerSec,
            keptUp: run.load.keptUp,
            p50Ns: run.metrics.latencyNs.p50,
            p999Ns: run.metrics.latencyNs.p999,
            maxNs: run.metrics.latencyNs.max,
          },
        }
      : {}),
    ...(run.assertions?.length ? { assertionsFailed: run.assertions.filter((a) => !a.pass).length } : {}),
  }
}

/** Makes a new run id from a time and a slug; the suffix keeps ids made in the same millisecond apart. */
export function makeRunId(at: Date, slug: string, suffix: string): RunId {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('.', '')
  const safe = slug.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run'
  return `${stamp}-${safe}-${suffix.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8)}`
}
