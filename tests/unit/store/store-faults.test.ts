/**
 * Faults leave records: `running` runs whose owner is gone read as `interrupted` (with the artifacts
 * they left), staging folders of killed imports are removed when the store is opened, and a bundle
 * with too many members is refused before a single file is extracted.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importBundleFile, scanBundle, DEFAULT_BUNDLE_LIMITS } from '../../../store/bundle.js'
import { ownerOfThisProcess } from '../../../store/run-liveness.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'
import { rawTgz } from '../../helpers/raw-tar.js'

let tmp: string
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-faults-'))
})
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** The pid of a process that has exited (so no process has it, barring reuse within the test). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const pid = child.pid!
  await new Promise((resolve) => child.on('exit', resolve))
  return pid
}

describe('running and interrupted runs', () => {
  it('a running run whose owner died reads as interrupted, with the artifacts it left, and is finished on disk', async () => {
    const root = path.join(tmp, 'store')
    const writer = openRunStore(root)
    const base = makeRun()
    const pid = await deadPid()
    const { owner: _o, ...rest } = base
    await writer.save({ ...rest, status: 'running', owner: { ...ownerOfThisProcess(), pid }, metrics: undefined, artifacts: [] })
    await writeFile(writer.artifactPath(base.id, 'cpu.cpuprofile'), '{"nodes":[')
    await writeFile(writer.artifactPath(base.id, '.stderr.log.tmp'), 'half-written')

    const store = openRunStore(root)
    const [summary] = await store.list()
    expect(summary?.status).toBe('interrupted')
    const run = await store.get(base.id)
    expect(run.status).toBe('interrupted')
    expect(run.owner).toBeUndefined()
    expect(run.error).toMatch(/interrupted/)
    expect(run.artifacts.map((a) => [a.kind, a.file])).toEqual([['cpuprofile', 'cpu.cpuprofile']])
    expect(run.artifacts[0]!.label).toMatch(/may be incomplete/)
    const onDisk = JSON.parse(await readFile(path.join(store.runDir(base.id), 'run.json'), 'utf8'))
    expect(onDisk.status).toBe('interrupted')
    expect(await store.list({ status: 'interrupted' })).toHaveLength(1)
  })

  it('a running run owned by this live process stays running', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const run = makeRun()
    await store.save({ ...run, status: 'running', owner: ownerOfThisProcess() })
    expect((await store.list())[0]?.status).toBe('running')
    expect((await store.get(run.id)).status).toBe('running')
  })

  it('a live pid that started at another time (a reused pid) does not keep a run running', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const run = makeRun()
    // The parent process is alive, but it is not the process that started the run a day ago.
    const owner = { ...ownerOfThisProcess(), pid: process.ppid, processStartedAt: new Date(Date.now() - 86_400_000).toISOString() }
    await store.save({ ...run, status: 'running', owner })
    expect((await store.get(run.id)).status).toBe(process.platform === 'linux' ? 'interrupted' : 'running')
  })

  it('a running run owned on another machine keeps its status (its pid means nothing here)', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const run = makeRun()
    await store.save({ ...run, status: 'running', owner: { pid: await deadPid(), processStartedAt: new Date().toISOString(), machine: 'hp1-0123456789abcdef' } })
    expect((await store.get(run.id)).status).toBe('running')
  })
})

describe('opening a store', () => {
  it('removes staging folders of dead processes and keeps those of live ones', async () => {
    const root = path.join(tmp, 'store')
    const dead = await deadPid()
    const stale = path.join(root, `.import-${dead}-0123456789ab`)
    await mkdir(path.join(stale, 'runs', 'x'), { recursive: true })
    for (let i = 0; i < 500; i++) await writeFile(path.join(stale, 'runs', 'x', `f${i}`), '')
    await mkdir(path.join(root, `.export-${dead}-aaaaaaaaaaaa`), { recursive: true })
    const live = path.join(root, `.import-${process.pid}-0123456789ab`)
    await mkdir(live, { recursive: true })
    await mkdir(path.join(root, 'runs', `.deleting-20261123T000000000Z-a-1-${dead}`), { recursive: true })
    const store = openRunStore(root)
    await store.list()
    // .index is the derived run index (store/run-index.ts) that listing creates.
    expect((await readdir(root)).sort()).toEqual([`.import-${process.pid}-0123456789ab`, '.index', 'runs', 'store.json'])
    expect(await readdir(path.join(root, 'runs'))).toEqual([])
  })
})

describe('bundle limits while streaming', () => {
  it('refuses a bundle of 100,001 members before extracting any of them', async () => {
    const root = path.join(tmp, 'store')
    const store = openRunStore(root)
    const id = '20261123T000000000Z-a-1'
    const members = [{ path: 'hotpath-bundle.json', body: JSON.stringify({ format: 'hotpath-bundle', version: 1, createdAt: '2026-01-01T00:00:00Z', runs: [id] }) }]
    for (let i = 0; i < 100_000; i++) members.push({ path: `runs/${id}/f${i}`, body: '' })
    const file = path.join(tmp, 'many.tgz')
    await writeFile(file, rawTgz(members))
    const started = performance.now()
    await expect(importBundleFile(store, file)).rejects.toThrow(/more than 100000 members/)
    const elapsedMs = performance.now() - started
    // Refused by the header pass: no staging folder was ever made, nothing was written.
    expect((await readdir(root)).filter((n) => n.startsWith('.'))).toEqual([])
    expect(await readdir(store.runsDir)).toEqual([])
    // Not a timing assertion (machines differ); printed for the record.
    console.log(`refused 100,001 members in ${elapsedMs.toFixed(0)} ms`)
  }, 60_000)

  it('the header pass counts members and stops at the first one past the limit', async () => {
    const file = path.join(tmp, 'few.tgz')
    await writeFile(file, rawTgz([{ path: 'hotpath-bundle.json', body: '{}' }, { path: 'runs/', type: '5' }, { path: 'runs/20261123T000000000Z-a-1/x', body: 'x' }]))
    expect(await scanBundle(file, 100, DEFAULT_BUNDLE_LIMITS)).toEqual({ members: 3, totalBytes: 3 })
    await expect(scanBundle(file, 100, { ...DEFAULT_BUNDLE_LIMITS, maxMembers: 2 })).rejects.toThrow(/more than 2 members/)
    await expect(scanBundle(file, 100, { ...DEFAULT_BUNDLE_LIMITS, maxTotalBytes: 2 })).rejects.toThrow(/unpacks to more than 2 bytes/)
  })
})
