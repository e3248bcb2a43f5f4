import { describe, expect, it } from 'vitest'
import { buildTrend, type TrendPoint } from '../../../../core/analysis/trend.js'
import type { RunSummary } from '../../../../core/model/run.js'
import { buildTrendChart, changeLabel, indexAt, MAX_DOTS, niceTicks, placeChangeLabel, xOf, type ChartBox } from '../../../../renderer/src/features/trend/trend-chart.js'

const box: ChartBox = { width: 600, height: 300, padLeft: 70, padRight: 10, padTop: 40, padBottom: 30 }
const point = (i: number, value: number, extra: Partial<TrendPoint> = {}): TrendPoint => ({
  key: `c${i}`,
  time: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
  dirty: false,
  value,
  runIds: [`r${i}`],
  ...extra,
})

const summary = (i: number, meanNs: number, commit: string): RunSummary => ({
  id: `20260101T0000${String(i).padStart(2, '0')}000Z-orderbook-naive`,
  kind: 'workload',
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  label: '',
  tags: [],
  workload: { id: 'orderbook', variant: 'naive', params: {}, seed: 1 },
  status: 'ok',
  opsPerSec: 1e9 / meanNs,
  meanNs,
  git: { commit: commit.padEnd(40, '0'), branch: 'main', dirty: false, commitTime: new Date(Date.UTC(2026, 0, 1, Number.parseInt(commit, 16))).toISOString(), subject: `commit ${commit}` },
  machine: 'm',
  node: '22',
  artifactKinds: [],
})

