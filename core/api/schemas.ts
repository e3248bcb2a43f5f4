/**
 * One schema per WorkbenchApi message (arguments tuple and result) and per event. Both sides of every
 * boundary (IPC, HTTP, WebSocket) validate with these; nothing else defines the message shapes.
 */
import { z } from 'zod'
import { environmentSchema } from '../model/environment.js'
import {
  profileKindSchema,
  runIdSchema,
  runRecordSchema,
  runStatusSchema,
  runSummarySchema,
  timelineSampleSchema,
} from '../model/run.js'
import { paramValuesSchema, workloadDescriptorSchema } from '../model/workload.js'
import type { HeapSummary } from '../analysis/heap-summary.js'
import type { Comparison, FunctionChange, GateResult } from '../compare/comparison.js'
import type { HeapDiff } from '../compare/heap-diff.js'

/** What starting a run asks for. Parameters are checked against the workload descriptor by the service. */
export const runRequestSchema = z
  .object({
    workload: z.string().min(1),
    variant: z.string().optional(),
    params: paramValuesSchema.optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    iterations: z.number().int().positive().max(100_000_000).optional(),
    durationMs: z.number().positive().max(3_600_000).optional(),
    warmupIterations: z.number().int().nonnegative().max(10_000_000).optional(),
    warmupMs: z.number().nonnegative().max(600_000).optional(),
    timeoutMs: z.number().positive().max(24 * 3_600_000).optional(),
    label: z.string().max(200).optional(),
    tags: z.array(z.string().min(1).max(60)).max(50).optional(),
    profile: z.array(profileKindSchema).optional(),
    samplingIntervalUs: z.number().int().min(10).max(100_000).optional(),
    heapSnapshots: z.array(z.enum(['start', 'end'])).optional(),
    timingPass: z.boolean().optional(),
    /** Path of a Node binary (>= 18) to run the workload with; default: the one running Hotpath. */
    runtime: z.string().min(1).optional(),
    /** Extra V8 flags for the child, from an allowlist (e.g. --max-old-space-size=256). */
    nodeFlags: z.array(z.string().regex(/^--(max-old-space-size|max-semi-space-size)=\d+$/)).optional(),
    group: z.string().max(80).optional(),
    /** false keeps host, user, home, machine id, MAC and IP in what the run stores (`--no-redact`); default true. */
    redact: z.boolean().optional(),
  })
  .strict()
export type RunRequest = z.infer<typeof runRequestSchema>

export const runFilterSchema = z
  .object({
    workload: z.string().optional(),
    variant: z.string().optional(),
    tag: z.string().optional(),
    label: z.string().optional(),
    status: runStatusSchema.optional(),
    machine: z.string().optional(),
    group: z.string().optional(),
    since: z.string().optional(),
    until: z.string().optional(),
    text: z.string().optional(),
  })
  .strict()
export type RunFilter = z.infer<typeof runFilterSchema>

export const runPatchSchema = z
  .object({
    label: z.string().max(200).optional(),
    tags: z.array(z.string().min(1).max(60)).max(50).optional(),
    notes: z.string().max(20_000).optional(),
  })
  .strict()
export type RunPatch = z.infer<typeof runPatchSchema>

export const importResultSchema = z.object({
  imported: z.array(runIdSchema),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
})
export type ImportResult = z.infer<typeof importResultSchema>

export const environmentReportSchema = z.object({
  environment: environmentSchema,
  markdown: z.string(),
})
export type EnvironmentReport = z.infer<typeof environmentReportSchema>

const bytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes' })

/**
 * Options of a comparison: the headline metric, the noise band (a fraction), whether to compare different
 * workloads, the bootstrap interval method and seed, and the CI gates (fractions: 0.1 is 10%).
 */
export const compareOptionsSchema = z
  .object({
    metric: z.string().max(40).optional(),
    noise: z.number().min(0).max(0.5).optional(),
    force: z.boolean().optional(),
    /** Bootstrap interval: percentile (default, as Criterion.rs) or bias-corrected and accelerated. */
    method: z.enum(['percentile', 'bca']).optional(),
    /** Bootstrap seed: the same seed gives the same intervals. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** Gate: the largest tolerated regression of `metric` (fraction; the gate trips beyond it with 95% confidence). */
    failOnRegression: z.number().min(0).max(100).optional(),
    /** Gate: the largest tolerated growth of a function's self time (fraction); needs CPU profiles. */
    failOnFunctionGrowth: z.number().min(0).max(100).optional(),
  })
  .strict()
export type CompareOptions = z.infer<typeof compareOptionsSchema>

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Results computed by core/ code on the engine side. Their full shapes are the core types; the schemas
 * check the envelope (the fields every consumer reads first) and carry the type to the other side.
 */
