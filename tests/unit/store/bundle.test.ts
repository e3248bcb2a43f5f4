import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRunStore, sha256File } from '../../../store/run-store.js'
import { BundleError, checkMemberPath, exportBundleToFile, importBundleFile, importFileBytes, importPath } from '../../../store/bundle.js'
import { makeRun } from '../../helpers/make-run.js'
import { rawTgz } from '../../helpers/raw-tar.js'

let tmp: string
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-bundle-'))
})
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** The smallest valid CPU profile: a root and one child, one sample. */
const TINY_CPU_PROFILE = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [2] },
    { id: 2, callFrame: { functionName: 'work', scriptId: '1', url: 'file:///app/work.js', lineNumber: 0, columnNumber: 0 }, hitCount: 1 },
  ],
  startTime: 0,
  endTime: 1000,
  samples: [2],
  timeDeltas: [1000],
}

async function storeWithTwoRuns() {
  const store = openRunStore(path.join(tmp, 'a'))
  const runs = [makeRun(), makeRun({ workload: { id: 'var', variant: 'pooled', params: { paths: 1000 }, seed: 7 } })]
  for (const run of runs) {
    await store.createRunDir(run.id)
    await writeFile(store.artifactPath(run.id, 'cpu.cpuprofile'), JSON.stringify(TINY_CPU_PROFILE))
    run.artifacts = [await store.describeArtifact(run.id, 'cpuprofile', 'cpu.cpuprofile')]
    await store.save(run)
  }
  return { store, runs }
}

async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  async function walk(d: string, prefix: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(d, e.name), `${prefix}${e.name}/`)
      else out[`${prefix}${e.name}`] = await sha256File(path.join(d, e.name))
    }
  }
  await walk(dir, '')
  return out
}

