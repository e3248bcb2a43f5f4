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
import { sweepAxisSchema } from '../model/sweep.js'
import type { HeapSummary } from '../analysis/heap-summary.js'
import type { Comparison, FunctionChange, GateResult } from '../compare/comparison.js'
import type { HeapDiff } from '../compare/heap-diff.js'
import type { ProfileDiff } from '../compare/call-tree-diff.js'
import { MAX_TRANSFORMS, PSEUDO_FRAMES, type ProfileTransform } from '../analysis/transforms.js'
import type { HeapClassComparison } from '../compare/heap-class-diff.js'
import type { Trend } from '../analysis/trend.js'
import { baselineNameSchema, baselineSchema, baselineSummarySchema } from '../model/suite.js'

/** A trend with the named baseline's value, when one was asked for. */
export type TrendWithBaseline = Trend & { baseline?: { name: string; value: number; runIds: string[] } }
import type { TargetComparison } from '../compare/by-target.js'
import { targetNameSchema, targetSchema } from '../model/target.js'

/** What starting a run asks for. Parameters are checked against the workload descriptor by the service. */
export const runRequestSchema = z
  .object({
    /** A built-in workload id, or the path of a workload file (`bench/orders.bench.ts`; see service/workload-files.ts). */
    workload: z.string().min(1).max(1000),
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
    /** `--meta key=value` pairs recorded with the run's provenance. */
    meta: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'meta keys are letters, digits, _ . - (at most 40)'), z.string().max(200)).optional(),
    /** Fresh child processes to measure, each with its own warm-up (`--repeat N`); default 1. */
    repeat: z.number().int().min(1, 'repeat must be at least 1 process').max(100).optional(),
    /** Open-loop load (--rate): offered operations per second, and the arrival process (default constant). */
    rate: z.number().positive().max(1e10).optional(),
    arrivals: z.enum(['constant', 'poisson']).optional(),
    /** Soak (--soak): the measured window, with post-GC heap and RSS sampled through it; exclusive with iterations/durationMs. */
    soakMs: z.number().positive().max(24 * 3_600_000).optional(),
    /** Assertions (--assert), e.g. "p99<30us", "heapGrowth<10%"; checked by core/assert. */
    assert: z.array(z.string().min(1).max(300)).max(50).optional(),
    /** Latency budgets per component (--budget parse=5us), in ns. */
    budgetsNs: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.number().positive()).optional(),
    /** false keeps host, user, home, machine id, MAC and IP in what the run stores (`--no-redact`); default true. */
    redact: z.boolean().optional(),
  })
  .strict()
export type RunRequest = z.infer<typeof runRequestSchema>

/**
 * A parameter sweep (`hotpath sweep`, a Launch form field with several values): one run of `run` per
 * combination of the axes' values, grouped. The axes' values override `run.params`; labels and the group
 * are set by the engine.
 */
export const sweepRequestSchema = z.object({ run: runRequestSchema, axes: z.array(sweepAxisSchema).min(1).max(10) }).strict()
export type SweepRequest = z.infer<typeof sweepRequestSchema>

/**
 * What `hotpath ab` asks for: sides A and B of one workload, alternated. Side B inherits A's variant,
 * parameters and runtime unless it names its own. Checked against the workload descriptor by the service.
 */
export const abRequestSchema = z
  .object({
    workload: z.string().min(1),
    variantA: z.string().optional(),
    variantB: z.string().optional(),
    params: paramValuesSchema.optional(),
    /** Parameters of side B that differ from A's. */
    paramsB: paramValuesSchema.optional(),
    runtime: z.string().min(1).optional(),
    /** A different Node binary for side B: forces process-level ABBA mode. */
    runtimeB: z.string().min(1).optional(),
    /** Rounds: paired mode, one process measuring both sides; ABBA, one A and one B process. At least 2. */
    rounds: z.number().int().min(2, 'rounds must be at least 2: one round says nothing about between-process noise').max(200).optional(),
    /** auto (default): paired where both sides share a runtime, ABBA otherwise. */
    mode: z.enum(['auto', 'paired', 'abba']).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    iterations: z.number().int().positive().max(100_000_000).optional(),
    durationMs: z.number().positive().max(3_600_000).optional(),
    warmupIterations: z.number().int().nonnegative().max(10_000_000).optional(),
    warmupMs: z.number().nonnegative().max(600_000).optional(),
    timeoutMs: z.number().positive().max(24 * 3_600_000).optional(),
    label: z.string().max(200).optional(),
    tags: z.array(z.string().min(1).max(60)).max(50).optional(),
    /** No-change band, fraction (default 2%). */
    noise: z.number().min(0).lt(1).optional(),
    /** The metric the summary leads with and the gate judges (default opsPerSec). */
    metric: z.string().optional(),
    /** Gate: largest tolerated regression of `metric`, fraction. */
    maxRegression: z.number().positive().optional(),
  })
  .strict()