const comparisonSchema = z.custom<Comparison>(
  (v) => isRecord(v) && typeof v.baseline === 'string' && Array.isArray(v.runs) && Array.isArray(v.candidates) && Array.isArray(v.warnings),
  { message: 'expected a comparison' },
)
const functionChangesSchema = z.record(
  z.string(),
  z.array(z.custom<FunctionChange>((v) => isRecord(v) && typeof v.key === 'string' && typeof v.name === 'string', { message: 'expected a function change' })),
)
const gateResultSchema = z.custom<GateResult>((v) => isRecord(v) && typeof v.tripped === 'boolean' && Array.isArray(v.reasons), {
  message: 'expected a gate result',
})
/** A comparison, the function-level diff when every run has a CPU profile, and the gate's result when a gate was asked for. */
export const compareResultSchema = z.object({
  comparison: comparisonSchema,
  functionChanges: functionChangesSchema.optional(),
  gate: gateResultSchema.optional(),
})
export type CompareResult = z.infer<typeof compareResultSchema>

export const reportFormatSchema = z.enum(['md', 'html', 'json', 'csv'])
export const reportFileSchema = z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() })

const heapSummarySchema = z.custom<HeapSummary>(
  (v) => isRecord(v) && typeof v.nodeCount === 'number' && Array.isArray(v.classes) && isRecord(v.statistics),
  { message: 'expected a heap summary' },
)
const heapDiffSchema = z.custom<HeapDiff>((v) => isRecord(v) && Array.isArray(v.classes) && isRecord(v.totals), { message: 'expected a heap diff' })
/** A heap snapshot of a run: its id and the artifact file name (heap-start.heapsnapshot, heap-end.heapsnapshot). */
export const heapRefSchema = z
  .object({ runId: runIdSchema, file: z.string().regex(/^[A-Za-z0-9._-]+\.heapsnapshot$/, 'a .heapsnapshot file of the run') })
  .strict()

/** Arguments (as a tuple) and result of each request. Keys are the WorkbenchApi method names. */
export const apiSchemas = {
  listWorkloads: { args: z.tuple([]), result: z.array(workloadDescriptorSchema) },
  startRun: { args: z.tuple([runRequestSchema]), result: z.object({ runId: runIdSchema }) },
  cancelRun: { args: z.tuple([runIdSchema]), result: z.object({ cancelled: z.boolean() }) },
  listRuns: { args: z.tuple([runFilterSchema.optional()]), result: z.array(runSummarySchema) },
  getRun: { args: z.tuple([runIdSchema]), result: runRecordSchema },
  updateRun: { args: z.tuple([runIdSchema, runPatchSchema]), result: runRecordSchema },
  deleteRun: { args: z.tuple([runIdSchema]), result: z.object({ deleted: z.boolean() }) },
  importFile: {
    args: z.tuple([z.string().min(1).max(255), bytesSchema]),
    result: importResultSchema,
  },
  exportRuns: { args: z.tuple([z.array(runIdSchema).min(1)]), result: bytesSchema },
  readArtifact: { args: z.tuple([runIdSchema, z.string().min(1).max(255)]), result: bytesSchema },
  getEnvironment: {
    args: z.tuple([z.object({ redact: z.boolean(), fresh: z.boolean().optional() }).strict()]),
    result: environmentReportSchema,
  },
  compareRuns: { args: z.tuple([z.array(runIdSchema).min(2).max(20), compareOptionsSchema]), result: compareResultSchema },
  exportReport: {
    args: z.tuple([z.array(runIdSchema).min(2).max(20), compareOptionsSchema, reportFormatSchema]),
    result: reportFileSchema,
  },
  getHeapSummary: { args: z.tuple([runIdSchema, heapRefSchema.shape.file]), result: heapSummarySchema },
  diffHeapSnapshots: { args: z.tuple([heapRefSchema, heapRefSchema]), result: heapDiffSchema },
} as const

export const phaseSchema = z.enum([
  'queued',
  'spawning',
  'warmup',
  'timing',
  'profiling',
  'snapshot',
  'saving',
  'done',
])
export type RunPhase = z.infer<typeof phaseSchema>

/** Main -> renderer pushes. */
export const eventSchemas = {
  runProgress: z.object({
    runId: runIdSchema,
    phase: phaseSchema,
    /** Fraction of the current phase done, 0..1. */
    fraction: z.number(),
    /** Fraction of the whole run done, 0..1. */
    overall: z.number(),
    etaMs: z.number().optional(),
    opsDone: z.number().optional(),
    opsPerSec: z.number().optional(),
    p99Ns: z.number().optional(),
    message: z.string().optional(),
  }),
  timelineSample: z.object({ runId: runIdSchema, sample: timelineSampleSchema }),
  runFinished: z.object({ runId: runIdSchema, status: runStatusSchema, summary: runSummarySchema }),
  runsChanged: z.object({ reason: z.string() }),
} as const
