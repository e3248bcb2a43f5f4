import { mkdtemp, readFile, rm, mkdir, writeFile, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRunStore, type RunStore } from '../../../store/run-store.js'
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
    await writeFile(path.join(root, '.index', 'runs-v1.json'), '{"version": 1, "runs')
    expect(await ids(store)).toEqual([a.id])
    await mkdir(path.join(root, 'runs', '20261201T000003000Z-orderbook-dddd'))
    await writeFile(path.join(root, 'runs', '20261201T000003000Z-orderbook-dddd', 'run.json'), '{ truncated')
    const { runs, problems } = await store.listWithProblems()
    expect(runs.map((r) => r.id)).toEqual([a.id])
    expect(problems[0]?.message).toMatch(/not valid JSON/)
    expect((await stat(path.join(root, '.index', 'runs-v1.json'))).size).toBeGreaterThan(0)
  })
})
