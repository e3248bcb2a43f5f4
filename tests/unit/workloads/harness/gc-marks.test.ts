import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { gcKindOf, recordGcMarks } from '../../../../workloads/harness/gc-marks.js'
import type { ChildMessage } from '../../../../workloads/harness/protocol.js'
import { childMessageSchema } from '../../../../workloads/harness/protocol.js'

type GcMessage = Extract<ChildMessage, { type: 'gc' }>

/** Allocates short-lived arrays until at least `gcs` collections were seen (bounded in time). */
async function collect(max: number, gcs: number): Promise<GcMessage[]> {
  const sent: GcMessage[] = []
  const recorder = recordGcMarks((m) => sent.push(m), max)
  const started = performance.now()
  const seen = (): number => sent.reduce((n, m) => n + m.marks.length + m.dropped, 0)
  let sink = 0
  while (seen() < gcs && performance.now() - started < 10_000) {
    for (let i = 0; i < 2000; i++) sink += new Array(1000).fill(i).length
    await new Promise((r) => setTimeout(r, 5))
    recorder.flush()
  }
  recorder.stop()
  expect(sink).toBeGreaterThan(0)
  return sent
}

describe('recordGcMarks', () => {
  it('sends each GC with its epoch start, pause and kind, as valid child messages', async () => {
    const before = performance.timeOrigin + performance.now()
    const sent = await collect(10_000, 3)
    const marks = sent.flatMap((m) => m.marks)
    expect(marks.length).toBeGreaterThanOrEqual(3)
    for (const m of sent) expect(childMessageSchema.safeParse(m).success).toBe(true)
    for (const m of marks) {
      expect(m.atEpochMs).toBeGreaterThanOrEqual(before - 1)
      expect(m.atEpochMs).toBeLessThanOrEqual(performance.timeOrigin + performance.now() + 1)
      expect(m.durationMs).toBeGreaterThanOrEqual(0)
    }
    expect(marks.some((m) => m.kind === 'minor')).toBe(true)
  }, 20_000)

  it('keeps at most `max` marks and counts the rest', async () => {
    const sent = await collect(2, 6)
    expect(sent.flatMap((m) => m.marks)).toHaveLength(2)
    expect(sent.reduce((n, m) => n + m.dropped, 0)).toBeGreaterThanOrEqual(4)
  }, 20_000)

  it('maps perf_hooks GC kinds', () => {
    expect([1, 4, 8, 16, 2, undefined].map(gcKindOf)).toEqual(['minor', 'major', 'incremental', 'weakcb', 'other', 'other'])
  })
})
