/**
 * Suites and named baselines. A suite file (`hotpath suite bench/suite.json`) lists the workloads to run
 * together; a baseline (`<store>/baselines/<name>.json`, a plain file with stable key order) names the runs
 * of one suite so later suites compare against them (`--save-baseline main`, `--baseline main`).
 */
import { z } from 'zod'
import { gitProvenanceSchema, profileKindSchema, runIdSchema } from './run.js'
import { paramValuesSchema } from './workload.js'

export const baselineNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a baseline name is letters, digits, . _ - (at most 64), starting with a letter or digit')

export const suiteMemberSpecSchema = z
  .object({
    /** A built-in workload id or a workload file path (relative to the suite file). */
    workload: z.string().min(1).max(1000),
    variant: z.string().optional(),
    params: paramValuesSchema.optional(),
  })
  .strict()
export type SuiteMemberSpec = z.infer<typeof suiteMemberSpecSchema>

export const suiteFileSchema = z
  .object({
    name: z.string().max(80).optional(),
    members: z.array(suiteMemberSpecSchema).min(1).max(200),
    /** Processes per member (interleaved across members). */
    repeat: z.number().int().min(1).max(100).optional(),
    iterations: z.number().int().positive().optional(),
    durationMs: z.number().positive().optional(),
    warmupMs: z.number().nonnegative().optional(),
    profile: z.array(profileKindSchema).optional(),
  })
  .strict()
export type SuiteFile = z.infer<typeof suiteFileSchema>

/** The identity of a suite member across suites: workload id, variant and parameters. */
export function memberKey(m: { workload: string; variant: string; params: Record<string, unknown> }): string {
  const params = Object.entries(m.params).sort(([a], [b]) => a.localeCompare(b))
  return `${m.workload}/${m.variant}${params.length ? `?${params.map(([k, v]) => `${k}=${String(v)}`).join('&')}` : ''}`
}

export const baselineMemberSchema = z.object({
  key: z.string(),
  workload: z.string(),
  variant: z.string(),
  params: paramValuesSchema,
  file: z.string().optional(),
  /** The member's runs (one per process), oldest first. */
  runIds: z.array(runIdSchema),
})
export type BaselineMember = z.infer<typeof baselineMemberSchema>

export const BASELINE_SCHEMA_VERSION = 1
export const baselineSchema = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  name: baselineNameSchema,
  createdAt: z.string(),
  /** The suite's group id (every run of the suite carries it). */
  group: z.string(),
  git: gitProvenanceSchema.optional(),
  members: z.array(baselineMemberSchema),
})
export type Baseline = z.infer<typeof baselineSchema>

export const baselineSummarySchema = z.object({
  name: baselineNameSchema,
  createdAt: z.string(),
  group: z.string(),
  git: gitProvenanceSchema.optional(),
  members: z.number().int(),
  runs: z.number().int(),
})
export type BaselineSummary = z.infer<typeof baselineSummarySchema>