describe('bundles', () => {
  it('export then import into an empty store reproduces the runs byte for byte', async () => {
    const { store, runs } = await storeWithTwoRuns()
    const file = path.join(tmp, 'runs.tgz')
    await exportBundleToFile(store, runs.map((r) => r.id), file)
    const target = openRunStore(path.join(tmp, 'b'))
    const result = await importBundleFile(target, file)
    expect(result.imported.sort()).toEqual(runs.map((r) => r.id).sort())
    expect(result.skipped).toEqual([])
    expect(await snapshotTree(target.runsDir)).toEqual(await snapshotTree(store.runsDir))
    // Nothing left behind in the store root but runs/ and the store's version marker.
    expect(await readdir(target.root)).toEqual(['runs', 'store.json'])
    // Importing again skips, leaving the runs unchanged.
    const again = await importBundleFile(target, file)
    expect(again.imported).toEqual([])
    expect(again.skipped.map((s) => s.reason)).toEqual(['already in the store (left unchanged)', 'already in the store (left unchanged)'])
  })

  it('refuses unknown run ids on export', async () => {
    const { store } = await storeWithTwoRuns()
    await expect(exportBundleToFile(store, ['20990101T000000000Z-nope-1'], path.join(tmp, 'x.tgz'))).rejects.toThrow(/no run/)
  })

  const manifest = (ids: string[]) => JSON.stringify({ format: 'hotpath-bundle', version: 1, createdAt: '2026-01-01T00:00:00Z', runs: ids })

  it.each([
    ['a ../ path', { path: '../escaped.txt', body: 'x' }, /would leave the store/],
    ['a nested ../ path', { path: 'runs/20261123T000000000Z-a-1/../../../escaped.txt', body: 'x' }, /would leave the store/],
    ['an absolute path', { path: '/tmp/escaped.txt', body: 'x' }, /absolute path/],
    ['a symlink', { path: 'runs/20261123T000000000Z-a-1/link', type: '2' as const, linkpath: '/etc/passwd' }, /SymbolicLink entries are not allowed/],
    ['a device', { path: 'runs/20261123T000000000Z-a-1/dev', type: '3' as const }, /CharacterDevice entries are not allowed/],
    ['a member outside runs/', { path: 'etc/passwd', body: 'x' }, /bundles hold only/],
  ])('refuses %s and writes nothing', async (_name, member, message) => {
    const store = openRunStore(path.join(tmp, 'store'))
    const file = path.join(tmp, 'evil.tgz')
    await writeFile(file, rawTgz([{ path: 'hotpath-bundle.json', body: manifest([]) }, member]))
    await expect(importBundleFile(store, file)).rejects.toThrow(message)
    expect(await readdir(store.root)).toEqual(['runs'])
    expect(await readdir(store.runsDir)).toEqual([])
    await expect(readFile(path.join(tmp, 'escaped.txt'))).rejects.toThrow()
    await expect(readFile('/tmp/escaped.txt')).rejects.toThrow()
  })

  it('refuses a gzip bomb before inflating it', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const file = path.join(tmp, 'bomb.tgz')
    const big = Buffer.alloc(200 * 1024 * 1024, 0)
    await writeFile(file, rawTgz([{ path: 'hotpath-bundle.json', body: manifest([]) }, { path: 'runs/20261123T000000000Z-a-1/run.json', body: big }]))
    expect((await readFile(file)).length).toBeLessThan(1024 * 1024)
    await expect(importBundleFile(store, file)).rejects.toThrow(/expands|ratio|gzip bomb|decompression/i)
    expect(await readdir(store.runsDir)).toEqual([])
  })

  it('refuses members over the size limit', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const file = path.join(tmp, 'big.tgz')
    await writeFile(file, rawTgz([{ path: 'hotpath-bundle.json', body: manifest([]) }, { path: 'runs/20261123T000000000Z-a-1/run.json', body: 'x'.repeat(5000) }]))
    await expect(importBundleFile(store, file, { maxMemberBytes: 1000, maxTotalBytes: 1e9, maxMembers: 10, maxCompressionRatio: 1e9 })).rejects.toThrow(/over the limit/)
  })

  it('skips a run whose artifact does not match its checksum, imports the good one', async () => {
    const { store, runs } = await storeWithTwoRuns()
    const [good, bad] = runs as [ReturnType<typeof makeRun>, ReturnType<typeof makeRun>]
    // Same size, different bytes: only the checksum can tell.
    await writeFile(store.artifactPath(bad.id, 'cpu.cpuprofile'), JSON.stringify({ ...TINY_CPU_PROFILE, endTime: 1001 }))
    const file = path.join(tmp, 'runs.tgz')
    await exportBundleToFile(store, [good.id, bad.id], file)
    const target = openRunStore(path.join(tmp, 'b'))
    const result = await importBundleFile(target, file)
    expect(result.imported).toEqual([good.id])
    expect(result.skipped).toEqual([{ id: bad.id, reason: 'artifact cpu.cpuprofile does not match its sha256' }])
    expect(await readdir(target.runsDir)).toEqual([good.id])
  })

  it('refuses files that are not bundles with a clear error', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const file = path.join(tmp, 'junk.tgz')
    await writeFile(file, gzipSync(Buffer.from('hello, not a tar')))
    await expect(importBundleFile(store, file)).rejects.toBeInstanceOf(BundleError)
    await writeFile(file, 'plain text')
    await expect(importBundleFile(store, file)).rejects.toBeInstanceOf(BundleError)
    const noManifest = path.join(tmp, 'nomanifest.tgz')
    await writeFile(noManifest, rawTgz([{ path: 'runs/', type: '5' }]))
    await expect(importBundleFile(store, noManifest)).rejects.toThrow(/hotpath-bundle.json is missing/)
  })

  it('checks member paths', () => {
    expect(checkMemberPath('./runs/20261123T000000000Z-a-1/run.json')).toBe('runs/20261123T000000000Z-a-1/run.json')
    expect(() => checkMemberPath('runs/not-an-id/run.json')).toThrow(/not a run id/)
    expect(() => checkMemberPath('runs\\x')).toThrow(/invalid characters/)
    expect(() => checkMemberPath('C:/x')).toThrow(/absolute/)
  })
})