export type AbRequest = z.infer<typeof abRequestSchema>

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
    /** A commit (full or a prefix of at least 4 hex digits) or a branch name, from the runs' provenance. */
    commit: z.string().regex(/^[0-9a-f]{4,64}$/, 'a commit is 4 to 64 hex digits').optional(),
    branch: z.string().max(200).optional(),
  })
  .strict()
export type RunFilter = z.infer<typeof runFilterSchema>

/** The most runs one listRunPage call returns. */
export const RUN_PAGE_MAX = 1000

/** Which slice of the matching runs (newest first) listRunPage returns: `offset` skipped, at most `limit` (1..RUN_PAGE_MAX). */
export const runPageSchema = z
  .object({
    offset: z.number().int().min(0, 'offset must be 0 or more'),
    limit: z.number().int().min(1, 'limit must be at least 1').max(RUN_PAGE_MAX, `limit must be at most ${RUN_PAGE_MAX}`),
  })
  .strict()
export type RunPageRequest = z.infer<typeof runPageSchema>

/** One page of the runs a filter matches, newest first, and how many match in all. */
export const runPageResultSchema = z.object({
  runs: z.array(runSummarySchema),
  /** How many runs match the filter in all (runs holds at most page.limit of them). */
  total: z.number().int().nonnegative(),
})
export type RunPageResult = z.infer<typeof runPageResultSchema>

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

/** A function key (`name url:line:column`, core/model/call-tree.ts makeFunctionKey) in a transform. */
const functionKeySchema = z.string().min(1).max(4000)

/** One transform of a profile view's stack (core/analysis/transforms.ts ProfileTransform). */
export const profileTransformSchema: z.ZodType<ProfileTransform> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('focus-function'), fn: functionKeySchema }).strict(),
  z.object({ type: z.literal('focus-subtree'), path: z.array(functionKeySchema).min(1).max(2000) }).strict(),
  z.object({ type: z.literal('merge-function'), fn: functionKeySchema }).strict(),
  z.object({ type: z.literal('drop-function'), fn: functionKeySchema }).strict(),
  z.object({ type: z.literal('collapse-module'), module: z.string().min(1).max(4000) }).strict(),
  z.object({ type: z.literal('collapse-node-internals') }).strict(),
  z.object({ type: z.literal('hide-frame'), frame: z.enum(PSEUDO_FRAMES) }).strict(),
])
/** A view's transform stack, applied in order (the URL hash and diffProfiles carry it). */
export const profileTransformStackSchema = z.array(profileTransformSchema).max(MAX_TRANSFORMS, `at most ${MAX_TRANSFORMS} transforms`)

/** Options of a CPU profile diff (core/compare/call-tree-diff.ts DiffOptions). */
export const profileDiffOptionsSchema = z
  .object({
    /** Fold harness and Node scheduling frames above the workload's entry point (default true). */
    hideHarness: z.boolean().optional(),
    /** Single-run rule: smallest relative change of self time, in %, to call a function grown or shrunk. */
    minChangePct: z.number().min(0).max(10_000).optional(),
    /** Significance level after the Benjamini–Hochberg correction. */
    alpha: z.number().gt(0).lt(1).optional(),
    /** Transforms applied to every profile of both sides before they are diffed (the views' stack). */
    transforms: profileTransformStackSchema.optional(),
  })
  .strict()
