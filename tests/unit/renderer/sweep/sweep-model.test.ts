import { describe, expect, it } from 'vitest'
import type { RunSummary } from '../../../../core/model/run.js'
import { alignSweep, sweepSeries, sweptParameter } from '../../../../renderer/src/features/sweep/sweep-model.js'

const run = (variant: string, workers: number, opsPerSec: number, status: RunSummary['status'] = 'ok'): RunSummary => ({
  id: `20260101T000000000Z-x-${variant}${workers}`,
  kind: 'workload',
  createdAt: '2026-01-01',
  label: '',
  tags: [],
  group: 'g',
  workload: { id: 'w', variant, params: { workers, size: 10 }, seed: 1 },
  status,
  opsPerSec,
  p99Ns: 1000 * workers,
  machine: 'm',
  node: '20',
  artifactKinds: [],
})

describe('sweeps', () => {
  const runs = [run('a', 1, 100), run('a', 2, 180), run('a', 4, 300), run('a', 4, 340), run('b', 1, 50), run('b', 2, 100, 'failed')]
  it('finds the numeric parameter that varies', () => {
    expect(sweptParameter(runs)).toBe('workers')
    expect(sweptParameter([run('a', 1, 1)])).toBeNull()
  })
  it('averages repeats, skips failed runs, and measures efficiency against linear scaling', () => {
    const [a, b] = sweepSeries(runs, 'workers')
    expect(a?.points.map((p) => p.x)).toEqual([1, 2, 4])
    expect(a?.points[2]?.opsPerSec).toBe(320)
    expect(a?.points[2]?.runCount).toBe(2)
    expect(a?.points[1]?.efficiency).toBeCloseTo(0.9)
    expect(a?.points[2]?.efficiency).toBeCloseTo(0.8)
    expect(b?.points.map((p) => p.x)).toEqual([1])
    const [xs, ya, yb] = alignSweep([a!, b!], (p) => p.opsPerSec)
    expect(xs).toEqual([1, 2, 4])
    expect(yb).toEqual([50, null, null])
    expect(ya).toEqual([100, 180, 320])
  })
  it('gives efficiency and an ideal line only for a parallelism parameter, and memory for every value', () => {
    const sized = [1, 2, 4].map((symbols) => ({ ...run('a', 1, 100 / symbols), workload: { id: 'w', variant: 'a', params: { symbols }, seed: 1 }, peakRssBytes: symbols * 1e6 }))
    const [bySize] = sweepSeries(sized, 'symbols')
    expect(bySize?.points.map((p) => p.efficiency)).toEqual([null, null, null])
    expect(bySize?.points.map((p) => p.idealOpsPerSec)).toEqual([null, null, null])
    expect(bySize?.points.map((p) => p.peakRssBytes)).toEqual([1e6, 2e6, 4e6])
    const [byWorkers] = sweepSeries(runs, 'workers')
    expect(byWorkers?.points.map((p) => p.idealOpsPerSec)).toEqual([100, 200, 400])
  })
})
