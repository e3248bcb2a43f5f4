import { describe, expect, it } from 'vitest'
import { createRunRecord } from '../../../../core/model/run-record.js'
import { RUN_SCHEMA_VERSION, runRecordSchema } from '../../../../core/model/run.js'
import { testEnvironment } from '../../../helpers/make-run.js'

const minimal = {
  id: '20261203T080000000Z-orderbook-naive-a1',
  kind: 'workload' as const,
  createdAt: '2026-12-03T08:00:00.000Z',
  workload: { id: 'orderbook', variant: 'naive', params: {}, seed: 42 },
  measure: { timeoutMs: 60_000 },
  capture: { profile: [], samplingIntervalUs: 1000, heapSnapshots: [], timingPass: false },
  runtime: { path: '/usr/bin/node', node: '20.20.2', v8: '11.3' },
  status: 'ok' as const,
  env: testEnvironment,
}

describe('createRunRecord', () => {
  it('makes a valid record of the current schema from the required fields alone', () => {
    const record = createRunRecord(minimal)
    expect(record.schemaVersion).toBe(RUN_SCHEMA_VERSION)
    expect(runRecordSchema.parse(record)).toEqual(record)
    expect(record).toMatchObject({
      label: 'orderbook naive',
      tags: [],
      notes: '',
      stderrTail: '',
      wallMs: 0,
      timeline: [],
      warnings: [],
      artifacts: [],
    })
    expect(record.exit).toEqual({ code: null, signal: null })
  })

  it('keeps tags once each and leaves out optional fields given as undefined', () => {
    const record = createRunRecord({ ...minimal, tags: ['ci', 'ci', 'nightly'], error: undefined, group: undefined, label: 'mine' })
    expect(record.tags).toEqual(['ci', 'nightly'])
    expect(record.label).toBe('mine')
    expect('error' in record).toBe(false)
    expect('group' in record).toBe(false)
    expect(JSON.parse(JSON.stringify(record))).toEqual(record)
  })
})
