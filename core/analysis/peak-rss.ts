/**
 * Why a run's "Peak RSS" and its memory chart disagree: the metric is the measured process's own peak
 * (getrusage maxRSS of the timing pass, or of the profiled pass when no timing pass ran), while the
 * timeline spans every pass, and a heap snapshot or the profiler often takes the process well above it.
 * Computed from the record's data: the timeline's highest RSS sample and the phase it fell in.
 */
import { formatBytes } from '../format/bytes.js'
import type { RunRecord } from '../model/run.js'
import { phaseLabel } from './time-range.js'

export interface PeakRss {
  /** The run's metric (metrics.peakRssBytes). */
  bytes: number
  /** The pass it was measured in, as the charts name it ("timing pass", "profiled pass"). */
  pass: string
  /** The timeline's highest RSS, when it is above the metric (by more than MARGIN): its value and phase. */
  timelinePeak?: { bytes: number; tMs: number; phase?: string }
}

/** A timeline peak within 5 % (or 1 MiB) of the metric is the same peak, sampled: not worth a note. */
const MARGIN = { ratio: 1.05, bytes: 1024 ** 2 }

export function peakRssOf(run: Pick<RunRecord, 'metrics' | 'capture' | 'timeline'>): PeakRss | undefined {
  if (!run.metrics) return undefined
  const bytes = run.metrics.peakRssBytes
  const pass = phaseLabel(run.capture.timingPass ? 'timing' : 'profiling')
  let top: RunRecord['timeline'][number] | undefined
  for (const s of run.timeline) if (s.rssBytes !== undefined && (!top || s.rssBytes > (top.rssBytes as number))) top = s
  const topBytes = top?.rssBytes
  if (!top || topBytes === undefined || topBytes <= bytes * MARGIN.ratio || topBytes - bytes < MARGIN.bytes) return { bytes, pass }
  return { bytes, pass, timelinePeak: { bytes: topBytes, tMs: top.tMs, ...(top.phase !== undefined ? { phase: phaseLabel(top.phase) } : {}) } }
}

/** "167 MB during heap snapshot" (or "… on the timeline" for a sample without a phase); undefined without a higher peak. */
export function describeTimelinePeak(peak: PeakRss): string | undefined {
  const t = peak.timelinePeak
  if (!t) return undefined
  return `${formatBytes(t.bytes)} ${t.phase ? `during ${t.phase}` : 'on the timeline'}`
}

/** "108 MB (timing pass); 167 MB during heap snapshot", as the run's texts say it. */
export function describePeakRss(peak: PeakRss): string {
  const higher = describeTimelinePeak(peak)
  return `${formatBytes(peak.bytes)} (${peak.pass})${higher ? `; ${higher}` : ''}`
}
