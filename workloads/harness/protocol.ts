/**
 * Messages between the parent (profilers/launch.ts) and the workload child (harness/child.ts) over
 * the child's IPC channel. One zod schema per message, used by both sides.
 */
import { z } from 'zod'
import { gcMarkSchema, heapLimitSchema, latencyNsSchema, profileKindSchema, runMetricsSchema } from '../../core/model/run.js'
import { paramValuesSchema } from '../../core/model/workload.js'
import { RUN_FILES } from '../../core/model/run-layout.js'
import { arrivalsSchema, assertionOpSchema, componentTimingSchema, openLoopSchema, soakSchema } from '../../core/model/load.js'

export const childConfigSchema = z.object({
  workload: z.string(),
  /** Absolute path of a workload file (defineWorkload) to load instead of a built-in. */
  workloadFile: z.string().optional(),
  variant: z.string(),
  params: paramValuesSchema,
  seed: z.number().int(),
  warmupIterations: z.number().int().nonnegative().optional(),
  warmupMs: z.number().nonnegative().optional(),
  iterations: z.number().int().positive().optional(),
  durationMs: z.number().positive().optional(),
  /** Folder the child writes artifacts into (the run folder). */
  outDir: z.string(),
  /** File-name prefix for artifacts of this pass, e.g. "" or "pass2-". */
  profile: z.array(profileKindSchema),
  samplingIntervalUs: z.number().int().positive(),
  heapSnapshots: z.array(z.enum(['start', 'end'])),
  /** Sampling interval of the allocation profiler, in bytes. */
  allocSamplingBytes: z.number().int().positive().default(32768),
  /** Compute the answer's checksum (done once, outside the measured window). */
  computeChecksum: z.boolean(),
  /** Largest artifact the child may write, in bytes. */
  maxArtifactBytes: z.number().positive(),
  /** Seed of the reservoir that keeps raw samples bounded. */
  maxSamples: z.number().int().positive().default(10_000),
  /** File the CPU profile is written to, in outDir (several processes of one run each get their own). */
  cpuProfileFile: z.string().regex(/^[A-Za-z0-9._-]+$/).default(RUN_FILES.cpuProfile),
  /**
   * Paired mode (`hotpath ab`): a second instance, side B, measured alternately with the first (side A)
   * in this process (harness/paired.ts). Profiles are not captured in paired mode.
   */
  pair: z
    .object({
      variant: z.string(),
      params: paramValuesSchema,
      /**
       * Which instance is created (and so allocated, and its code first compiled) first. `hotpath ab`
       * alternates it by round, so a bias of creation order changes sign between processes and shows
       * up as between-process spread rather than as a change.
       */
      createFirst: z.enum(['A', 'B']).default('A'),
    })
    .optional(),
  /** Open-loop pacing (--rate): offered operations per second and the arrival process. */
  openLoop: z.object({ opsPerSec: z.number().positive(), arrivals: arrivalsSchema }).optional(),
  /** Soak (--soak): sample the post-GC heap and RSS this often, in ms. */
  soakEveryMs: z.number().positive().optional(),
  /** Time the workload's components (the descriptor lists them). */
  components: z.boolean().optional(),
  /** Leak assertions checked in the child: a failure keeps start and end heap snapshots. */
  leakCheck: z.array(z.object({ metric: z.enum(['heapGrowth', 'rssGrowth']), op: assertionOpSchema, threshold: z.number() })).optional(),
})
export type ChildConfig = z.input<typeof childConfigSchema>

export const childPhaseSchema = z.enum(['setup', 'warmup', 'timing', 'profiling', 'snapshot', 'checksum', 'saving'])
export type ChildPhase = z.infer<typeof childPhaseSchema>

export const childMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    node: z.string(),
    v8: z.string(),
    pid: z.number(),
    /** The child's V8 heap limit and the --max-old-space-size behind it. */
    heapLimit: heapLimitSchema.optional(),
  }),
  /**
   * GCs since the last `gc` message (harness/gc-marks.ts), timed on the epoch clock (performance.timeOrigin
   * + startTime, in ms) so the parent can place them on its timeline; `dropped` counts those past the child's bound.
   */
  z.object({
    type: z.literal('gc'),
    marks: z.array(gcMarkSchema.omit({ tMs: true }).extend({ atEpochMs: z.number() })),
    dropped: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('progress'),
    phase: childPhaseSchema,
    /** Fraction of this phase done, 0..1. */
    fraction: z.number(),
    opsDone: z.number(),
    opsPerSec: z.number(),
    p99Ns: z.number().optional(),
    heapUsedBytes: z.number(),
    eventLoopDelayMs: z.number().optional(),
    message: z.string().optional(),
  }),
  z.object({
    type: z.literal('artifact'),
    kind: z.enum(['cpuprofile', 'heapsnapshot', 'heapprofile']),
    file: z.string(),
    label: z.string(),
  }),
  z.object({ type: z.literal('warning'), kind: z.string(), message: z.string() }),
  z.object({
    type: z.literal('result'),
    metrics: runMetricsSchema,
    histogram: z.string(),
    samplesNs: z.array(z.number()),
    checksum: z.string().optional(),
    /** Set when the run stopped early because the parent asked (cancel). */
    stoppedEarly: z.boolean(),
    /** Paired mode: side B's measurement and the paired log-ratio (the fields above are side A's). */
    paired: z
      .object({
        metrics: runMetricsSchema,
        histogram: z.string(),
        samplesNs: z.array(z.number()),
        checksum: z.string().optional(),
        pairedLogRatio: z.number(),
        pairs: z.number().int(),
      })
      .optional(),
    load: openLoopSchema.optional(),
    soak: soakSchema.optional(),
    components: z.array(componentTimingSchema).optional(),
    /** Domain units (events, symbols, bytes…) per operation, as the workload reports it. */
    unitsPerOperation: z.number().optional(),
  }),
  z.object({ type: z.literal('error'), message: z.string(), stack: z.string().optional() }),
])
export type ChildMessage = z.infer<typeof childMessageSchema>

export const parentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), config: childConfigSchema }),
  /** Stop measuring at the next iteration boundary, flush what was captured, report, exit. */
  z.object({ type: z.literal('stop') }),
])
export type ParentMessage = z.input<typeof parentMessageSchema>

export { latencyNsSchema, profileKindSchema }
