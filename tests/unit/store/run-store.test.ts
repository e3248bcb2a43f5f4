import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRunStore, StoreError } from '../../../store/run-store.js'
import { resolveInside, resolveStoreDir, defaultStoreDir } from '../../../store/paths.js'
import { writeFileAtomic, stableJson } from '../../../store/atomic-write.js'
import { makeRun } from '../../helpers/make-run.js'
import { RUN_SCHEMA_VERSION } from '../../../core/model/run.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-store-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('openRunStore', () => {
  it('saves, reads back, lists newest first, updates and deletes', async () => {
    const store = openRunStore(dir)
    const a = makeRun({ at: new Date('2026-11-20T10:00:00Z') })
    const b = makeRun({ at: new Date('2026-11-21T10:00:00Z'), workload: { id: 'var', variant: 'pooled', params: {}, seed: 1 } })
    await store.save(a)
    await store.save(b)
    expect(await store.get(a.id)).toEqual(a)
    expect((await store.list()).map((r) => r.id)).toEqual([b.id, a.id])
    expect((await store.list({ workload: 'var' })).map((r) => r.id)).toEqual([b.id])
    const updated = await store.update(a.id, { label: 'before fix', tags: ['x', 'x', 'y'], notes: 'n' })
    expect(updated.label).toBe('before fix')
    expect(updated.tags).toEqual(['x', 'y'])
    expect((await store.list({ tag: 'y' })).map((r) => r.id)).toEqual([a.id])
    expect(await store.delete(a.id)).toBe(true)
    expect(await store.delete(a.id)).toBe(false)
    await expect(store.get(a.id)).rejects.toMatchObject({ code: 'not-found' })
    expect((await readdir(store.runsDir)).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('writes run.json with stable key order', async () => {
    const store = openRunStore(dir)
    const run = makeRun()
    await store.save(run)
    const text = await readFile(path.join(store.runDir(run.id), 'run.json'), 'utf8')
    expect(text).toBe(stableJson(run))
    expect(text.indexOf('"artifacts"')).toBeLessThan(text.indexOf('"workload"'))
  })

  it('names the file and the problem for a truncated run.json, and keeps listing the others', async () => {
    const store = openRunStore(dir)
    const good = makeRun()
    const bad = makeRun()
    await store.save(good)
    await store.save(bad)
    const file = path.join(store.runDir(bad.id), 'run.json')
    const text = await readFile(file, 'utf8')
    await writeFile(file, text.slice(0, text.length / 2))
    await rm(path.join(store.runDir(bad.id), 'summary.json'))
    const err = await store.get(bad.id).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect((err as StoreError).message).toContain(file)
    expect((err as StoreError).message).toMatch(/not valid JSON/)
    const { runs, problems } = await store.listWithProblems()
    expect(runs.map((r) => r.id)).toEqual([good.id])
    expect(problems).toHaveLength(1)
    expect(problems[0]!.id).toBe(bad.id)
    // Nothing was deleted or rewritten.
    expect(await readFile(file, 'utf8')).toBe(text.slice(0, text.length / 2))
  })

  it('reports schema problems with the field path', async () => {
    const store = openRunStore(dir)
    const run = makeRun()
    await store.save(run)
    const file = path.join(store.runDir(run.id), 'run.json')
    const raw = JSON.parse(await readFile(file, 'utf8'))
    raw.status = 'exploded'
    await writeFile(file, JSON.stringify(raw))
    await expect(store.get(run.id)).rejects.toThrow(/status/)
  })

  it('refuses records written by a newer schema', async () => {
    const store = openRunStore(dir)
    const run = makeRun()
    await store.save(run)
    const file = path.join(store.runDir(run.id), 'run.json')
    await writeFile(file, JSON.stringify({ ...run, schemaVersion: 99 }))
    await expect(store.get(run.id)).rejects.toThrow(/newer Hotpath/)
  })

  it('upgrades the v0 fixture when the store is opened, and writes the upgraded record back', async () => {
    await cp(path.join(__dirname, '../../fixtures/runs/v0'), dir, { recursive: true })
    const store = openRunStore(dir)
    const [summary] = await store.list()
    expect(summary?.id).toBe('20250601T120000000Z-orderbook-naive-v0fixt')
    const run = await store.get(summary!.id)
    expect(run.schemaVersion).toBe(RUN_SCHEMA_VERSION)
    expect(run.kind).toBe('workload')
    expect(run.tags).toEqual(['baseline', 'laptop'])
    expect(run.warnings).toEqual([])
    const onDisk = JSON.parse(await readFile(path.join(store.runDir(run.id), 'run.json'), 'utf8'))
    expect(onDisk).toEqual(run)
  })

  it('refuses invalid ids and paths that leave the run folder', async () => {
    const store = openRunStore(dir)
    const run = makeRun()
    await store.save(run)
    expect(() => store.runDir('../etc')).toThrow(/not a run id/)
    expect(() => store.artifactPath(run.id, '../../x')).toThrow(/leaves/)
    expect(() => store.artifactPath(run.id, '/etc/passwd')).toThrow(/absolute/)
    expect(store.artifactPath(run.id, 'cpu.cpuprofile')).toBe(path.join(store.runDir(run.id), 'cpu.cpuprofile'))
  })

  it('refuses to save an invalid record', async () => {
    const store = openRunStore(dir)
    const run = { ...makeRun(), status: 'weird' } as unknown as ReturnType<typeof makeRun>
    await expect(store.save(run)).rejects.toMatchObject({ code: 'invalid' })
  })

  it('describes artifacts with size and sha256', async () => {
    const store = openRunStore(dir)
    const run = makeRun()
    await store.createRunDir(run.id)
    await writeFile(store.artifactPath(run.id, 'stderr.log'), 'abc')
    const a = await store.describeArtifact(run.id, 'stderr', 'stderr.log')
    expect(a).toEqual({ kind: 'stderr', file: 'stderr.log', bytes: 3, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' })
  })
})

describe('paths', () => {
  it('resolves --store, then HOTPATH_HOME, then the platform default', () => {
    expect(resolveStoreDir({ flag: 'x', env: { HOTPATH_HOME: '/h' }, cwd: '/w' })).toBe('/w/x')
    expect(resolveStoreDir({ env: { HOTPATH_HOME: '/h' } })).toBe('/h')
    expect(defaultStoreDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.local/share/hotpath')
    expect(defaultStoreDir({ HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Application Support/Hotpath')
    expect(defaultStoreDir({ HOME: '/home/a', XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/hotpath')
  })

  it('keeps resolved paths inside their folder', () => {
    expect(() => resolveInside('/a', '..')).toThrow()
    expect(() => resolveInside('/a', 'b/../../c')).toThrow()
    expect(() => resolveInside('/a', 'C:\\x')).toThrow()
    expect(() => resolveInside('/a', 'x\0y')).toThrow()
    expect(resolveInside('/a', 'b/c')).toBe('/a/b/c')
  })
})

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temp files', async () => {
    const file = path.join(dir, 'f.json')
    await writeFileAtomic(file, 'one')
    await writeFileAtomic(file, 'two')
    expect(await readFile(file, 'utf8')).toBe('two')
    expect(await readdir(dir)).toEqual(['f.json'])
  })
})
