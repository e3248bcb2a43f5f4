/**
 * What a run records about load, soak and budgets: the open-loop schedule and how it was kept, the
 * post-GC heap and RSS of a soak with their growth, per-component timings, the throughput in the
 * workload's domain unit, the assertions with their measured values, and threshold crossings on the
 * timeline. All optional on the run record (added in v1 without a schema bump: older runs have none).
 */
import { z } from 'zod'

const latencySummarySchema = z.object({
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
})
export type LatencySummaryNs = z.infer<typeof latencySummarySchema>

export const arrivalsSchema = z.enum(['constant', 'poisson'])
export type Arrivals = z.infer<typeof arrivalsSchema>

/** An open-loop (constant-rate or Poisson) run: latency counts from each request's intended start. */
export const openLoopSchema = z.object({
  arrivals: arrivalsSchema,
  /** Offered load, in operations per second (as asked with --rate). */
  offeredOpsPerSec: z.number(),
  /** Operations per request (the workload's iteration); requests arrive at offeredOpsPerSec / opsPerRequest. */
  opsPerRequest: z.number(),
  /** Completed operations per second of the arrival window. */
  achievedOpsPerSec: z.number(),
  /** Requests whose intended start fell in the window, those completed, and those still queued at its end. */
  arrived: z.number(),
  completed: z.number(),
  backlogAtEnd: z.number(),
  maxBacklog: z.number(),
  /** True when the backlog at the end is at most 5% of the arrivals (or 1 request): a moment of descheduling at the end of the window is not saturation. */
  keptUp: z.boolean(),
  /** Time spent in the operation itself (from actual start), per request; metrics.latencyNs counts from the intended start. */
  serviceNs: latencySummarySchema,
  /** Queued requests over time (at most 200 points). */
  backlog: z.array(z.object({ tMs: z.number(), queued: z.number() })),
})
export type OpenLoopRecord = z.infer<typeof openLoopSchema>

/** Growth of a post-GC series from the first to the last quarter, with an OLS slope and its 95% interval. */
export const growthSchema = z.object({
  /** Mean of the first and last quarter of the samples, in the series' unit (bytes). */
  firstQuarterMean: z.number(),
  lastQuarterMean: z.number(),
  /** (last − first) / first: 0.1 is 10% growth. */
  growth: z.number(),
  slopePerSec: z.number(),
  /** 95% interval of the slope; absent with fewer than 3 samples. */
  slopeLowPerSec: z.number().optional(),
  slopeHighPerSec: z.number().optional(),
  samples: z.number(),
})
export type GrowthRecord = z.infer<typeof growthSchema>

export const soakSchema = z.object({
  durationMs: z.number(),
  /** Live heap and RSS right after a forced full GC, sampled through the soak. */
  samples: z.array(z.object({ tMs: z.number(), heapBytes: z.number(), rssBytes: z.number() })),
  heapGrowth: growthSchema.optional(),
  rssGrowth: growthSchema.optional(),
  /** Major GCs seen during the soak (forced ones included). */
  gcCycles: z.number(),
  /** False when fewer than 4 GC cycles were sampled: the leak figure is unreliable. */
  reliable: z.boolean(),
})
export type SoakRecord = z.infer<typeof soakSchema>

export const componentTimingSchema = z.object({
  id: z.string(),
  /** Timed calls; with `batched` each call covered several operations and the latency is the per-operation mean. */
  calls: z.number(),
  batched: z.boolean(),
  latencyNs: latencySummarySchema,
  /** Time in this component over the measured window, in ns, extrapolated from the timed calls (noisy when sampled). */
  totalNs: z.number(),
  budgetNs: z.number().optional(),
  /**
   * Unbatched calls: the cost of the two clock reads around each call (calibrated, subtracted from every
   * timing). A figure at or under it cannot be told from zero and is shown as "< resolution".
   */
  resolutionNs: z.number().optional(),
  /** p99 within the budget, when there is one. */
  pass: z.boolean().optional(),
})
export type ComponentTiming = z.infer<typeof componentTimingSchema>

export const throughputSchema = z.object({
  /** The workload's domain unit, plural: events, orders, symbols, messages, bytes. */
  unit: z.string(),
  /** Domain units per operation (e.g. 500 symbols per collection). */
  perOperation: z.number(),
  perSec: z.number(),
})
export type ThroughputRecord = z.infer<typeof throughputSchema>

export const assertionOpSchema = z.enum(['<', '<=', '>', '>='])
export type AssertionOp = z.infer<typeof assertionOpSchema>

export const assertionResultSchema = z.object({
  /** As written, e.g. "p99<30us". */
  expr: z.string(),
  metric: z.string(),
  op: assertionOpSchema,
  /** Threshold in the metric's base unit (ns, fraction, per second, bytes, count). */
  threshold: z.number(),
  kind: z.enum(['duration', 'percent', 'rate', 'bytes', 'count']),
  /** The measured value in the same base unit; absent when the run did not measure it. */
  measured: z.number().optional(),
  pass: z.boolean(),
  /** One line: "p99 = 41.2 µs, limit < 30 µs: failed". */
  message: z.string(),
})
export type AssertionResult = z.infer<typeof assertionResultSchema>

/** A moment the live timeline crossed a threshold (an assertion's or a default health limit). */
export const thresholdCrossingSchema = z.object({
  /** Timeline field: eventLoopDelayMs, rssBytes, heapUsedBytes. */
  series: z.string(),
  tMs: z.number(),
  value: z.number(),
  limit: z.number(),
  /** The assertion it comes from, or "default". */
  source: z.string(),
})
export type ThresholdCrossing = z.infer<typeof thresholdCrossingSchema>

/** Heap growth kept for a failed leak assertion: the snapshots and the classes that grew most. */
export const leakEvidenceSchema = z.object({
  startSnapshot: z.string().optional(),
  endSnapshot: z.string().optional(),
  /** Set when snapshots were too large and the allocation profile was kept instead. */
  allocationProfile: z.string().optional(),
  growingClasses: z.array(z.object({ className: z.string(), countDelta: z.number(), sizeDeltaBytes: z.number() })),
})
export type LeakEvidence = z.infer<typeof leakEvidenceSchema>
