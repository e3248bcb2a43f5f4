/**
 * Plain-data description of a built-in workload: what the CLI lists, the UI turns into a form,
 * and the harness validates parameters against. No functions here so it crosses IPC unchanged.
 */
import { z } from 'zod'

export const paramSpecSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('int'),
    description: z.string(),
    default: z.number().int(),
    min: z.number().int(),
    max: z.number().int(),
    unit: z.string().optional(),
  }),
  z.object({
    type: z.literal('number'),
    description: z.string(),
    default: z.number(),
    min: z.number(),
    max: z.number(),
    unit: z.string().optional(),
  }),
  z.object({
    type: z.literal('enum'),
    description: z.string(),
    default: z.string(),
    values: z.array(z.string()).min(1),
  }),
  z.object({
    type: z.literal('boolean'),
    description: z.string(),
    default: z.boolean(),
  }),
])
export type ParamSpec = z.infer<typeof paramSpecSchema>

/** The role a variant plays in a before/after comparison. */
export const variantRoleSchema = z.enum(['naive', 'optimized', 'leaky', 'alternative'])
export type VariantRole = z.infer<typeof variantRoleSchema>

export const variantInfoSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string(),
  description: z.string(),
  role: variantRoleSchema,
})
export type VariantInfo = z.infer<typeof variantInfoSchema>

export const workloadDescriptorSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string(),
  description: z.string(),
  /** What one measured operation is, e.g. "one L2 level update". Latency is reported per operation. */
  operation: z.string(),
  variants: z.array(variantInfoSchema).min(2),
  /** The variant used when none is named: by convention the naive one. */
  defaultVariant: z.string(),
  params: z.record(z.string(), paramSpecSchema),
  /** The figure the seed reports published for this workload: context for benchmarks, never a test threshold. */
  figureToBeat: z.string(),
  /** Set for a workload file (`hotpath run ./bench/x.bench.ts`): its path, as given or found under the workloads folder. */
  file: z.string().optional(),
  /** The domain unit runs report throughput in besides ops/s, plural: events, orders, symbols, messages, bytes. */
  unit: z.string().regex(/^[a-z]+$/).optional(),
  /**
   * Present when the operation is a request or an event, so `--rate` can offer it at a fixed arrival rate:
   * what one request is, and the parameter that sets operations per iteration (set to its minimum under --rate
   * unless given, so a request is as small as the workload allows).
   */
  openLoop: z.object({ request: z.string(), batchParam: z.string().optional() }).optional(),
  /** Stages the workload times separately, with their default latency budget per operation (ns). */
  components: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]+$/), title: z.string(), budgetNs: z.number().positive().optional() })).optional(),
  /** Bytes of memory one unit of a size parameter needs, to refuse sizes the heap limit cannot hold before starting. */
  memoryEstimate: z.object({ baseBytes: z.number(), perParam: z.record(z.string(), z.number()) }).optional(),
})
export type WorkloadDescriptor = z.infer<typeof workloadDescriptorSchema>

export type ParamValue = number | string | boolean
export type ParamValues = Record<string, ParamValue>

export const paramValuesSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]))

/** Why a set of parameter values was refused; `valid` lists what would have been accepted. */
export interface ParamProblem {
  param: string
  message: string
  valid: string
}

/** Describes what values a parameter accepts, for error messages and form hints. */
export function describeParamRange(spec: ParamSpec): string {
  switch (spec.type) {
    case 'int':
      return `an integer from ${spec.min} to ${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`
    case 'number':
      return `a number from ${spec.min} to ${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`
    case 'enum':
      return `one of ${spec.values.join(', ')}`
    case 'boolean':
      return 'true or false'
  }
}

/**
 * Parses one textual value (from `--param k=v` or a form field) against its spec.
 * Returns the typed value or a problem; never throws.
 */
export function parseParamValue(name: string, spec: ParamSpec, text: string): ParamValue | ParamProblem {
  const valid = describeParamRange(spec)
  const bad = (message: string): ParamProblem => ({ param: name, message, valid })
  const trimmed = text.trim()
  switch (spec.type) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(trimmed.replace(/_/g, ''))) return bad(`"${text}" is not an integer`)
      return checkRange(name, spec, Number(trimmed.replace(/_/g, '')))
    }
    case 'number': {
      const n = Number(trimmed.replace(/_/g, ''))
      if (trimmed === '' || !Number.isFinite(n)) return bad(`"${text}" is not a number`)
      return checkRange(name, spec, n)
    }
    case 'enum':
      return spec.values.includes(trimmed) ? trimmed : bad(`"${text}" is not a known value`)
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(trimmed)) return true
      if (/^(false|0|no|off)$/i.test(trimmed)) return false
      return bad(`"${text}" is not a boolean`)
  }
}

function checkRange(name: string, spec: ParamSpec & { min: number; max: number }, n: number): ParamValue | ParamProblem {
  if (n < spec.min || n > spec.max) {
    return { param: name, message: `${n} is out of range`, valid: describeParamRange(spec) }
  }
  return n
}

export function isParamProblem(x: ParamValue | ParamProblem): x is ParamProblem {
  return typeof x === 'object' && x !== null && 'message' in x
}

/**
 * Checks already-typed values (from JSON, IPC or HTTP) against a descriptor and fills defaults.
 * Unknown names and out-of-range values are problems, listed all at once.
 */
export function resolveParams(
  descriptor: WorkloadDescriptor,
  given: ParamValues,
): { ok: true; params: ParamValues } | { ok: false; problems: ParamProblem[] } {
  const problems: ParamProblem[] = []
  const params: ParamValues = {}
  for (const name of Object.keys(given)) {
    if (!(name in descriptor.params)) {
      problems.push({
        param: name,
        message: `unknown parameter for workload ${descriptor.id}`,
        valid: `one of ${Object.keys(descriptor.params).join(', ') || '(none)'}`,
      })
    }
  }
  for (const [name, spec] of Object.entries(descriptor.params)) {
    const value = given[name]
    if (value === undefined) {
      params[name] = spec.default
      continue
    }
    const parsed = parseParamValue(name, spec, String(value))
    if (isParamProblem(parsed)) problems.push(parsed)
    else params[name] = parsed
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params }
}
