import { describe, expect, it } from 'vitest'
import { createLiveTimelines, createSeriesBuffer, hasValues, seriesFromTimeline } from '../../../../renderer/src/lib/series-buffer.js'

const sample = (tMs: number, extra: Record<string, number> = {}) => ({
  tMs,
  cpuUserPct: 90,
  cpuSystemPct: 5,
  rssBytes: 1000 + tMs,
  ...extra,
})

describe('series buffer', () => {
  it('keeps aligned columns in seconds, CPU as user + system', () => {
    const b = createSeriesBuffer(10)
    b.push(sample(0))
    b.push(sample(250, { opsPerSec: 1e6 }))
    expect(b.t).toEqual([0, 0.25])
    expect(b.columns.cpuPct).toEqual([95, 95])
    expect(b.columns.rssBytes).toEqual([1000, 1250])
    expect(b.columns.heapUsedBytes).toEqual([null, null])
    expect(b.columns.opsPerSec).toEqual([null, 1e6])
  })

  it('changes version on every accepted sample only', () => {
    const b = createSeriesBuffer(10)
    const v0 = b.version
    b.push(sample(100))
    expect(b.version).toBe(v0 + 1)
    // An older sample (after a reconnect) would make x go backwards; uPlot needs ascending x.
    b.push(sample(50))
    expect(b.version).toBe(v0 + 1)
    expect(b.length).toBe(1)
  })

  it('halves the resolution instead of dropping history when full', () => {
    const b = createSeriesBuffer(8)
    for (let i = 0; i < 9; i++) b.push(sample(i * 100))
    // 8 points decimated to 4 (0, 200, 400, 600), then the 9th appended.
    expect(b.t).toEqual([0, 0.2, 0.4, 0.6, 0.8])
    expect(b.columns.rssBytes).toEqual([1000, 1200, 1400, 1600, 1800])
    for (let i = 9; i < 100; i++) b.push(sample(i * 100))
    expect(b.length).toBeLessThanOrEqual(8)
    expect(b.t[0]).toBe(0)
    expect(b.t[b.length - 1]).toBe(9.9)
  })

  it('treats an RSS of 0 (read after the process exited) as missing', () => {
    const b = createSeriesBuffer(10)
    b.push(sample(0))
    b.push({ tMs: 100, rssBytes: 0, heapUsedBytes: 0 })
    expect(b.columns.rssBytes).toEqual([1000, null])
    expect(b.columns.heapUsedBytes).toEqual([null, 0])
  })

  it('builds from a stored timeline in time order', () => {
    const b = seriesFromTimeline([sample(200), sample(0), sample(100)])
    expect(b.t).toEqual([0, 0.1, 0.2])
    expect(hasValues(b.columns.cpuPct)).toBe(true)
    expect(hasValues(b.columns.heapUsedBytes)).toBe(false)
  })

  it('keeps one buffer per live run', () => {
    const live = createLiveTimelines()
    live.push('20261123T070000000Z-a-1', sample(0))
    live.push('20261123T070000000Z-a-1', sample(100))
    live.push('20261123T070000000Z-b-2', sample(0))
    expect(live.get('20261123T070000000Z-a-1')?.length).toBe(2)
    expect(live.get('20261123T070000000Z-b-2')?.length).toBe(1)
    live.delete('20261123T070000000Z-a-1')
    expect(live.get('20261123T070000000Z-a-1')).toBeUndefined()
  })
})
