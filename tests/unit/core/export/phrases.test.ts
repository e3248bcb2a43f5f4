import { describe, expect, it } from 'vitest'
import { describeComponentLatency, describeProfilerOverhead } from '../../../../core/export/phrases.js'

describe('describeProfilerOverhead', () => {
  it('one process inside the ±20% floor is within noise, not an overhead (the run detail used to print -19.1%)', () => {
    const text = describeProfilerOverhead({ timingOpsPerSec: 355_000, profiledOpsPerSec: 423_000, overheadPct: -19.1 })
    expect(text).toMatch(/^within single-process noise/)
    expect(text).not.toContain('19.1')
    expect(text).toContain('--repeat')
  })

  it('one process beyond the floor is given, and said to rest on one process', () => {
    const text = describeProfilerOverhead({ timingOpsPerSec: 100_000, profiledOpsPerSec: 60_000, overheadPct: 40 })
    expect(text).toMatch(/^40\.0% from one process/)
    expect(text).toContain('±20%')
  })

  it('repeated processes give the interval and the process count', () => {
    const text = describeProfilerOverhead({ timingOpsPerSec: 100_000, profiledOpsPerSec: 97_000, overheadPct: 3.1, ciLowPct: -1.2, ciHighPct: 7.5, processes: 5 })
    expect(text).toBe('3.1% (95% CI -1.2 … 7.5%, 5 processes; profiled 97.0 k ops/s vs 100 k ops/s)')
  })
})

describe('describeComponentLatency', () => {
  it('says "< resolution" at or under the clock cost instead of a clamped 1.00 ns, and the figure above it', () => {
    expect(describeComponentLatency({ resolutionNs: 33 }, 1)).toBe('< 33.0 ns')
    expect(describeComponentLatency({ resolutionNs: 33 }, 33)).toBe('< 33.0 ns')
    expect(describeComponentLatency({ resolutionNs: 33 }, 250)).toBe('250 ns')
    // Batched timings (per-operation means of a pass) have no per-call clock floor.
    expect(describeComponentLatency({}, 1)).toBe('1.00 ns')
  })
})
