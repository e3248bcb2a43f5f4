/**
 * The launch form as data: a draft of text fields made from a workload descriptor, and its validation
 * into a RunRequest. Parameters are checked with parseParamValue and the descriptor's rules between
 * them (checkParamRules: what resolveParams applies in the engine) and the whole request with
 * runRequestSchema, so the form refuses exactly what the engine would. A parameter given several values
 * ("1, 2, 4") makes the launch a sweep: one run per value (per combination), checked run by run.
 */
import { type RunRequest, runRequestSchema } from '../../../../core/api/schemas.js'
import { parseAssertions } from '../../../../core/assert/assertion.js'
import { formatInteger } from '../../../../core/format/number.js'
import type { ProfileKind } from '../../../../core/model/run.js'
import {
  type ParamSpec,
  type ParamValues,
  type WorkloadDescriptor,
  checkParamRules,
  describeParamRange,
  isParamProblem,
  parseParamValue,
} from '../../../../core/model/workload.js'
import { type SweepAxis, expandSweep, splitSweepValues, sweepSetLabel } from '../../../../core/model/sweep.js'
import { DEFAULT_SAMPLING_INTERVAL_US } from '../../../../core/model/run-layout.js'

export type MeasureMode = 'duration' | 'iterations'
export type WarmupMode = 'time' | 'iterations'

/** Everything the form holds, as typed (text), so a half-typed value is never lost. */
export interface LaunchDraft {
  workload: string
  variant: string
  params: Record<string, string>
  /** Empty: the engine's default seed. */
  seed: string
  measure: MeasureMode
  durationS: string
  iterations: string
  warmupMode: WarmupMode
  /** Seconds when warmupMode is "time", iterations otherwise. Empty: the engine's default warm-up. */
  warmup: string
  /** Empty: the engine's default timeout. */
  timeoutS: string
  profile: ProfileKind[]
  samplingIntervalUs: string
  heapStart: boolean
  heapEnd: boolean
  /** Path of another Node binary; empty: the one running Hotpath. */
  runtime: string
  label: string
  /** Comma-separated. */
  tags: string
  /** Assertions that pass or fail the run, e.g. "p99<30us; heapGrowth<10%" (semicolons or new lines). */
  assertions?: string
}

/** Field keys of validation messages: "param.<name>" for parameters, else the draft field name. */
export type DraftField = `param.${string}` | Exclude<keyof LaunchDraft, 'params'> | 'request'
export type DraftErrors = Partial<Record<DraftField, string>>

export interface DraftValidation {
  /** The request to send, or null while any field is invalid. For a sweep, without the swept parameters. */
  request: RunRequest | null
  errors: DraftErrors
  /** The swept parameters when some are given several values ("1, 2, 4"), and how many runs that makes. */
  sweep: { axes: SweepAxis[]; runs: number } | null
}

export const PROFILE_KINDS: readonly { kind: ProfileKind; label: string; hint: string }[] = [
  { kind: 'cpu', label: 'CPU profile', hint: 'V8 sampling profiler over the measured window' },
  { kind: 'heap', label: 'Heap snapshot', hint: 'a heap snapshot at the end of the run' },
  { kind: 'alloc', label: 'Allocations', hint: 'sampling heap profiler (allocation flame graph)' },
  { kind: '0x', label: '0x flame graph', hint: "0x's flamegraph in a separate pass" },
]

/** The text a parameter's input starts with: its default. */
export function defaultParamText(spec: ParamSpec): string {
  return String(spec.default)
}

export function createDraft(descriptor: WorkloadDescriptor): LaunchDraft {
  const params: Record<string, string> = {}
  for (const [name, spec] of Object.entries(descriptor.params)) params[name] = defaultParamText(spec)
  return {
    workload: descriptor.id,
    variant: descriptor.defaultVariant,
    params,
    seed: '',
    measure: 'duration',
    // The CLI's defaults (--duration 3s, --warmup 500ms), so both front doors measure alike.
    durationS: '3',
    iterations: '1000',
    warmupMode: 'time',
    warmup: '0.5',
    timeoutS: '',
    profile: ['cpu'],
    samplingIntervalUs: String(DEFAULT_SAMPLING_INTERVAL_US),
    heapStart: false,
    heapEnd: false,
    runtime: '',
    label: '',
    tags: '',
  }
}

