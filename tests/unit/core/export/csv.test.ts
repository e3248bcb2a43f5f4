import { describe, expect, it } from 'vitest'
import { comparisonCsvRows, csvExporter, csvField, toCsv } from '../../../../core/export/csv.js'
import { BASELINE_ID, CANDIDATE_ID, makeReportInput } from './report-fixture.js'

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
    [12.5, '12.5'],
    [-3, '-3'],
    [Number.NaN, ''],
    [null, ''],
    [undefined, ''],
    [true, 'true'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['-flag', "'-flag"],
    ['@sum', "'@sum"],
  ])('%j → %s', (value, text) => {
    expect(csvField(value)).toBe(text)
  })

  it('ends every record with CRLF', () => {
    expect(toCsv([['a', 'b'], [1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n')
  })
})

describe('csvExporter', () => {
  it('writes one row per run with the headline ratio against the baseline', () => {
    const input = makeReportInput()
    const rows = comparisonCsvRows(input)
    expect(rows).toHaveLength(3)
    const header = rows[0]!
    const col = (name: string) => header.indexOf(name)
    expect(header.slice(0, 3)).toEqual(['id', 'label', 'workload.id'])
    expect(rows[1]![col('id')]).toBe(BASELINE_ID)
    expect(rows[1]![col('vsBaseline.verdict')]).toBe('baseline')
    expect(rows[2]![col('id')]).toBe(CANDIDATE_ID)
    expect(rows[2]![col('vsBaseline.metric')]).toBe('opsPerSec')
    expect(rows[2]![col('vsBaseline.verdict')]).toBe('regressed')
    expect(rows[2]![col('metrics.opsPerSec')]).toBe(input.runs[1]!.metrics!.opsPerSec)
    expect(rows[2]![col('workload.params')]).toBe('levels=500')

    const text = csvExporter.serialize(input)
    const lines = text.split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[3]).toBe('')
    // The label with a pipe and quotes is quoted and its quotes doubled.
    expect(lines[2]).toContain('"sorted | <script>alert(""x"")</script>"')
    expect(lines[0]!.split(',')).toHaveLength(header.length)
  })
})