export type ProfileDiffOptions = z.infer<typeof profileDiffOptionsSchema>
const profileDiffSchema = z.custom<ProfileDiff>(
  (v) => isRecord(v) && Array.isArray(v.functions) && isRecord(v.tree) && isRecord(v.method) && isRecord(v.alignment),
  { message: 'expected a profile diff' },
)
/** A workload's history (`hotpath trend`, the Trend view). */
export const trendRequestSchema = z
  .object({
    workload: z.string().min(1).max(200),
    variant: z.string().max(100).optional(),
    metric: z.string().max(40).optional(),
    branch: z.string().max(200).optional(),
    /** A named baseline whose value is drawn as the baseline line. */
    baseline: baselineNameSchema.optional(),
  })
  .strict()
export type TrendRequest = z.infer<typeof trendRequestSchema>
const trendSchema = z.custom<TrendWithBaseline>(
  (v) => isRecord(v) && Array.isArray(v.points) && Array.isArray(v.changePoints) && typeof v.metric === 'string',
  { message: 'expected a trend' },
)
/** Which runs `compareByTarget` puts side by side: named runs, a group, or the newest group made on targets. */
export const targetCompareRequestSchema = z
  .object({
    runIds: z.array(runIdSchema).max(1000).optional(),
    group: z.string().max(80).optional(),
    workload: z.string().optional(),
    reference: targetNameSchema.optional(),
  })
  .strict()
const targetComparisonSchema = z.custom<TargetComparison>((v) => isRecord(v) && Array.isArray(v.targets) && Array.isArray(v.cases), { message: 'expected a target comparison' })

/** A workload file under the workloads folder that could not be described (syntax error, missing export …). */
export const workloadFileProblemSchema = z
  .object({
    /** Path under the workloads folder. */
    file: z.string(),
    line: z.number().int().positive().optional(),
    column: z.number().int().positive().optional(),
    message: z.string(),
  })
  .strict()
export type WorkloadFileProblem = z.infer<typeof workloadFileProblemSchema>
/** The workloads folder Launch lists files from (`serve --workloads DIR`, the desktop app's setting) and its broken files. */
export const workloadFolderSchema = z
  .object({
    folder: z.string().nullable(),
    problems: z.array(workloadFileProblemSchema),
    /** Whether this front door can change the folder (the desktop app opens a folder dialog; serve cannot). */
    canChoose: z.boolean(),
  })
  .strict()
export type WorkloadFolder = z.infer<typeof workloadFolderSchema>

/**
 * Which source `readSource` reads: a script url of one of the run's CPU profiles (`file://…` as V8 wrote it),
 * and the function's line for the location shown when the source cannot be read.
 */
export const sourceRequestSchema = z
  .object({
    /** The run's CPU profile artifact the url comes from (e.g. cpu.cpuprofile). */
    file: z.string().regex(/^[A-Za-z0-9._-]+\.cpuprofile$/, 'a .cpuprofile artifact of the run'),
    url: z.string().min(1).max(4096),
    /** 1-based line of the function, for the location text. */
    line: z.number().int().nonnegative().optional(),
  })
  .strict()
export type SourceRequest = z.infer<typeof sourceRequestSchema>
/**
 * A script's text for the source view, or why there is none: `unavailable` (not a file on this machine, gone,
 * unreadable) comes with the location so the view can show where the function was. Refusals (a url the
 * profile does not name, a file outside the allowed folders, too large) are errors, not results.
 */
export const sourceResultSchema = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('ok'),
      url: z.string(),
      /** The real path that was read. */
      path: z.string(),
      text: z.string(),
      bytes: z.number().int().nonnegative(),
      /** Highlighting language guessed from the file name. */
      language: z.enum(['javascript', 'typescript']),
    })
    .strict(),
  z.object({ status: z.literal('unavailable'), url: z.string(), location: z.string(), reason: z.string() }).strict(),
])
export type SourceResult = z.infer<typeof sourceResultSchema>

