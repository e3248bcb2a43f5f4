import { gunzipSync, gzipSync } from 'node:zlib'
import { Profile } from 'pprof-format'
import { describe, expect, it } from 'vitest'
import { toPprof } from '../../../../core/export/pprof.js'
import { importCpuProfile } from '../../../../core/import/cpuprofile.js'
import { importHeapProfile } from '../../../../core/import/heap-profile.js'
import { getTreeTotal } from '../../../../core/model/call-tree.js'
import { readProfileFixture, treeFromText } from '../../../helpers/profile-from-text.js'

const str = (p: Profile, i: unknown): string => p.stringTable.strings[Number(i)]!

describe('toPprof', () => {
  it.each(['fib-strings-json.cpuprofile', 'deep-recursion.cpuprofile', 'prettier-check.cpuprofile'])(
    'decodes again with equal totals (%s)',
    (name) => {
      const tree = importCpuProfile(JSON.parse(readProfileFixture(name)))
      // The CLI gzips; decode what a pprof reader would see after gunzip.
      const decoded = Profile.decode(gunzipSync(gzipSync(toPprof(tree))))
      expect(decoded.sampleType.map((t) => `${str(decoded, t.type)}/${str(decoded, t.unit)}`)).toEqual(['samples/count', 'cpu/nanoseconds'])
      expect(str(decoded, decoded.stringTable.strings.indexOf('cpu'))).toBe('cpu')
      expect(Number(decoded.defaultSampleType)).toBe(decoded.stringTable.strings.indexOf('cpu'))
      let count = 0
      let nanos = 0
      for (const s of decoded.sample) {
        count += Number(s.value[0])
        nanos += Number(s.value[1])
      }
      expect(count).toBe(tree.meta.sampleCount)
      // Each sample's nanoseconds are rounded: at most half a nanosecond off per call path.
      expect(Math.abs(nanos - getTreeTotal(tree) * 1e6)).toBeLessThanOrEqual(decoded.sample.length)
      // Every location and function referenced exists, with ids from 1.
      const locations = new Map(decoded.location.map((l) => [Number(l.id), l]))
      const functions = new Map(decoded.function.map((f) => [Number(f.id), f]))
      for (const s of decoded.sample) for (const id of s.locationId) expect(locations.has(Number(id))).toBe(true)
      for (const l of decoded.location) for (const line of l.line) expect(functions.has(Number(line.functionId))).toBe(true)
      expect(Number(decoded.period)).toBeGreaterThan(0)
    },
  )

  it('lists stacks leaf first, with function names, files and lines', () => {
    const tree = treeFromText(`
      main  main
      work  work
    `)
    const decoded = Profile.decode(toPprof(tree))
    expect(decoded.sample).toHaveLength(1)
    const stack = decoded.sample[0]!.locationId.map((id) => {
      const loc = decoded.location.find((l) => Number(l.id) === Number(id))!
      const fn = decoded.function.find((f) => Number(f.id) === Number(loc.line[0]!.functionId))!
      return `${str(decoded, fn.name)} ${str(decoded, fn.filename)}:${Number(loc.line[0]!.line)}`
    })
    expect(stack).toEqual(['work file:///app/main.js:2', 'main file:///app/main.js:1'])
    expect(decoded.sample[0]!.value.map(Number)).toEqual([2, 2_000_000])
  })

  it('writes allocation profiles as space/bytes', () => {
    const tree = importHeapProfile(JSON.parse(readProfileFixture('alloc-burst.heapprofile')))
    const decoded = Profile.decode(toPprof(tree))
    expect(decoded.sampleType.map((t) => `${str(decoded, t.type)}/${str(decoded, t.unit)}`)).toEqual(['samples/count', 'space/bytes'])
    const bytes = decoded.sample.reduce((sum, s) => sum + Number(s.value[1]), 0)
    expect(bytes).toBe(getTreeTotal(tree))
  })
})
