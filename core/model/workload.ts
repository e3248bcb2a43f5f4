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

/** One side of a parameter rule: the product of its terms, each a numeric parameter's name or a number. */
export const paramRuleSideSchema = z.array(z.union([z.string().min(1), z.number()])).min(1)

/**
 * A rule between parameters that their ranges cannot say, e.g. `{ left: ['exitZ'], op: '<', right: ['entryZ'] }`
 * or `{ left: ['window'], op: '<', right: ['days', 'barsPerDay'] }`. Declared once in the descriptor and
 * checked wherever values are resolved: the Launch form before sending, the engine at launch (resolveParams).
 */
export const paramRuleSchema = z.object({
  left: paramRuleSideSchema,
  op: z.enum(['<', '<=', '>', '>=']),
  right: paramRuleSideSchema,
  /** Why the rule holds, said after the problem: "a position closes below the level it opened at". */
  reason: z.string().optional(),
})
export type ParamRule = z.infer<typeof paramRuleSchema>

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
  /** Rules between numeric parameters (checked after each is in range): see paramRuleSchema. */
  rules: z.array(paramRuleSchema).optional(),
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

/** A broken parameter rule: `param` is the first parameter on its left side, `params` every parameter it names. */
export interface ParamRuleProblem extends ParamProblem {
  params: string[]
}

const RULE_WORDS: Record<ParamRule['op'], string> = { '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least' }

function ruleSideText(side: readonly (string | number)[]): string {
  return side.map(String).join(' × ')
}

/** The rule as a sentence fragment: "exitZ below entryZ", "window below days × barsPerDay". */
export function describeParamRule(rule: ParamRule): string {
  return `${ruleSideText(rule.left)} ${RULE_WORDS[rule.op]} ${ruleSideText(rule.right)}`
}

/** What is wrong with a descriptor's rules: names that are not numeric parameters, sides without any parameter. */
export function paramRuleSpecProblems(descriptor: Pick<WorkloadDescriptor, 'params' | 'rules'>): string[] {
  const problems: string[] = []
  for (const [i, rule] of (descriptor.rules ?? []).entries()) {
    const names = [...rule.left, ...rule.right].filter((t): t is string => typeof t === 'string')
    if (names.length === 0) problems.push(`rules.${i}: names no parameter`)
    for (const name of names) {
      const spec = descriptor.params[name]
      if (!spec) problems.push(`rules.${i}: "${name}" is not a parameter`)
      else if (spec.type !== 'int' && spec.type !== 'number') problems.push(`rules.${i}: "${name}" is not a numeric parameter`)
    }
  }
  return problems
}

/**
 * Checks the descriptor's rules on values that are each valid; a rule naming a value that is missing or not
 * a number is skipped (its own problem is reported by the range check). Never throws.
 */
export function checkParamRules(descriptor: Pick<WorkloadDescriptor, 'rules'>, params: Readonly<ParamValues>): ParamRuleProblem[] {
  const problems: ParamRuleProblem[] = []
  for (const rule of descriptor.rules ?? []) {
    const value = (side: readonly (string | number)[]): number | undefined => {
      let product = 1
      for (const t of side) {
        const v = typeof t === 'number' ? t : params[t]
        if (typeof v !== 'number' || !Number.isFinite(v)) return undefined
        product *= v
      }
      return product
    }
    const left = value(rule.left)
    const right = value(rule.right)
    if (left === undefined || right === undefined) continue
    const holds = rule.op === '<' ? left < right : rule.op === '<=' ? left <= right : rule.op === '>' ? left > right : left >= right
    if (holds) continue
    const names = [...new Set([...rule.left, ...rule.right].filter((t): t is string => typeof t === 'string'))]
    const shown = (side: readonly (string | number)[], v: number): string =>
      side.every((t) => typeof t === 'number') ? String(v) : `${ruleSideText(side)} (${formatRuleValue(v)})`
    problems.push({
      param: names[0] ?? '',
      params: names,
      message: `${shown(rule.left, left)} must be ${RULE_WORDS[rule.op]} ${shown(rule.right, right)}`,
      valid: rule.reason ?? describeParamRule(rule),
    })
  }
  return problems
}

/** 2.5, 1560: products of parameters print without floating-point noise. */
function formatRuleValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)))
}

/**
 * Checks already-typed values (from JSON, IPC or HTTP) against a descriptor and fills defaults.
 * Unknown names and out-of-range values are problems, listed all at once; the descriptor's rules
 * between parameters are checked once every value is in range.
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
  if (problems.length === 0) problems.push(...checkParamRules(descriptor, params))
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params }
}
