import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { summarizeHeap } from '../../../core/analysis/heap-summary.js'
import { ProfileFormatError } from '../../../core/import/cpuprofile.js'
import { parseHeapSnapshot } from '../../../core/import/heap-snapshot.js'
import { type HeapProgress, analyzeHeapSnapshotFile, diffHeapSnapshotFiles, readHeapSnapshotFile } from '../../../service/heap-analysis.js'
import { fixtureDir, LEAK_ADDED, loadFixture } from '../core/import/heap-snapshot-fixtures.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hotpath-heap-test-'))
const startFile = path.join(dir, 'leak-start.heapsnapshot')
const endFile = path.join(dir, 'leak-end.heapsnapshot')
const truncatedFile = path.join(dir, 'truncated.heapsnapshot')
writeFileSync(startFile, loadFixture('leak-start'))
writeFileSync(endFile, loadFixture('leak-end'))
writeFileSync(truncatedFile, loadFixture('leak-end').subarray(0, 3_000_000))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('readHeapSnapshotFile', () => {
  it('streams a file through the parser into the same model as parsing it whole', async () => {
    let calls = 0
    let last = 0
    const snapshot = await readHeapSnapshotFile(startFile, {
      onBytes: (bytes, total) => {
        calls++
        expect(bytes).toBeGreaterThan(last)
        last = bytes
        expect(total).toBe(loadFixture('leak-start').length)
      },
    })
    const whole = parseHeapSnapshot(loadFixture('leak-start'))
    expect(calls).toBeGreaterThan(1)
    expect(last).toBe(loadFixture('leak-start').length)
    expect(snapshot.nodes.length).toBe(whole.nodes.length)
    expect(Buffer.from(snapshot.edges.toNode.buffer).equals(Buffer.from(whole.edges.toNode.buffer))).toBe(true)
    expect(snapshot.strings).toEqual(whole.strings)
  })

  it('reads gzip-compressed snapshots, and reports corrupt gzip data as a format error', async () => {
    const gz = path.join(fixtureDir, 'leak-start.heapsnapshot.gz')
    let last = 0
    const snapshot = await readHeapSnapshotFile(gz, { onBytes: (bytes) => (last = bytes) })
    expect(snapshot.nodes.length).toBe(parseHeapSnapshot(loadFixture('leak-start')).nodes.length)
    expect(last).toBe(statSync(gz).size)
    const corrupt = path.join(dir, 'corrupt.heapsnapshot.gz')
    writeFileSync(corrupt, readFileSync(gz).subarray(0, 5000))
    await expect(readHeapSnapshotFile(corrupt)).rejects.toBeInstanceOf(ProfileFormatError)
  })

  it('names the file in format errors', async () => {
    await expect(readHeapSnapshotFile(truncatedFile)).rejects.toThrow(
      new RegExp(`${truncatedFile.replace(/[.\\/]/g, '\\$&')}: heap snapshot: the file is truncated`),
    )
  })
})

describe('analyzeHeapSnapshotFile (worker thread)', () => {
  it('gives the summary the pure code gives, and reports progress up to the end', async () => {
    const progress: HeapProgress[] = []
    const summary = await analyzeHeapSnapshotFile(endFile, { onProgress: (p) => progress.push(p), retainerPathCount: 5 })
    const expected = summarizeHeap(parseHeapSnapshot(loadFixture('leak-end')), { retainerPathCount: 5 })
    expect(summary).toEqual(expected)
    expect(progress[0]!.phase).toBe('reading')
    expect(progress.some((p) => p.phase === 'reading' && p.bytesRead === p.totalBytes)).toBe(true)
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['dominators', 'classes', 'statistics', 'retainers']))
    for (let k = 1; k < progress.length; k++) expect(progress[k]!.fraction).toBeGreaterThanOrEqual(progress[k - 1]!.fraction)
  })

  it('rejects a truncated file with a ProfileFormatError, and a missing one with ENOENT', async () => {
    const err = await analyzeHeapSnapshotFile(truncatedFile).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProfileFormatError)
    expect((err as Error).message).toMatch(/truncated: input ended inside "edges" after \d+ of \d+ records/)
    await expect(analyzeHeapSnapshotFile(path.join(dir, 'missing.heapsnapshot'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('stops when cancelled, before or during the work', async () => {
    await expect(analyzeHeapSnapshotFile(endFile, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' })
    const controller = new AbortController()
    const started = Date.now()
    const pending = analyzeHeapSnapshotFile(endFile, { signal: controller.signal, onProgress: () => controller.abort() })
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('diffHeapSnapshotFiles (worker thread)', () => {
  it('finds the planted leak between the two files', async () => {
    const phases = new Set<string>()
    const diff = await diffHeapSnapshotFiles(startFile, endFile, { onProgress: (p) => phases.add(`${p.phase}:${path.basename(p.file)}`) })
    expect(diff.classes[0]).toMatchObject({ name: 'LeakyThing', newCount: LEAK_ADDED, deletedCount: 0 })
    expect(phases).toEqual(new Set(['reading:leak-start.heapsnapshot', 'reading:leak-end.heapsnapshot', 'diffing:leak-end.heapsnapshot']))
  })
})
