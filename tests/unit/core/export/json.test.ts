import { describe, expect, it } from 'vitest'
import { COMPARISON_JSON_FORMAT, jsonExporter, toComparisonDocument } from '../../../../core/export/json.js'
import { describeWarning } from '../../../../core/stats/warnings.js'
import { CANDIDATE_ID, makeReportInput } from './report-fixture.js'

describe('jsonExporter', () => {
  it('is lossless: parsing gives back every field of the comparison', () => {
    const input = makeReportInput()
    const doc = JSON.parse(jsonExporter.serialize(input)) as ReturnType<typeof toComparisonDocument>
    const strip = <T extends object>(w: T) => {
      const { severity: _s, message: _m, ...rest } = w as T & { severity: unknown; message: unknown }
      return rest
    }
    const c = input.comparison
    expect(doc.format).toBe(COMPARISON_JSON_FORMAT)
    expect(doc.baseline).toBe(c.baseline)
    expect(doc.runs).toEqual(c.runs)
    expect(doc.settings).toEqual(c.settings)
    expect(doc.relativeSpeeds).toEqual(c.relativeSpeeds)
    expect(doc.environmentDiff).toEqual(c.environmentDiff)
    expect(doc.warnings.map(strip)).toEqual(c.warnings)
    expect(doc.candidates.map((x) => ({ id: x.id, pairing: x.pairing, metrics: x.metrics, warnings: x.warnings.map(strip) }))).toEqual(c.candidates)
    expect(doc.candidates[0]!.functions).toEqual(input.functionChanges![CANDIDATE_ID])
  })

  it('has the contract shape: metrics[] of {name, baseline, candidate, ratio, ciLow, ciHigh, verdict}, texts on warnings', () => {
    const doc = toComparisonDocument(makeReportInput())
    const ops = doc.candidates[0]!.metrics.find((m) => m.name === 'opsPerSec')!
    expect(Object.keys(ops)).toEqual(expect.arrayContaining(['name', 'baseline', 'candidate', 'ratio', 'ciLow', 'ciHigh', 'verdict']))
    expect(ops.ratio).toBeCloseTo(ops.candidate! / ops.baseline!, 12)
    const w = doc.warnings.find((x) => x.kind === 'different-runtimes')!
    expect(w.message).toBe(describeWarning(w))
    expect(w.severity).toBe('warning')
    expect(doc.gate!.tripped).toBe(true)
    expect(doc.gate!.reasons[0]!.message).toMatch(/opsPerSec changed -1\d\.\d%/)
  })

  it('writes non-finite numbers as null', () => {
    const input = makeReportInput()
    input.comparison.relativeSpeeds[0]!.ratio = Number.POSITIVE_INFINITY
    expect(JSON.parse(jsonExporter.serialize(input)).relativeSpeeds[0].ratio).toBeNull()
  })
})
