/**
 * Assertions that pass or fail a run: `p99<30us`, `eventsPerSec>=100k`, `heapGrowth<10%`,
 * `fn:rebuildHeap.self<10%`, `component:parse.p99<5us`. Parsing checks the metric name and the unit of
 * the threshold against the metric's kind; evaluation reads the metric from the run's facts.
 */
import type { AssertionOp, AssertionResult } from '../model/load.js'
import { formatBytes } from '../format/bytes.js'
import { formatDuration } from '../format/duration.js'
import { formatCompact, formatSignificant } from '../format/number.js'
import { type AssertionFacts, type MetricRequirement, describeValidMetrics, findMetric } from './metrics.js'
import { type QuantityKind, isQuantityError, parseQuantity } from './units.js'

/** A parsed assertion, ready to evaluate. */
export interface Assertion {
  expr: string
  metric: string
  op: AssertionOp
  /** In the metric's base unit. */
  threshold: number
  thresholdText: string
  kind: QuantityKind
  requires?: MetricRequirement
}

export interface AssertionProblem {
  expr: string
  message: string
  /** Every valid metric, one per line; set when the metric name is the problem. */
  validMetrics?: string
}

/** Parses one expression; never throws. */
export function parseAssertion(text: string): Assertion | AssertionProblem {
  const expr = text.trim()
  const m = /^(.+?)\s*(<=|>=|<|>)\s*(.+)$/.exec(expr)
  if (!m) return { expr, message: `"${text}" is not an assertion; write METRIC<VALUE, e.g. p99<30us or heapGrowth<10%` }
  const metricName = (m[1] as string).trim()
  const op = m[2] as AssertionOp
  const valueText = (m[3] as string).trim()
  if (/[<>=]/.test(valueText)) return { expr, message: `"${text}" has more than one comparison` }
  const spec = findMetric(metricName)
  if (!spec) return { expr, message: `unknown metric "${metricName}" in "${expr}"`, validMetrics: describeValidMetrics() }
  const q = parseQuantity(spec.kind, valueText)
  if (isQuantityError(q)) return { expr, message: `${metricName} is a ${spec.kind}: ${q.error}` }
  return { expr, metric: spec.name, op, threshold: q.value, thresholdText: valueText, kind: spec.kind, ...(spec.requires ? { requires: spec.requires } : {}) }
}

export function isAssertionProblem(x: Assertion | AssertionProblem): x is AssertionProblem {
  return 'message' in x
}

/** Parses every expression; returns the assertions or all the problems at once. */
export function parseAssertions(texts: readonly string[]): { ok: true; assertions: Assertion[] } | { ok: false; problems: AssertionProblem[] } {
  const assertions: Assertion[] = []
  const problems: AssertionProblem[] = []
  for (const t of texts) {
    const a = parseAssertion(t)
    if (isAssertionProblem(a)) problems.push(a)
    else assertions.push(a)
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, assertions }
}

export function compare(measured: number, op: AssertionOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return measured < threshold
    case '<=':
      return measured <= threshold
    case '>':
      return measured > threshold
    case '>=':
      return measured >= threshold
  }
}

/** A value of a kind as text: "41.2 µs", "12.5%", "98.1k/s", "231 MB", "12". */
export function formatQuantity(kind: QuantityKind, value: number): string {
  switch (kind) {
    case 'duration':
      return formatDuration(value)
    case 'percent':
      return `${formatSignificant(value * 100, 3)}%`
    case 'rate':
      return `${formatCompact(value)}/s`
    case 'bytes':
      return formatBytes(value)
    case 'count':
      return formatCompact(value)
  }
}

const REQUIREMENT_TEXT: Record<MetricRequirement, string> = {
  soak: 'run with --soak',
  rate: 'run with --rate',
  cpu: 'no CPU profile was recorded',
  components: 'this workload reports no such component',
}

/** Evaluates one assertion against the facts: a metric the run did not measure fails, and says why. */
export function evaluateAssertion(a: Assertion, facts: AssertionFacts): AssertionResult {
  const spec = findMetric(a.metric)
  const measured = spec?.read(facts)
  const limit = `${a.op} ${formatQuantity(a.kind, a.threshold)}`
  if (measured === undefined || !Number.isFinite(measured)) {
    const why = a.requires ? REQUIREMENT_TEXT[a.requires] : 'not measured in this run'
    return { expr: a.expr, metric: a.metric, op: a.op, threshold: a.threshold, kind: a.kind, pass: false, message: `${a.metric} was not measured (${why}), limit ${limit}: failed` }
  }
  const pass = compare(measured, a.op, a.threshold)
  return {
    expr: a.expr,
    metric: a.metric,
    op: a.op,
    threshold: a.threshold,
    kind: a.kind,
    measured,
    pass,
    message: `${a.metric} = ${formatQuantity(a.kind, measured)}, limit ${limit}: ${pass ? 'passed' : 'failed'}`,
  }
}

export function evaluateAssertions(assertions: readonly Assertion[], facts: AssertionFacts): AssertionResult[] {
  return assertions.map((a) => evaluateAssertion(a, facts))
}

/** Parses and evaluates texts stored with a run (already validated when the run was asked for). */
export function evaluateAssertionTexts(texts: readonly string[], facts: AssertionFacts): AssertionResult[] {
  const parsed = parseAssertions(texts)
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '))
  return evaluateAssertions(parsed.assertions, facts)
}

/** Parses `component=5us` budget flags into ns by component id. */
export function parseBudgets(texts: readonly string[]): { ok: true; budgets: Record<string, number> } | { ok: false; problems: string[] } {
  const budgets: Record<string, number> = {}
  const problems: string[] = []
  for (const t of texts) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(t)
    if (!m) {
      problems.push(`budget "${t}" must look like component=5us`)
      continue
    }
    const q = parseQuantity('duration', m[2] as string)
    if (isQuantityError(q)) problems.push(`budget ${m[1]}: ${q.error}`)
    else budgets[m[1] as string] = q.value
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, budgets }
}