/** "a, b  c" -> ["a", "b", "c"]: commas or whitespace separate tags; duplicates dropped. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ]
}

/** A problem with a parameter as the form shows it: what is wrong, then what is accepted. */
export function paramErrorText(problem: { message: string; valid: string }): string {
  return `${problem.message}: expected ${problem.valid}`
}

/** The hint under a parameter input: its range and default. */
export function paramHint(spec: ParamSpec): string {
  return `${describeParamRange(spec)}; default ${String(spec.default)}`
}

type NumberParse = { ok: true; value: number | undefined } | { ok: false; message: string }

/** Parses an optional number field; empty means "use the default" (undefined). */
function parseOptionalNumber(text: string, what: string, integer: boolean): NumberParse {
  const t = text.trim().replace(/_/g, '')
  if (t === '') return { ok: true, value: undefined }
  const n = Number(t)
  if (!Number.isFinite(n)) return { ok: false, message: `"${text}" is not a number: enter ${what}` }
  if (integer && !Number.isInteger(n)) return { ok: false, message: `"${text}" is not a whole number: enter ${what}` }
  return { ok: true, value: n }
}

/** Which draft field a request key comes from, and the factor from the request's unit back to the form's. */
const REQUEST_FIELDS: Record<string, { field: DraftField; toForm: number; unit: string }> = {
  seed: { field: 'seed', toForm: 1, unit: '' },
  durationMs: { field: 'durationS', toForm: 1 / 1000, unit: ' s' },
  iterations: { field: 'iterations', toForm: 1, unit: '' },
  warmupMs: { field: 'warmup', toForm: 1 / 1000, unit: ' s' },
  warmupIterations: { field: 'warmup', toForm: 1, unit: '' },
  timeoutMs: { field: 'timeoutS', toForm: 1 / 1000, unit: ' s' },
  samplingIntervalUs: { field: 'samplingIntervalUs', toForm: 1, unit: ' µs' },
  label: { field: 'label', toForm: 1, unit: '' },
  tags: { field: 'tags', toForm: 1, unit: '' },
  runtime: { field: 'runtime', toForm: 1, unit: '' },
  assert: { field: 'assertions', toForm: 1, unit: '' },
  variant: { field: 'variant', toForm: 1, unit: '' },
}

interface SchemaIssue {
  path: PropertyKey[]
  message: string
  code?: string
  minimum?: number | bigint
  maximum?: number | bigint
  inclusive?: boolean
}

/** Rewrites a schema issue in the form's units ("at most 3600 s" rather than "<=3600000"). */
function describeIssue(issue: SchemaIssue, field: { toForm: number; unit: string }): string {
  const scale = (v: number | bigint): string => {
    const n = Number(v) * field.toForm
    return `${Number.isInteger(n) ? formatInteger(n) : String(Number(n.toPrecision(6)))}${field.unit}`
  }
  if (issue.code === 'too_big' && issue.maximum !== undefined) {
    return issue.inclusive === false ? `must be less than ${scale(issue.maximum)}` : `must be at most ${scale(issue.maximum)}`
  }
  if (issue.code === 'too_small' && issue.minimum !== undefined) {
    return issue.inclusive === false ? `must be more than ${scale(issue.minimum)}` : `must be at least ${scale(issue.minimum)}`
  }
  return issue.message
}