describe('importing single profiles', () => {
  it('imports a .cpuprofile as a run of kind imported', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const profile = JSON.stringify({ nodes: [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 } }], startTime: 0, endTime: 10, samples: [1], timeDeltas: [10] })
    const result = await importFileBytes(store, 'my app.cpuprofile', new TextEncoder().encode(profile))
    expect(result.imported).toHaveLength(1)
    const run = await store.get(result.imported[0]!)
    expect(run.kind).toBe('imported')
    expect(run.label).toBe('my_app.cpuprofile')
    expect(run.artifacts.map((a) => a.file)).toEqual(['cpu.cpuprofile'])
    expect(await readFile(store.artifactPath(run.id, 'cpu.cpuprofile'), 'utf8')).toBe(profile)
    expect((await readdir(store.root)).sort()).toEqual(['runs', 'store.json'])
  })

  it('refuses truncated or wrong-format profiles, naming the file, and keeps nothing', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    await expect(importFileBytes(store, 'x.cpuprofile', new TextEncoder().encode('{"nodes":[1,2'))).rejects.toThrow(/x.cpuprofile is not valid JSON/)
    await expect(importFileBytes(store, 'x.cpuprofile', new TextEncoder().encode('{"a":1}'))).rejects.toThrow(/x\.cpuprofile: CPU profile: no `nodes` array/)
    await expect(importFileBytes(store, 'x.heapsnapshot', new TextEncoder().encode('{"snapshot":{"meta":{"node_fields":[]'))).rejects.toThrow(/truncated/)
    await expect(importFileBytes(store, 'notes.txt', new TextEncoder().encode('hello'))).rejects.toThrow(/not a Hotpath bundle/)
    expect(await readdir(store.runsDir).catch(() => [])).toEqual([])
    expect(await readdir(store.root)).toEqual([])
  })

  it('checks a V8 .cpuprofile with the byte importer: its problems with their byte offset, progress to the end', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const text = JSON.stringify(TINY_CPU_PROFILE)
    // Cut inside the second node: the byte importer names where the file ends (the JSON.parse path could not).
    const cut = text.indexOf('"work"')
    await expect(importFileBytes(store, 'trunc.cpuprofile', new TextEncoder().encode(text.slice(0, cut)))).rejects.toThrow(
      new RegExp(`^trunc\\.cpuprofile: CPU profile: the file ends at byte ${cut} while .* was expected; the file is truncated$`),
    )
    // A sample naming a node that is not there: the importer's own check.
    const bad = JSON.stringify({ ...TINY_CPU_PROFILE, samples: [9] })
    await expect(importFileBytes(store, 'bad.cpuprofile', new TextEncoder().encode(bad))).rejects.toThrow(/bad\.cpuprofile: CPU profile: sample 0 refers to node id 9/)
    expect(await readdir(store.runsDir).catch(() => [])).toEqual([])
    // Progress while a file is checked, up to its size.
    const big = path.join(tmp, 'big.cpuprofile')
    const nodes = [{ ...TINY_CPU_PROFILE.nodes[0]!, children: Array.from({ length: 3000 }, (_, i) => i + 2) }]
    for (let i = 0; i < 3000; i++) {
      nodes.push({ id: i + 2, callFrame: { functionName: `f${i}`, scriptId: '1', url: 'file:///app/work.js', lineNumber: i, columnNumber: 0 }, hitCount: 1 } as never)
    }
    await writeFile(big, JSON.stringify({ ...TINY_CPU_PROFILE, nodes, samples: Array.from({ length: 3000 }, (_, i) => i + 2), timeDeltas: Array(3000).fill(100) }))
    const seen: [number, number][] = []
    const result = await importPath(store, big, { onProgress: (done, total) => seen.push([done, total]) })
    expect(result.imported).toHaveLength(1)
    const size = (await readFile(big)).length
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen.at(-1)).toEqual([size, size])
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0])
  })

  it('sniffs by content when the name says nothing', async () => {
    const store = openRunStore(path.join(tmp, 'store'))
    const file = path.join(tmp, 'download')
    await writeFile(file, JSON.stringify({ head: { callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] }, samples: [] }))
    const result = await importPath(store, file)
    expect((await store.get(result.imported[0]!)).artifacts[0]!.file).toBe('alloc.heapprofile')
  })
})