/** Arguments (as a tuple) and result of each request. Keys are the WorkbenchApi method names. */
export const apiSchemas = {
  listWorkloads: { args: z.tuple([]), result: z.array(workloadDescriptorSchema) },
  /** The workloads folder and the files under it that failed to describe (listWorkloads lists only those that did). */
  getWorkloadFolder: { args: z.tuple([]), result: workloadFolderSchema },
  /** Desktop only: asks for a folder (a native dialog), saves it in the app's settings and lists its files from then on. */
  chooseWorkloadFolder: { args: z.tuple([]), result: workloadFolderSchema },
  startRun: { args: z.tuple([runRequestSchema]), result: z.object({ runId: runIdSchema }) },
  /** Checks every run of a sweep, starts the first and the others one after another; answers with the first run. */
  startSweep: {
    args: z.tuple([sweepRequestSchema]),
    result: z.object({ group: z.string(), runId: runIdSchema, runs: z.number().int().positive() }).strict(),
  },
  /** Checks a Node runtime a run would name (exists, executable, Node >= 18) without starting anything. */
  checkRuntime: {
    args: z.tuple([z.string().min(1).max(4096)]),
    result: z.union([z.object({ ok: z.literal(true), node: z.string() }).strict(), z.object({ ok: z.literal(false), message: z.string() }).strict()]),
  },
  cancelRun: { args: z.tuple([runIdSchema]), result: z.object({ cancelled: z.boolean() }) },
  listRuns: { args: z.tuple([runFilterSchema.optional()]), result: z.array(runSummarySchema) },
  /** A page of the runs the filter matches (newest first) and their total: the Runs view's list at 100,000 runs. */
  listRunPage: { args: z.tuple([runFilterSchema.optional(), runPageSchema]), result: runPageResultSchema },
  getRun: { args: z.tuple([runIdSchema]), result: runRecordSchema },
  updateRun: { args: z.tuple([runIdSchema, runPatchSchema]), result: runRecordSchema },
  deleteRun: { args: z.tuple([runIdSchema]), result: z.object({ deleted: z.boolean() }) },
  importFile: {
    args: z.tuple([z.string().min(1).max(255), bytesSchema]),
    result: importResultSchema,
  },
  exportRuns: { args: z.tuple([z.array(runIdSchema).min(1)]), result: bytesSchema },
  readArtifact: { args: z.tuple([runIdSchema, z.string().min(1).max(255)]), result: bytesSchema },
  /** The source of a script the run's CPU profile names, under the allowed folders only (service/source-file.ts). */
  readSource: { args: z.tuple([runIdSchema, sourceRequestSchema]), result: sourceResultSchema },
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
  /** Two runs' heap snapshots compared by class (count, shallow and retained size); ids mean nothing across processes. */
  compareHeapClasses: {
    args: z.tuple([heapRefSchema, heapRefSchema]),
    result: z.custom<HeapClassComparison>((v) => isRecord(v) && Array.isArray(v.classes) && isRecord(v.totals), { message: 'expected a heap class comparison' }),
  },
  /** The CPU profile diff of baseline runs against candidate runs (several per side: significance per function). */
  diffProfiles: {
    args: z.tuple([z.array(runIdSchema).min(1).max(50), z.array(runIdSchema).min(1).max(50), profileDiffOptionsSchema.optional()]),
    result: profileDiffSchema,
  },
  getTrend: { args: z.tuple([trendRequestSchema]), result: trendSchema },
  listBaselines: { args: z.tuple([]), result: z.array(baselineSummarySchema) },
  getBaseline: { args: z.tuple([baselineNameSchema]), result: baselineSchema },
  deleteBaseline: { args: z.tuple([baselineNameSchema]), result: z.object({ deleted: z.boolean() }) },
  listTargets: { args: z.tuple([]), result: z.array(targetSchema) },
  compareByTarget: {
    args: z.tuple([targetCompareRequestSchema]),
    result: z.object({ comparison: targetComparisonSchema, markdown: z.string(), html: z.string() }),
  },
} as const

export const phaseSchema = z.enum([
  'queued',
  'spawning',
  'warmup',
  'timing',
  /** The first pass checks the workload's result after measuring (its checksum): no operations are timed. */
  'checksum',
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
    /**
     * Which child process of the run this is: the unprofiled timing pass, then the profiled pass. Operation
     * counts and rates are this pass's own (the saved metrics come from the timing pass).
     */
    pass: z.object({ name: z.enum(['timing', 'profiling']), index: z.number().int().nonnegative(), count: z.number().int().positive() }).optional(),
    /** The run's label and start (ms since epoch), so a window opened mid-run (a reload) shows them right. */
    label: z.string().optional(),
    startedAt: z.number().optional(),
  }),
  timelineSample: z.object({ runId: runIdSchema, sample: timelineSampleSchema }),
  runFinished: z.object({ runId: runIdSchema, status: runStatusSchema, summary: runSummarySchema }),
  runsChanged: z.object({ reason: z.string() }),
} as const