/** Validates every field and builds the request; all problems are reported at once. */
export function validateDraft(descriptor: WorkloadDescriptor, draft: LaunchDraft): DraftValidation {
  const errors: DraftErrors = {}
  if (!descriptor.variants.some((v) => v.id === draft.variant)) {
    errors.variant = `choose one of ${descriptor.variants.map((v) => v.id).join(', ')}`
  }
  const params: ParamValues = {}
  const axes: SweepAxis[] = []
  for (const [name, spec] of Object.entries(descriptor.params)) {
    const texts = splitSweepValues(draft.params[name] ?? defaultParamText(spec))
    const values: ParamValues[string][] = []
    for (const text of texts) {
      const parsed = parseParamValue(name, spec, text)
      if (isParamProblem(parsed)) {
        errors[`param.${name}`] ??= paramErrorText(parsed)
        continue
      }
      if (!values.includes(parsed)) values.push(parsed)
    }
    if (texts.length === 0) errors[`param.${name}`] = `enter a value: ${describeParamRange(spec)}`
    if (values.length > 1) axes.push({ param: name, values })
    else if (values[0] !== undefined) params[name] = values[0]
  }
  let sweep: DraftValidation['sweep'] = null
  if (axes.length > 0) {
    const expanded = expandSweep(axes)
    if (!expanded.ok) for (const a of axes) errors[`param.${a.param}`] ??= expanded.message
    else sweep = { axes, runs: expanded.sets.length }
  }
  // The descriptor's rules between parameters, on every run the launch makes (the first broken run is shown).
  if (!Object.keys(errors).some((k) => k.startsWith('param.'))) {
    for (const set of sweep ? expandSweepSets(sweep.axes) : [{}]) {
      const problems = checkParamRules(descriptor, { ...params, ...set })
      const at = Object.keys(set).length > 0 ? ` (in the run with ${sweepSetLabel(set)})` : ''
      for (const p of problems) for (const name of p.params) errors[`param.${name}`] ??= `${p.message}: ${p.valid}${at}`
      if (problems.length > 0) break
    }
  }
  // A workload file runs by its path under the workloads folder; a built-in by its id.
  const request: RunRequest = { workload: descriptor.file ?? descriptor.id, variant: draft.variant, params }
  const number = (field: DraftField, text: string, what: string, integer: boolean, scale: number, assign: (v: number) => void): void => {
    const r = parseOptionalNumber(text, what, integer)
    if (!r.ok) errors[field] = r.message
    else if (r.value !== undefined) assign(r.value * scale)
  }
  number('seed', draft.seed, 'a whole number from 0 to 4294967295', true, 1, (v) => (request.seed = v))
  if (draft.measure === 'duration') {
    if (draft.durationS.trim() === '') errors.durationS = 'enter how long to measure, in seconds'
    // Rounded to whole ms: 0.1 s * 1000 is 100.00000000000001 in floating point.
    else
      number('durationS', draft.durationS, 'seconds, e.g. 5 or 0.5', false, 1000, (v) => (request.durationMs = Math.round(v * 1000) / 1000))
  } else {
    if (draft.iterations.trim() === '') errors.iterations = 'enter how many iterations to measure'
    else number('iterations', draft.iterations, 'a whole number of iterations', true, 1, (v) => (request.iterations = v))
  }
  if (draft.warmupMode === 'time')
    number('warmup', draft.warmup, 'seconds, e.g. 1', false, 1000, (v) => (request.warmupMs = Math.round(v * 1000) / 1000))
  else number('warmup', draft.warmup, 'a whole number of iterations', true, 1, (v) => (request.warmupIterations = v))
  number('timeoutS', draft.timeoutS, 'seconds', false, 1000, (v) => (request.timeoutMs = Math.round(v * 1000) / 1000))
  if (draft.profile.length > 0) request.profile = [...draft.profile]
  if (draft.profile.includes('cpu')) {
    number('samplingIntervalUs', draft.samplingIntervalUs, 'microseconds, e.g. 1000', true, 1, (v) => (request.samplingIntervalUs = v))
  }
  const snapshots = [...(draft.heapStart ? (['start'] as const) : []), ...(draft.heapEnd ? (['end'] as const) : [])]
  if (snapshots.length > 0) request.heapSnapshots = snapshots
  if (draft.runtime.trim() !== '') request.runtime = draft.runtime.trim()
  if (draft.label.trim() !== '') request.label = draft.label.trim()
  const tags = parseTags(draft.tags)
  if (tags.length > 0) request.tags = tags
  const assertTexts = (draft.assertions ?? '').split(/[;\n]/).map((t) => t.trim()).filter(Boolean)
  if (assertTexts.length > 0) {
    const parsed = parseAssertions(assertTexts)
    if (!parsed.ok) errors.assertions = parsed.problems.map((p) => p.message).join('; ')
    else request.assert = assertTexts
  }

  const checked = runRequestSchema.safeParse(request)
  if (!checked.success) {
    for (const issue of checked.error.issues as SchemaIssue[]) {
      const key = String(issue.path[0] ?? '')
      const target = REQUEST_FIELDS[key]
      if (key === 'params') {
        const name = String(issue.path[1] ?? '')
        errors[`param.${name}`] ??= issue.message
      } else if (target) {
        errors[target.field] ??= key === 'tags' ? `each tag is 1 to 60 characters, at most 50 tags` : describeIssue(issue, target)
      } else {
        errors.request ??= `${issue.path.join('.') || 'request'}: ${issue.message}`
      }
    }
  }
  return Object.keys(errors).length > 0
    ? { request: null, errors, sweep }
    : { request: checked.success ? checked.data : null, errors, sweep }
}

