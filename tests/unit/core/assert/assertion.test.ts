import { describe, expect, it } from 'vitest'
import { evaluateAssertion, isAssertionProblem, parseAssertion, parseAssertions, parseBudgets } from '../../../../core/assert/assertion.js'
import type { AssertionFacts } from '../../../../core/assert/metrics.js'
import { isQuantityError, parseQuantity } from '../../../../core/assert/units.js'
import type { RunMetrics } from '../../../../core/model/run.js'

describe('parseQuantity', () => {
  it.each([
    ['duration', '30us', 30_000],
    ['duration', '30µs', 30_000],
    ['duration', '1.5ms', 1_500_000],
    ['duration', '1s', 1e9],
    ['duration', '1ns', 1],
    ['percent', '10%', 0.1],
    ['rate', '100k', 100_000],
    ['rate', '10k/s', 10_000],
    ['rate', '1.5M', 1_500_000],
    ['bytes', '512MB', 512 * 1024 ** 2],
    ['count', '50', 50],
  ] as const)('%s %s', (kind, text, value) => {
    const q = parseQuantity(kind, text)
    expect(isQuantityError(q)).toBe(false)
    expect((q as { value: number }).value).toBeCloseTo(value, 6)
  })
  it.each([
    ['duration', '30', /no unit/],
    ['duration', '30 parsecs', /not a number with a unit|not a time unit/],
    ['percent', '10', /no unit/],
    ['bytes', '12', /no unit/],
    ['rate', '10x', /not a suffix/],
  ] as const)('refuses %s "%s"', (kind, text, message) => {
    const q = parseQuantity(kind, text)
    expect(isQuantityError(q) && q.error).toMatch(message)
  })
})

describe('parseAssertion', () => {
  it('parses the metrics of the issue, with units', () => {
    for (const text of ['p99<30us', 'opsPerSec>=100k', 'eventsPerSec>=100k', 'heapGrowth<10%', 'rssGrowth<10%', 'gcPauseMs<50ms', 'eventLoopDelayP99<10ms', 'fn:rebuildHeap.self<10%', 'component:parse.p99<5us', 'p99.9 < 2ms']) {
      const a = parseAssertion(text)
      expect(isAssertionProblem(a), text).toBe(false)
    }
    expect(parseAssertion('fn:rebuildHeap.self<10%')).toMatchObject({ metric: 'fn:rebuildHeap.self', op: '<', threshold: 0.1, kind: 'percent', requires: 'cpu' })
    expect(parseAssertion('component:parse.p99<5us')).toMatchObject({ metric: 'component:parse.p99', threshold: 5000, requires: 'components' })
    expect(parseAssertion('p99.9 < 2ms')).toMatchObject({ metric: 'p999', threshold: 2e6 })
  })
  it('names unknown metrics and lists the valid ones', () => {
    const a = parseAssertion('p98<1ms')
    expect(isAssertionProblem(a) && a.message).toMatch(/unknown metric "p98"/)
    expect(isAssertionProblem(a) && a.validMetrics).toMatch(/heapGrowth/)
  })
  it('refuses a missing unit and malformed expressions', () => {
    expect(isAssertionProblem(parseAssertion('p99<30'))).toBe(true)
    expect((parseAssertion('p99<30') as { message: string }).message).toMatch(/duration.*no unit/)
    expect(isAssertionProblem(parseAssertion('p99 30us'))).toBe(true)
    expect(isAssertionProblem(parseAssertion('p99<1ms<2ms'))).toBe(true)
    const all = parseAssertions(['p99<1ms', 'nope<1', 'heapGrowth<10'])
    expect(all.ok).toBe(false)
    expect(!all.ok && all.problems).toHaveLength(2)
  })
  it('parses budgets', () => {
    expect(parseBudgets(['parse=5us', 'apply = 1ms'])).toEqual({ ok: true, budgets: { parse: 5000, apply: 1e6 } })
    expect(parseBudgets(['parse'])).toMatchObject({ ok: false })
    expect(parseBudgets(['parse=5'])).toMatchObject({ ok: false })
  })
})

const metrics: RunMetrics = {
  opsPerSec: 12_000,
  iterations: 100,
  operations: 100,
  opsPerIteration: 1,
  batched: false,
  measuredMs: 1000,
  warmupIterations: 1,
  latencyNs: { mean: 80_000, stddev: 1, min: 10_000, p50: 13_000, p90: 15_000, p95: 42_500, p99: 77_800, p999: 18_100_000, max: 91_200_000 },
  outliers: { low: 0, high: 0 },
  gc: { count: 6, pauseMs: 191.5, major: 0, minor: 6 },
  peakRssBytes: 84e6,
  peakHeapUsedBytes: 17e6,
  cpu: { userMs: 1, systemMs: 1 },
  eventLoopUtilization: 1,
}

describe('evaluateAssertion', () => {
  const facts: AssertionFacts = { metrics, throughput: { unit: 'events', perOperation: 1, perSec: 12_000 } }
  const evalText = (t: string) => evaluateAssertion(parseAssertion(t) as Exclude<ReturnType<typeof parseAssertion>, { message: string }>, facts)
  it('p99<1ns fails and p99<1s passes, with the measured value', () => {
    expect(evalText('p99<1ns')).toMatchObject({ pass: false, measured: 77_800 })
    expect(evalText('p99<1s')).toMatchObject({ pass: true, measured: 77_800 })
    expect(evalText('p99<1s').message).toBe('p99 = 77.8 µs, limit < 1.00 s: passed')
  })
  it('reads domain-unit throughput and GC pause in their units', () => {
    expect(evalText('eventsPerSec>=10k').pass).toBe(true)
    expect(evalText('eventsPerSec>=100k').pass).toBe(false)
    expect(evalText('gcPauseMs<50ms')).toMatchObject({ pass: false, measured: 191.5e6 })
  })
  it('fails a metric the run did not measure, and says why', () => {
    const r = evalText('heapGrowth<10%')
    expect(r.pass).toBe(false)
    expect(r.measured).toBeUndefined()
    expect(r.message).toMatch(/not measured \(run with --soak\)/)
  })
  it('uses the achieved rate under open-loop load', () => {
    const load = { arrivals: 'constant' as const, offeredOpsPerSec: 100_000, opsPerRequest: 1, achievedOpsPerSec: 41_000, arrived: 300_000, completed: 123_000, backlogAtEnd: 177_000, maxBacklog: 177_000, keptUp: false, serviceNs: { mean: 1, p50: 1, p90: 1, p99: 1, p999: 1, max: 1 }, backlog: [] }
    const r = evaluateAssertion(parseAssertion('opsPerSec>=100k') as never, { metrics, load })
    expect(r).toMatchObject({ pass: false, measured: 41_000 })
  })
})
