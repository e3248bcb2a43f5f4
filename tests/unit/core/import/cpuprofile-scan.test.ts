import { describe, expect, it } from 'vitest'
import { SCAN_PIECE_BYTES, createCpuProfileScanner } from '../../../../core/import/cpuprofile-scan.js'

const encoder = new TextEncoder()

describe('the CPU profile scanner (WebAssembly)', () => {
  it('reads V8-spelled nodes to the last one that ends in the piece, and finds their callFrames by bytes', () => {
    const frame = (name: string) => `{"functionName":"${name}","scriptId":"1","url":"file:///a.js","lineNumber":3,"columnNumber":4}`
    const nodes = [
      `{"id":1,"callFrame":${frame('(root)')},"hitCount":0,"children":[2,3]}`,
      `{"id":2,"callFrame":${frame('a')},"hitCount":5,"positionTicks":[{"line":0,"ticks":1},{"line":7,"ticks":5}]}`,
      `{"id":3,"callFrame":${frame('a')},"hitCount":1}`,
      `{"id":4, "callFrame":${frame('b')},"hitCount":1}`,
    ]
    const text = nodes.join(',')
    const scan = createCpuProfileScanner()
    scan.load(encoder.encode(text), 0, text.length)
    expect(scan.plainNodes(text.length)).toBe(3)
    expect([...scan.nodeId()]).toEqual([1, 2, 3])
    expect([...scan.nodeFrame()]).toEqual([0, 1, 1])
    expect([...scan.nodeHits()]).toEqual([0, 5, 1])
    expect([...scan.nodeChildEnd()]).toEqual([2, 2, 2])
    expect([...scan.childIds()]).toEqual([2, 3])
    // The line-0 entry is left out, as the other readers leave it.
    expect([...scan.nodeTickEnd()]).toEqual([0, 1, 1])
    expect([...scan.tickLine()]).toEqual([7])
    expect([...scan.tickValue()]).toEqual([5])
    expect(scan.firstWithChildren()).toBe(0)
    expect(scan.nodeEnd()[2]).toBe(nodes.slice(0, 3).join(',').length)
    expect(scan.frameCount()).toBe(2)
    expect(JSON.parse(`[${new TextDecoder().decode(scan.frameRun(0, 2))}]`)).toEqual([JSON.parse(frame('(root)')), JSON.parse(frame('a'))])
    // A node cut by the piece's end is not read.
    scan.load(encoder.encode(text), 0, text.length)
    expect(scan.plainNodes(nodes[0]!.length + 10)).toBe(1)
  })

  it('reads plain integers to the first value spelled otherwise', () => {
    const scan = createCpuProfileScanner()
    const text = `1,-22,333,123456789,1234567890,5,${' '.repeat(80)}`
    scan.load(encoder.encode(text), 0, text.length)
    const stop = scan.scanInts(text.length, text.length - 64)
    expect([...scan.ints()]).toEqual([1, -22, 333, 123456789])
    expect(text.slice(stop)).toMatch(/^1234567890,/)
    expect(SCAN_PIECE_BYTES).toBeGreaterThanOrEqual(1 << 16)
  })
})
