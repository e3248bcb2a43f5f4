import { describe, expect, it } from 'vitest'
import {
  describeLivePhase,
  estimateEtaMs,
  expectedPhases,
  formatEta,
  formatRelativeDate,
  formatRunDate,
  stepsToShow,
  stepStates,
  describePass,
} from '../../../../renderer/src/lib/progress.js'

describe('ETA', () => {
  it("prefers the engine's estimate", () => {
    expect(estimateEtaMs({ overall: 0.5, etaMs: 1234 }, 10_000)).toBe(1234)
  })
  it('extrapolates from elapsed time and overall progress otherwise', () => {
    expect(estimateEtaMs({ overall: 0.25 }, 3000)).toBe(9000)
  })
  it('does not guess from too little progress or time', () => {
    expect(estimateEtaMs({ overall: 0.01 }, 3000)).toBeUndefined()
    expect(estimateEtaMs({ overall: 0.5 }, 100)).toBeUndefined()
  })
  it('reads like a person would say it', () => {
    expect(formatEta(undefined)).toBe('estimating…')
    expect(formatEta(400)).toBe('< 1 s left')
    expect(formatEta(12_400)).toBe('12 s left')
    expect(formatEta(125_000)).toBe('2 min 5 s left')
    expect(formatEta(120_000)).toBe('2 min left')
  })
})

describe('phases', () => {
  it('says how and where a finished run stopped', () => {
    expect(describeLivePhase('running', 'warmup')).toBe('Warming up')
    expect(describeLivePhase('ok', 'done')).toBe('Done')
    expect(describeLivePhase('cancelled', 'timing')).toBe('Cancelled while timing')
    expect(describeLivePhase('timeout', 'profiling')).toBe('Timed out while profiling')
    expect(describeLivePhase('failed', 'queued')).toBe('Failed')
  })

  it('leaves out profiling and snapshots a request does not ask for', () => {
    expect(expectedPhases({})).toEqual(['warmup', 'timing', 'checksum', 'saving'])
    expect(expectedPhases({ profile: ['cpu'] })).toEqual(['warmup', 'timing', 'checksum', 'profiling', 'saving'])
    expect(expectedPhases({ profile: ['heap'] })).toEqual(['warmup', 'timing', 'checksum', 'profiling', 'snapshot', 'saving'])
    expect(expectedPhases({ heapSnapshots: ['start'] })).toEqual(['warmup', 'timing', 'checksum', 'snapshot', 'saving'])
    expect(expectedPhases({ profile: ['cpu'], timingPass: false })).toEqual(['warmup', 'checksum', 'profiling', 'saving'])
  })
  it('shows an unexpected phase the engine reports, in its place', () => {
    expect(stepsToShow(['warmup', 'timing', 'saving'], 'snapshot')).toEqual(['warmup', 'timing', 'snapshot', 'saving'])
    expect(stepsToShow(undefined, 'timing')).toEqual(['warmup', 'timing', 'checksum', 'profiling', 'snapshot', 'saving'])
  })
  it('keeps the timing pass done while the profiled pass warms up again', () => {
    const steps = expectedPhases({ profile: ['cpu'] })
    expect(stepStates(steps, 'timing', { name: 'timing', index: 0, count: 2 })).toEqual(['done', 'current', 'todo', 'todo', 'todo'])
    expect(stepStates(steps, 'warmup', { name: 'profiling', index: 1, count: 2 })).toEqual(['current', 'done', 'done', 'todo', 'todo'])
    expect(stepStates(steps, 'profiling', { name: 'profiling', index: 1, count: 2 })).toEqual(['done', 'done', 'done', 'current', 'todo'])
    // A cancelled run keeps the phase it stopped in: nothing after it is ticked.
    expect(stepStates(steps, 'timing')).toEqual(['done', 'current', 'todo', 'todo', 'todo'])
    expect(stepStates(steps, 'done')).toEqual(['done', 'done', 'done', 'done', 'done'])
  })
  it('names the pass of a two-pass run', () => {
    expect(describePass({ name: 'timing', index: 0, count: 2 })).toBe('Timing pass (1 of 2)')
    expect(describePass({ name: 'profiling', index: 1, count: 2 })).toBe('Profiled pass (2 of 2)')
    expect(describePass({ name: 'profiling', index: 0, count: 1 })).toBeNull()
  })
})

describe('dates', () => {
  it('formats relative to now, then as a date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z')
    expect(formatRelativeDate('2026-11-23T11:59:40Z', now)).toBe('just now')
    expect(formatRelativeDate('2026-11-23T11:55:00Z', now)).toBe('5 min ago')
    expect(formatRelativeDate('2026-11-23T09:00:00Z', now)).toBe('3 h ago')
    expect(formatRelativeDate('2026-11-21T12:00:00Z', now)).toBe('2 d ago')
    expect(formatRelativeDate('2026-10-01T12:00:00Z', now)).toBe(formatRunDate('2026-10-01T12:00:00Z'))
    expect(formatRunDate('2026-10-01T12:00:00Z')).toMatch(/^2026-(09|10)-0[12] \d\d:\d\d$/)
  })
  it('passes through text that is not a date', () => {
    expect(formatRunDate('yesterday')).toBe('yesterday')
  })
})
