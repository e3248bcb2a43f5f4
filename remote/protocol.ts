/**
 * What the client and the runner on a target say to each other: the job (first line of the runner's
 * stdin) and the JSON lines the runner prints. Both sides parse with these schemas.
 */
import { z } from 'zod'
import { runRequestSchema } from '../core/api/schemas.js'
import { runIdSchema, runStatusSchema } from '../core/model/run.js'

export const runnerJobSchema = z
  .object({
    version: z.literal(1),
    jobId: z.string().regex(/^[a-z0-9-]{8,80}$/),
    target: z.string(),
    requests: z.array(runRequestSchema).min(1).max(1000),
  })
  .strict()
export type RunnerJob = z.infer<typeof runnerJobSchema>

export const runnerLineSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), node: z.string(), v8: z.string(), arch: z.string(), platform: z.string(), pid: z.number() }),
  z.object({ t: z.literal('start'), runId: runIdSchema, index: z.number(), count: z.number() }),
  z.object({
    t: z.literal('progress'),
    runId: runIdSchema,
    phase: z.string(),
    overall: z.number(),
    opsPerSec: z.number().optional(),
    p99Ns: z.number().optional(),
    message: z.string().optional(),
  }),
  z.object({ t: z.literal('run'), runId: runIdSchema, status: runStatusSchema, error: z.string().optional() }),
  z.object({ t: z.literal('bundle'), file: z.literal('bundle.tgz'), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), runIds: z.array(runIdSchema) }),
  z.object({ t: z.literal('error'), message: z.string() }),
])
export type RunnerLine = z.infer<typeof runnerLineSchema>
