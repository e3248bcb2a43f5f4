import { describe, expect, it } from 'vitest'
import { computeLineHeat, computeSourceHeat, countLines } from '../../../../core/analysis/source-heat.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { findFunctionByName } from '../../../../core/model/call-tree.js'

describe('computeLineHeat', () => {
  it('marks the hottest line of the body and the ticks outside it as inlined', () => {
    const heat = computeLineHeat(
      [
        { line: 2, ticks: 3 },
        { line: 4, ticks: 5 },
        { line: 9, ticks: 8 },
        { line: 40, ticks: 2 },
      ],
      10,
      { start: 1, end: 5 },
      0.5,
    )
    expect(heat.hottest).toMatchObject({ line: 4, ticks: 5, selfMs: 2.5, inBody: true })
    expect(heat.lines.map((l) => [l.line, l.inBody])).toEqual([
      [2, true],
      [4, true],
      [9, false],
    ])
    expect(heat.inlinedLines).toBe(1)
    expect(heat.ticksPastEnd).toBe(2)
    expect(heat.totalTicks).toBe(18)
    expect(heat.lines[2]!.share).toBeCloseTo(8 / 18)
    expect(heat.byLine[9]).toBe(2)
    expect(heat.byLine[3]).toBe(-1)
  })

  it('without a body every line counts as the body; without ticks in the body nothing is hottest', () => {
    expect(computeLineHeat([{ line: 7, ticks: 1 }], 8, null, 1).hottest?.line).toBe(7)
    expect(computeLineHeat([{ line: 7, ticks: 1 }], 8, { start: 1, end: 3 }, 1).hottest).toBeNull()
    expect(computeLineHeat([], 8, null, 1).hottest).toBeNull()
  })
})

describe('countLines', () => {
  it('counts lines as an editor shows them', () => {
    expect(countLines('')).toBe(1)
    expect(countLines('a')).toBe(1)
    expect(countLines('a\n')).toBe(1)
    expect(countLines('a\nb')).toBe(2)
    expect(countLines('a\n\n')).toBe(2)
  })
})

describe('computeSourceHeat on an imported profile', () => {
  const source = [
    'function hot(a) {',
    '  let s = 0',
    '  for (const x of a) s += x',
    '  return s',
    '}',
    'function other() { return 1 }',
    '',
  ].join('\n')
  const profile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
      {
        id: 2,
        callFrame: { functionName: 'hot', scriptId: '1', url: 'file:///w/a.js', lineNumber: 0, columnNumber: 12 },
        hitCount: 6,
        positionTicks: [
          { line: 3, ticks: 4 },
          { line: 2, ticks: 1 },
          { line: 6, ticks: 1 },
        ],
      },
    ],
    startTime: 0,
    endTime: 6000,
    samples: [2, 2, 2, 2, 2, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
  }
  it('uses the body from the source and the profile mean interval', () => {
    const tree = importCpuProfile(profile)
    const heat = computeSourceHeat(tree, findFunctionByName(tree, 'hot'), source)
    expect(heat.body).toEqual({ start: 1, end: 5 })
    expect(heat.hottest).toMatchObject({ line: 3, ticks: 4 })
    expect(heat.hottest!.selfMs).toBeCloseTo(4 * heat.msPerTick)
    expect(heat.msPerTick).toBeGreaterThan(0)
    expect(heat.lines.find((l) => l.line === 6)?.inBody).toBe(false)
  })
})
