import { describe, expect, it } from 'vitest'
import {
  describeImportOutcome,
  isImportable,
  opensAtOnce,
  partitionImportable,
} from '../../../../renderer/src/features/runs/import-files.js'

describe('import files', () => {
  it('accepts bundles and profiles by extension, in any case', () => {
    for (const name of ['runs.tgz', 'a.tar.gz', 'x.cpuprofile', 'HEAP.HEAPSNAPSHOT', 'alloc.heapprofile'])
      expect(isImportable(name)).toBe(true)
    // Traces, speedscope files and tick logs are .json, pprof .pb.gz: the service sniffs them by content.
    for (const name of ['Trace-20261204.json', 'x.speedscope.json', 'cpu.pb.gz', 'cpu.pprof', 'ticks.json'])
      expect(isImportable(name)).toBe(true)
    for (const name of ['notes.txt', 'profile.csv', 'tgz', 'shot.png']) expect(isImportable(name)).toBe(false)
  })
  it('opens a profile file at once while it imports, but not a bundle or a heap snapshot', () => {
    for (const name of ['x.cpuprofile', 'ALLOC.HEAPPROFILE', 'Trace-20261204.json', 'cpu.pb.gz', 'cpu.pprof'])
      expect(opensAtOnce(name)).toBe(true)
    for (const name of ['runs.tgz', 'a.tar.gz', 'heap.heapsnapshot', 'notes.txt']) expect(opensAtOnce(name)).toBe(false)
  })
  it('splits a drop into files to import and files to report', () => {
    const { accepted, refused } = partitionImportable([{ name: 'a.tgz' }, { name: 'b.png' }, { name: 'c.cpuprofile' }])
    expect(accepted.map((f) => f.name)).toEqual(['a.tgz', 'c.cpuprofile'])
    expect(refused.map((f) => f.name)).toEqual(['b.png'])
  })
  it('reports counts, skipped runs and refused files', () => {
    const n = describeImportOutcome(
      {
        imported: ['r1', 'r2'],
        skipped: [{ id: 'r3', reason: 'already in the store' }],
        failed: [{ name: 'bad.tgz', message: 'checksum mismatch' }],
      },
      ['b.png'],
    )
    expect(n.kind).toBe('success')
    expect(n.text).toBe('Imported 2 runs, skipped 1, 2 files not imported.')
    expect(n.details).toEqual([
      'Skipped r3: already in the store',
      'bad.tgz: checksum mismatch',
      expect.stringContaining('b.png: not a bundle'),
    ])
  })
  it('names a failed file once when the engine’s message already starts with its name', () => {
    const n = describeImportOutcome({
      imported: [],
      skipped: [],
      failed: [{ name: 'cut.cpuprofile', message: 'cut.cpuprofile: CPU profile: the file is truncated' }],
    })
    expect(n.details).toEqual(['cut.cpuprofile: CPU profile: the file is truncated'])
  })
  it('is an error when nothing came in and something failed', () => {
    expect(describeImportOutcome({ imported: [], skipped: [], failed: [{ name: 'x.tgz', message: 'corrupt' }] }).kind).toBe('error')
    expect(describeImportOutcome({ imported: ['a'], skipped: [], failed: [] }).text).toBe('Imported 1 run.')
  })
})
