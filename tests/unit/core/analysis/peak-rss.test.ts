import { describe, expect, it } from 'vitest'
import { describePeakRss, peakRssOf } from '../../../../core/analysis/peak-rss.js'
import type { TimelineSample } from '../../../../core/model/run.js'
import { makeRun } from '../../../helpers/make-run.js'

const MB = 1024 ** 2
const sample = (tMs: number, rssMb: number, phase?: string): TimelineSample => ({ tMs, rssBytes: rssMb * MB, ...(phase ? { phase } : {}) })

describe('peakRssOf', () => {
  it('names the pass of the metric and the timeline peak above it with its phase', () => {
    const run = makeRun({
      capture: { profile: ['cpu', 'heap'], samplingIntervalUs: 1000, heapSnapshots: ['end'], timingPass: true },
      timeline: [sample(0, 40), sample(100, 100, 'timing'), sample(200, 120, 'profiling'), sample(300, 167, 'snapshot'), sample(400, 150, 'snapshot')],
    })
    run.metrics!.peakRssBytes = 108 * MB
    const peak = peakRssOf(run)!
    expect(peak).toEqual({ bytes: 108 * MB, pass: 'timing pass', timelinePeak: { bytes: 167 * MB, tMs: 300, phase: 'heap snapshot' } })
    expect(describePeakRss(peak)).toBe('108 MB (timing pass); 167 MB during heap snapshot')
  })

  it('says nothing more when the timeline stays within 5 % of the metric', () => {
    const run = makeRun({ timeline: [sample(0, 70, 'timing'), sample(100, 83, 'timing')] })
    run.metrics!.peakRssBytes = 80 * MB
    expect(peakRssOf(run)).toEqual({ bytes: 80 * MB, pass: 'timing pass' })
    expect(describePeakRss(peakRssOf(run)!)).toBe('80.0 MB (timing pass)')
  })

  it('names the profiled pass when no timing pass ran, and a peak without a phase as on the timeline', () => {
    const run = makeRun({
      capture: { profile: ['cpu'], samplingIntervalUs: 1000, heapSnapshots: [], timingPass: false },
      timeline: [sample(0, 200), sample(100, 90, 'profiling')],
    })
    expect(describePeakRss(peakRssOf(run)!)).toBe('80.0 MB (profiled pass); 200 MB on the timeline')
  })

  it('is undefined for a run without metrics', () => {
    const { metrics: _m, ...rest } = makeRun()
    expect(peakRssOf(rest)).toBeUndefined()
  })
})
