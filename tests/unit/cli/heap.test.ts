import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { command as heapDiff } from '../../../cli/commands/heap-diff.js'
import { command as heap } from '../../../cli/commands/heap.js'
import { type CliContext, UsageError } from '../../../cli/context.js'
import { openRunStore } from '../../../store/run-store.js'
import { LEAK_ADDED, loadFixture } from '../core/import/heap-snapshot-fixtures.js'
import { makeRun } from '../../helpers/make-run.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hotpath-heap-cli-'))
const storeDir = path.join(dir, 'store')
const startFile = path.join(dir, 'leak-start.heapsnapshot')
const endFile = path.join(dir, 'leak-end.heapsnapshot')
writeFileSync(startFile, loadFixture('leak-start'))
writeFileSync(endFile, loadFixture('leak-end'))
writeFileSync(path.join(dir, 'cut.heapsnapshot'), loadFixture('leak-end').subarray(0, 1000))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(cmd: typeof heap, args: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough()
  let text = ''
  stdout.on('data', (c: Buffer) => (text += c.toString()))
  const ctx: CliContext = {
    stdout,
    stderr: new PassThrough(),
    stderrIsTTY: false,
    env: { HOTPATH_HOME: storeDir },
    cwd: dir,
    signal: new AbortController().signal,
  }
  const code = await cmd.run(args, ctx)
  return { code, stdout: text }
}

/** A run in the store with the two fixture snapshots as its heap-start and heap-end artifacts. */
async function runWithSnapshots(which: ('start' | 'end')[]): Promise<string> {
  const store = openRunStore(storeDir)
  const record = makeRun()
  await store.save(record)
  for (const w of which) copyFileSync(w === 'start' ? startFile : endFile, store.artifactPath(record.id, `heap-${w}.heapsnapshot`))
  return record.id
}

describe('hotpath heap', () => {
  it('prints totals, statistics, top classes and retaining paths', async () => {
    const { code, stdout } = await run(heap, ['leak-end.heapsnapshot', '--limit', '20'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Heap snapshot of leak-end.heapsnapshot, 4\.\d+ MB on disk: 46,729 objects/)
    expect(stdout).toMatch(/Other non-JS objects/)
    expect(stdout).toMatch(/Top 20 of \d+ classes by retained size/)
    expect(stdout).toMatch(/\n\s+LeakyThing\s+2,100\s/)
    expect(stdout).toMatch(/global @\d+ \.leaks → Array @\d+/)
  })

  it('prints one JSON document with --json, limited to --limit classes', async () => {
    const { code, stdout } = await run(heap, [endFile, '--json', '--limit', '3'])
    expect(code).toBe(0)
    const doc = JSON.parse(stdout) as {
      source: { kind: string; bytes: number }
      nodeCount: number
      classCount: number
      classes: { name: string }[]
      statistics: { totalBytes: number }
    }
    expect(doc.source).toMatchObject({ kind: 'file', bytes: loadFixture('leak-end').length })
    expect(doc.nodeCount).toBe(46729)
    expect(doc.classes).toHaveLength(3)
    expect(doc.classCount).toBeGreaterThan(3)
    expect(doc.statistics.totalBytes).toBeGreaterThan(0)
  })

  it("reads a run's snapshot from the store", async () => {
    const id = await runWithSnapshots(['end'])
    const { stdout } = await run(heap, [id, '--json', '--store', storeDir])
    expect(JSON.parse(stdout)).toMatchObject({ source: { kind: 'run', runId: id }, nodeCount: 46729 })
  })

  it('turns bad input into usage errors that say what to do', async () => {
    await expect(run(heap, [])).rejects.toThrow(UsageError)
    await expect(run(heap, ['nope.heapsnapshot'])).rejects.toThrow(/neither a heap snapshot file nor a run id/)
    await expect(run(heap, ['cut.heapsnapshot'])).rejects.toThrow(/cut.heapsnapshot: heap snapshot: the file is truncated/)
    const id = await runWithSnapshots([])
    await expect(run(heap, [id])).rejects.toThrow(/has no heap snapshot; record one with `hotpath run orderbook --profile heap`/)
  })
})

describe('hotpath heap-diff', () => {
  it('compares two files, the planted leak first', async () => {
    const { code, stdout } = await run(heapDiff, ['leak-start.heapsnapshot', 'leak-end.heapsnapshot'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/objects: 44,728 → 46,729/)
    const firstRow = stdout.split('\n').find((l) => /^\s+\S/.test(l) && !/^\s+(class|-|objects|size)/.test(l))
    expect(firstRow).toMatch(/^\s+LeakyThing\s+2,000\s+0\s+\+2,000\s/)
  })

  it("with one run id, compares the run's start and end snapshots", async () => {
    const id = await runWithSnapshots(['start', 'end'])
    const { stdout } = await run(heapDiff, [id, '--json'])
    const doc = JSON.parse(stdout) as {
      base: { file: string }
      target: { file: string }
      classes: { name: string; newCount: number }[]
      warnings: string[]
    }
    expect(path.basename(doc.base.file)).toBe('heap-start.heapsnapshot')
    expect(path.basename(doc.target.file)).toBe('heap-end.heapsnapshot')
    expect(doc.classes[0]).toMatchObject({ name: 'LeakyThing', newCount: LEAK_ADDED })
    expect(doc.warnings).toEqual([])
    const onlyEnd = await runWithSnapshots(['end'])
    await expect(run(heapDiff, [onlyEnd])).rejects.toThrow(/needs both heap-start and heap-end snapshots \(it has only heap-end\)/)
    await expect(run(heapDiff, ['a', 'b', 'c'])).rejects.toThrow(UsageError)
  })
})