function expandSweepSets(axes: readonly SweepAxis[]): Record<string, ParamValues[string]>[] {
  const expanded = expandSweep(axes)
  return expanded.ok ? expanded.sets : []
}

/**
 * Places the engine's error issues ("params.levels: 5 is out of range (valid: …)", "0.durationMs: …")
 * next to the fields they are about; issues it cannot place go under "request".
 */
export function mapServerIssues(issues: readonly string[]): DraftErrors {
  const errors: DraftErrors = {}
  for (const issue of issues) {
    const m = /^([A-Za-z0-9_.]+):\s*(.*)$/s.exec(issue)
    // Argument-level issues carry the tuple index first ("0.durationMs: …" for startRun's one argument).
    const path = (m?.[1] ?? '').replace(/^0\./, '')
    const text = m?.[2] ?? issue
    if (path.startsWith('params.')) {
      errors[`param.${path.slice('params.'.length)}`] ??= text
      continue
    }
    const target = REQUEST_FIELDS[path]
    if (target) errors[target.field] ??= text
    else errors.request = errors.request ? `${errors.request}; ${issue}` : issue
  }
  return errors
}

/**
 * Keeps "Heap snapshot" and its "at start"/"at end" boxes telling the same story: the heap capture takes
 * the snapshots that are ticked, and with none ticked there is no heap capture. Ticking the capture ticks
 * "at end" (the engine's default); ticking a snapshot box ticks the capture; unticking the last box, or
 * the capture, clears both. Returns the patch to apply.
 */
export function coherentCapturePatch(
  draft: Pick<LaunchDraft, 'profile' | 'heapStart' | 'heapEnd'>,
  patch: Partial<Pick<LaunchDraft, 'profile' | 'heapStart' | 'heapEnd'>>,
): Partial<Pick<LaunchDraft, 'profile' | 'heapStart' | 'heapEnd'>> {
  const next = { ...draft, ...patch }
  const hadHeap = draft.profile.includes('heap')
  const hasHeap = next.profile.includes('heap')
  if (patch.profile !== undefined && hasHeap !== hadHeap) {
    return hasHeap
      ? { profile: next.profile, heapStart: next.heapStart, heapEnd: next.heapStart || next.heapEnd ? next.heapEnd : true }
      : { profile: next.profile, heapStart: false, heapEnd: false }
  }
  if (patch.heapStart !== undefined || patch.heapEnd !== undefined) {
    const any = next.heapStart || next.heapEnd
    const profile = any ? (hasHeap ? next.profile : [...next.profile, 'heap' as const]) : next.profile.filter((k) => k !== 'heap')
    return { profile, heapStart: next.heapStart, heapEnd: next.heapEnd }
  }
  return patch
}
