import { describe, expect, it } from 'vitest'
import { importProfileText, sniffFormatByName, sniffProfileFormat } from '../../../../core/import/index.js'
import { getTreeTotal } from '../../../../core/model/call-tree.js'
import { profileFromText, readProfileFixture } from '../../../helpers/profile-from-text.js'

describe('sniffProfileFormat', () => {
  it('trusts the file name first', () => {
    expect(sniffFormatByName('/tmp/CPU.20261123.cpuprofile')).toBe('cpuprofile')
    expect(sniffFormatByName('Heap.HEAPPROFILE')).toBe('heapprofile')
    expect(sniffFormatByName('end.heapsnapshot')).toBe('heapsnapshot')
    expect(sniffFormatByName('profile.json')).toBeUndefined()
    expect(sniffProfileFormat('x.heapsnapshot', '{"nodes": [')).toBe('heapsnapshot')
  })

  it('falls back to the content', () => {
    expect(sniffProfileFormat('a.json', readProfileFixture('fib-strings-json.cpuprofile'))).toBe('cpuprofile')
    expect(sniffProfileFormat('a.json', readProfileFixture('alloc-burst.heapprofile'))).toBe('heapprofile')
    expect(sniffProfileFormat('a.json', '{"snapshot":{"meta":{"node_fields":["type"]')).toBe('heapsnapshot')
    expect(sniffProfileFormat('a.json', ' {\n  "snapshot" : {')).toBe('heapsnapshot')
    // Keys in another order: recognized by parsing.
    const raw = profileFromText('a b')
    const reordered = JSON.stringify({
      startTime: raw.startTime,
      endTime: raw.endTime,
      nodes: raw.nodes,
      samples: raw.samples,
      timeDeltas: raw.timeDeltas,
    })
    expect(sniffProfileFormat('a.json', reordered)).toBe('cpuprofile')
    // A trace-event file is recognized by its start (importing it says when it holds no CPU profile).
    expect(sniffProfileFormat('a.json', '{"traceEvents": []}')).toBe('chrome-trace')
    expect(sniffProfileFormat('a.json', '{"$schema":"https://www.speedscope.app/file-format-schema.json"}')).toBe('speedscope')
    expect(sniffProfileFormat('x.pb.gz', '')).toBe('pprof')
    expect(sniffProfileFormat('a.txt', 'main;parse 12')).toBeUndefined()
  })
})

describe('importProfileText', () => {
  it('imports CPU and allocation profiles by name or content', () => {
    const cpu = importProfileText('x.json', readProfileFixture('fib-strings-json.cpuprofile'))
    expect(cpu.format).toBe('cpuprofile')
    expect(cpu.tree.unit).toBe('ms')
    const heap = importProfileText('alloc.heapprofile', readProfileFixture('alloc-burst.heapprofile'))
    expect(heap.format).toBe('heapprofile')
    expect(getTreeTotal(heap.tree)).toBeGreaterThan(0)
  })

  it('explains what it cannot import, naming the file', () => {
    expect(() => importProfileText('end.heapsnapshot', '{"snapshot":{}}')).toThrow(/end.heapsnapshot is a heap snapshot.*hotpath heap/)
    expect(() => importProfileText('notes.txt', 'hello')).toThrow(/notes.txt is not a recognized profile/)
    expect(() => importProfileText('bad.cpuprofile', '{"nodes": 3}')).toThrow(/bad.cpuprofile: CPU profile: no `nodes` array/)
  })
})
