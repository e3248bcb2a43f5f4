import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, mkdir, writeFile, stat, utimes } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRunStore, type RunStore } from '../../../store/run-store.js'
import { matchesRunFilter } from '../../../core/model/run-filter.js'
import { type RunRecord, summarizeRun } from '../../../core/model/run.js'
import { makeRun } from '../../helpers/make-run.js'

let root: string
let store: RunStore
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hotpath-index-'))
  store = openRunStore(root)
})
afterEach(async () => rm(root, { recursive: true, force: true }))

const ids = async (s: RunStore): Promise<string[]> => (await s.list()).map((r) => r.id).sort()

describe('the derived run index', () => {
  it('is built on the first list, ignored by git, and kept up to date by save, update and delete', async () => {
    const a = makeRun({ id: '20261201T000000000Z-orderbook-aaaa' })
    const b = makeRun({ id: '20261201T000001000Z-orderbook-bbbb' })
    await store.save(a)
    expect(await ids(store)).toEqual([a.id])
    expect(await readFile(path.join(root, '.index', '.gitignore'), 'utf8')).toMatch(/^\*$/m)
    await store.save(b)
    await store.update(a.id, { label: 'renamed' })
    expect((await store.list()).find((r) => r.id === a.id)?.label).toBe('renamed')
    await store.delete(b.id)
    expect(await ids(store)).toEqual([a.id])
    // A fresh store object (another process) reads the same index and journal.
    expect(await ids(openRunStore(root))).toEqual([a.id])
  })

  it('picks up run folders that arrive without the store (a git pull, a copy) and drops removed ones', async () => {
    const a = makeRun({ id: '20261201T000000000Z-orderbook-aaaa' })
    await store.save(a)
    await store.list()
    // Another checkout's run, copied in as files: the index has never heard of it.
    const other = makeRun({ id: '20261201T000002000Z-orderbook-cccc' })
    const otherStore = openRunStore(await mkdtemp(path.join(os.tmpdir(), 'hotpath-index-other-')))
    await otherStore.save(other)
    await mkdir(path.join(root, 'runs', other.id))
    for (const f of ['run.json', 'summary.json']) await writeFile(path.join(root, 'runs', other.id, f), await readFile(path.join(otherStore.runsDir, other.id, f)))
    expect(await ids(store)).toEqual([a.id, other.id])
    await rm(path.join(root, 'runs', a.id), { recursive: true })
    expect(await ids(store)).toEqual([other.id])
    await rm(otherStore.root, { recursive: true, force: true })
  })

  it('is rebuilt from the run files when it is missing or damaged, and reports unreadable runs', async () => {
    const a = makeRun({ id: '20261201T000000000Z-orderbook-aaaa' })
    await store.save(a)
    await store.list()
    await writeFile(path.join(root, '.index', 'runs-v2.ndjson'), '{"version": 2, "runs')
    expect(await ids(store)).toEqual([a.id])
    await mkdir(path.join(root, 'runs', '20261201T000003000Z-orderbook-dddd'))
    await writeFile(path.join(root, 'runs', '20261201T000003000Z-orderbook-dddd', 'run.json'), '{ truncated')
    const { runs, problems } = await store.listWithProblems()
    expect(runs.map((r) => r.id)).toEqual([a.id])
    expect(problems[0]?.message).toMatch(/not valid JSON/)
    expect((await stat(path.join(root, '.index', 'runs-v2.ndjson'))).size).toBeGreaterThan(0)
  })

  it('pages newest first with the total, over the base file and the journal alike', async () => {
    const runs = Array.from({ length: 12 }, (_, i) => makeRun({ id: `20261201T0000${String(i).padStart(2, '0')}000Z-orderbook-p${i}` }))
    for (const r of runs.slice(0, 8)) await store.save(r)
    await store.list() // base file written with 8 runs
    for (const r of runs.slice(8)) await store.save(r) // 4 more only in the journal
    const newestFirst = runs.map((r) => r.id).reverse()
    const fresh = openRunStore(root)
    const page1 = await fresh.listWithProblems(undefined, { limit: 5 })
    expect(page1.total).toBe(12)
    expect(page1.runs.map((r) => r.id)).toEqual(newestFirst.slice(0, 5))
    const page3 = await fresh.listWithProblems(undefined, { offset: 10, limit: 5 })
    expect(page3.runs.map((r) => r.id)).toEqual(newestFirst.slice(10))
    // Compacted (the journal folded into the base file): the same pages from the header-only fast path.
    await store.delete(runs[0]!.id)
    await rm(path.join(root, '.index'), { recursive: true })
    await fresh.list()
    const compact = await openRunStore(root).listWithProblems(undefined, { offset: 2, limit: 3 })
    expect(compact.total).toBe(11)
    expect(compact.runs.map((r) => r.id)).toEqual(newestFirst.slice(2, 5))
  })

  it('filters (commit prefix, branch, workload, status) exactly as matchesRunFilter does over every run', async () => {
    const all: RunRecord[] = []
    for (let i = 0; i < 30; i++) {
      const commit = (i % 3 === 0 ? 'abcd' : i % 3 === 1 ? 'abce' : '1234').padEnd(40, String(i % 10))
      const run = makeRun({
        id: `20261201T0001${String(i).padStart(2, '0')}000Z-w-f${i}`,
        workload: { id: i % 2 ? 'orderbook' : 'slippage', variant: i % 4 ? 'naive' : 'optimized', params: {}, seed: 1 },
        // A branch that names a commit, and a label holding another workload's name: byte matches that are not field matches.
        provenance: { git: { commit, branch: i % 5 ? 'main' : 'abcd-feature', dirty: false }, meta: {}, nodeFlags: [] },
        label: i % 7 ? `run ${i}` : 'slippage orderbook',
      })
      all.push(run)
      await store.save(run)
    }
    await store.list()
    const summaries = await openRunStore(root).list()
    for (const filter of [{ commit: 'abcd' }, { commit: 'abce1' }, { branch: 'main' }, { branch: 'abcd-feature', workload: 'orderbook' }, { workload: 'slippage', variant: 'optimized' }, { status: 'ok' as const, commit: '1234' }, { label: 'orderbook' }]) {
      const got = (await openRunStore(root).list(filter)).map((r) => r.id)
      const want = summaries.filter((r) => matchesRunFilter(r, filter)).map((r) => r.id)
      expect(got, JSON.stringify(filter)).toEqual(want)
      expect(got.length, JSON.stringify(filter)).toBeGreaterThan(0)
    }
  })

  it('sees a run finished by a writer that bypassed the store after its folder was first seen empty', async () => {
    await store.save(makeRun({ id: '20261201T000000000Z-orderbook-aaaa' }))
    await store.list()
    const late = makeRun({ id: '20261201T000009000Z-orderbook-late' })
    await mkdir(path.join(root, 'runs', late.id)) // a run being written: no run.json yet
    expect(await ids(store)).toEqual(['20261201T000000000Z-orderbook-aaaa'])
    // Its files arrive later, runs/ itself does not change (no folder added), and no journal line is written.
    const other = openRunStore(await mkdtemp(path.join(os.tmpdir(), 'hotpath-index-other-')))
    await other.save(late)
    for (const f of ['run.json', 'summary.json']) await writeFile(path.join(root, 'runs', late.id, f), await readFile(path.join(other.runsDir, late.id, f)))
    expect(await ids(openRunStore(root))).toEqual(['20261201T000000000Z-orderbook-aaaa', late.id])
    await rm(other.root, { recursive: true, force: true })
  })

  it('re-reads runs a git checkout rewrote in place (no folder added or removed)', async () => {
    const git = (...args: string[]): string => execFileSync('git', ['-C', root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    const a = makeRun({ id: '20261201T000000000Z-orderbook-aaaa', label: 'before' })
    await store.save(a)
    await store.save(makeRun({ id: '20261201T000001000Z-orderbook-bbbb' }))
    git('add', 'runs')
    git('commit', '-qm', 'runs')
    git('checkout', '-qb', 'relabel')
    // Edit the run's files as another branch would have them, commit, and go back to main.
    const record = JSON.parse(await readFile(path.join(root, 'runs', a.id, 'run.json'), 'utf8')) as RunRecord
    const summary = JSON.parse(await readFile(path.join(root, 'runs', a.id, 'summary.json'), 'utf8')) as { label: string }
    await writeFile(path.join(root, 'runs', a.id, 'run.json'), JSON.stringify({ ...record, label: 'after' }))
    await writeFile(path.join(root, 'runs', a.id, 'summary.json'), JSON.stringify({ ...summary, label: 'after' }))
    git('commit', '-qam', 'relabel')
    git('checkout', '-q', 'main')
    expect((await store.list()).find((r) => r.id === a.id)?.label).toBe('before')
    // The index now records main's state; checking the branch out rewrites the files without adding a folder.
    const runsMtime = (await stat(path.join(root, 'runs'))).mtime
    git('checkout', '-q', 'relabel')
    await utimes(path.join(root, 'runs'), runsMtime, runsMtime) // runs/ looks untouched, as on a filesystem with coarse times
    expect((await openRunStore(root).list()).find((r) => r.id === a.id)?.label).toBe('after')
    expect(git('status', '--porcelain', '--untracked-files=all')).not.toMatch(/\.index/) // the index ignores itself: nothing to commit, nothing to merge
  })

  it('keeps every run and no deleted one when writers and readers in other processes overlap', async () => {
    const base = Array.from({ length: 10 }, (_, i) => makeRun({ id: `20261201T0002${String(i).padStart(2, '0')}000Z-orderbook-c${i}` }))
    for (const r of base) await store.save(r)
    await store.list()
    const writer = openRunStore(root) // another process: its own index handle, same files
    const reader = openRunStore(root)
    const added = Array.from({ length: 20 }, (_, i) => makeRun({ id: `20261201T0003${String(i).padStart(2, '0')}000Z-orderbook-n${i}` }))
    const listings: string[][] = []
    await Promise.all([
      (async () => {
        for (const r of added) await writer.save(r)
        for (const r of base.slice(0, 4)) await writer.delete(r.id)
        await writer.update(base[5]!.id, { label: 'edited elsewhere' })
      })(),
      (async () => {
        for (let i = 0; i < 15; i++) listings.push((await reader.list()).map((r) => r.id))
      })(),
    ])
    const want = [...base.slice(4), ...added].map((r) => r.id).sort()
    expect(await ids(reader)).toEqual(want)
    expect(await ids(openRunStore(root))).toEqual(want)
    expect((await reader.list()).find((r) => r.id === base[5]!.id)?.label).toBe('edited elsewhere')
    // Every listing along the way was sorted newest first and held no duplicate.
    for (const l of listings) {
      expect(new Set(l).size).toBe(l.length)
      expect([...l].sort().reverse()).toEqual(l)
    }
    // And the index agrees with a rebuild from the run files alone.
    await rm(path.join(root, '.index'), { recursive: true })
    expect(await ids(openRunStore(root))).toEqual(want)
  })

  it('reads an index larger than its 1 MB read buffer, with a line longer than the buffer, losing no line at a piece boundary', async () => {
    // Summaries only (as bench/store-index.ts writes them): 4,000 runs of ~600 bytes, and one with a 1.5 MB label.
    const all: { id: string; workload: string; label: string }[] = []
    for (let i = 0; i < 4000; i++) {
      const t = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace(/[-:]/g, '').replace('.', '')
      const workload = `w${i % 7}`
      const id = `${t}-${workload}-${(i % 65536).toString(16).padStart(4, '0')}`
      const label = i === 1234 ? 'x'.repeat(1_500_000) : `${workload} run ${i} ${'-'.repeat(400)}`
      all.push({ id, workload, label })
      const summary = summarizeRun(makeRun({ id, label, workload: { id: workload, variant: 'naive', params: {}, seed: 1 } }))
      await mkdir(path.join(root, 'runs', id), { recursive: true })
      await writeFile(path.join(root, 'runs', id, 'summary.json'), JSON.stringify(summary))
    }
    expect((await stat(path.join(root, '.index', 'runs-v2.ndjson')).catch(() => undefined))?.size ?? 0).toBe(0)
    const expected = all.map((r) => r.id).sort().reverse()
    const listed = await store.list()
    expect(listed.map((r) => r.id)).toEqual(expected)
    expect((await stat(path.join(root, '.index', 'runs-v2.ndjson'))).size).toBeGreaterThan(3 * 1024 ** 2)
    // Warm: read back from the index file, piece by piece.
    const warm = openRunStore(root)
    expect((await warm.list()).map((r) => r.id)).toEqual(expected)
    expect((await warm.list()).find((r) => r.label.length > 1_000_000)?.label).toBe('x'.repeat(1_500_000))
    for (const workload of ['w0', 'w3', 'w6']) {
      const got = (await warm.list({ workload })).map((r) => r.id)
      expect(got).toEqual(expected.filter((id) => id.includes(`-${workload}-`)))
    }
    const page = await warm.listWithProblems({ workload: 'w2' }, { offset: 100, limit: 50 })
    expect(page.runs.map((r) => r.id)).toEqual(expected.filter((id) => id.includes('-w2-')).slice(100, 150))
    expect(page.total).toBe(expected.filter((id) => id.includes('-w2-')).length)
  }, 120_000)
})