describe('trend chart model', () => {
  it('places points left to right in commit order and maps a pixel back to the nearest point', () => {
    const pts = [point(0, 10), point(1, 20), point(2, 30)]
    const m = buildTrendChart(pts, [], box)
    expect(m.dots.map((d) => d.x)).toEqual([70, 330, 590])
    // Higher values are higher up (smaller y).
    expect(m.dots[2]!.y).toBeLessThan(m.dots[1]!.y)
    expect(m.dots[1]!.y).toBeLessThan(m.dots[0]!.y)
    expect(indexAt(330, 3, box)).toBe(1)
    expect(indexAt(400, 3, box)).toBe(1)
    expect(indexAt(500, 3, box)).toBe(2)
    expect(indexAt(-50, 3, box)).toBe(0)
    expect(indexAt(5000, 3, box)).toBe(2)
    expect(m.linePath).toBe('M70.0,' + m.dots[0]!.y.toFixed(1) + 'L330.0,' + m.dots[1]!.y.toFixed(1) + 'L590.0,' + m.dots[2]!.y.toFixed(1))
  })

  it('draws whiskers for points with several runs, and keeps them and the baseline inside the y range', () => {
    const pts = [point(0, 100, { low: 80, high: 140, runIds: ['a', 'b', 'c'] }), point(1, 100)]
    const m = buildTrendChart(pts, [], box, 200)
    expect(m.dots[0]!.yLow).toBeGreaterThan(m.dots[0]!.y)
    expect(m.dots[0]!.yHigh).toBeLessThan(m.dots[0]!.y)
    expect(m.dots[1]!.yLow).toBeUndefined()
    expect(m.yMax).toBeGreaterThanOrEqual(200)
    expect(m.yMin).toBeLessThanOrEqual(80)
    expect(m.baselineY).toBeGreaterThanOrEqual(box.padTop)
    expect(m.baselineY).toBeLessThan(m.dots[0]!.yHigh!)
    for (const t of m.yTicks) {
      expect(t.y).toBeGreaterThanOrEqual(box.padTop - 0.01)
      expect(t.y).toBeLessThanOrEqual(box.height - box.padBottom + 0.01)
    }
  })

  it('marks a change point halfway between the commits around it, with the runs on either side', () => {
    const runs = Array.from({ length: 20 }, (_, i) => summary(i, i >= 12 ? 1150 + (i % 3) * 5 : 1000 + (i % 3) * 5, i.toString(16).padStart(3, '0')))
    const trend = buildTrend(runs, { workload: 'orderbook', metric: 'mean', changePoints: { seed: 1 } })
    expect(trend.changePoints).toHaveLength(1)
    const m = buildTrendChart(trend.points, trend.changePoints, box)
    expect(m.changes).toHaveLength(1)
    const c = m.changes[0]!
    expect(c.index).toBe(12)
    expect(c.x).toBeCloseTo((xOf(11, 20, box) + xOf(12, 20, box)) / 2)
    expect(c.baselineRunId).toBe(trend.points[11]!.runIds.at(-1))
    expect(c.candidateRunId).toBe(trend.points[12]!.runIds[0])
    expect(changeLabel(c.text)).toMatch(/^between 00b0000 and 00c0000, \+1\d(\.\d)?% mean$/)
  })

  it('decimates the drawn line of a long history but keeps its extremes, and drops dots', () => {
    const pts = Array.from({ length: 5000 }, (_, i) => point(i, i === 2345 ? 999 : 100 + (i % 7)))
    const m = buildTrendChart(pts, [], box)
    expect(m.decimated).toBe(true)
    expect(m.total).toBe(5000)
    expect(m.dots).toEqual([])
    const vertices = m.linePath.split(/[ML]/).filter(Boolean)
    expect(vertices.length).toBeLessThanOrEqual((box.width - box.padLeft - box.padRight) * 4)
    expect(vertices.length).toBeGreaterThan(100)
    // The spike survives decimation: its y is the smallest drawn.
    const ys = vertices.map((v) => Number(v.split(',')[1]))
    const spikeY = box.padTop + (1 - (999 - m.yMin) / (m.yMax - m.yMin)) * (box.height - box.padTop - box.padBottom)
    expect(Math.min(...ys)).toBeCloseTo(spikeY, 0)
    // A short history is drawn point by point, with dots.
    const short = buildTrendChart(pts.slice(0, MAX_DOTS), [], box)
    expect(short.decimated).toBe(false)
    expect(short.dots).toHaveLength(MAX_DOTS)
  })

  it('draws one point and fewer than four without trouble', () => {
    const one = buildTrendChart([point(0, 5)], [], box)
    expect(one.dots).toHaveLength(1)
    expect(one.dots[0]!.x).toBe(330)
    expect(Number.isFinite(one.dots[0]!.y)).toBe(true)
    expect(one.xTicks).toEqual([{ index: 0, x: 330 }])
    expect(buildTrendChart([], [], box).linePath).toBe('')
  })

  it('thins x labels to fit and always labels the last point', () => {
    const pts = Array.from({ length: 100 }, (_, i) => point(i, 100))
    const m = buildTrendChart(pts, [], box)
    expect(m.xTicks.length).toBeLessThanOrEqual(Math.floor(520 / 110) + 1)
    expect(m.xTicks.at(-1)!.index).toBe(99)
    for (let i = 1; i < m.xTicks.length; i++) expect(m.xTicks[i]!.x - m.xTicks[i - 1]!.x).toBeGreaterThanOrEqual(80)
  })

  it('puts a change point label where it fits: right of the mark, else left, else pinned to an edge', () => {
    const label = 'between a00b000 and a00c000, -14.1% opsPerSec' // 46 characters, ~294 px
    expect(placeChangeLabel(100, label, box)).toEqual({ x: 104, anchor: 'start' })
    expect(placeChangeLabel(500, label, box)).toEqual({ x: 496, anchor: 'end' })
    const long = 'x'.repeat(120) // wider than the chart
    expect(placeChangeLabel(450, long, box)).toEqual({ x: 590, anchor: 'end' })
    expect(placeChangeLabel(150, long, box)).toEqual({ x: 0, anchor: 'start' })
  })

  it('makes round ticks', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10])
    expect(niceTicks(930, 1210, 4)).toEqual([1000, 1100, 1200])
    expect(niceTicks(5, 5)).toEqual([5])
  })
})

describe('buildTrend point ranges', () => {
  it('gives a point the low and high of its runs when several share a commit, and none for one run', () => {
    const runs = [summary(0, 1000, '001'), { ...summary(1, 1200, '001') }, { ...summary(2, 1100, '001') }, summary(3, 900, '002')]
    const t = buildTrend(runs, { workload: 'orderbook', metric: 'mean' })
    expect(t.points).toHaveLength(2)
    expect(t.points[0]).toMatchObject({ value: 1100, low: 1000, high: 1200 })
    expect(t.points[0]!.runIds).toHaveLength(3)
    expect(t.points[1]!.low).toBeUndefined()
    expect(t.points[1]!.high).toBeUndefined()
  })
})
