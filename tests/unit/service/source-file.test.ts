/**
 * readSource's checks on real files in a temp folder: only urls the run's CPU profile names, only script
 * files, only under the allowed folders after symlinks are resolved, at most 2 MB; gone or non-file urls
 * come back as "unavailable" with their location. Also through WorkbenchService on a real store.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServiceInputError } from '../../../service/input-error.js'
import { MAX_SOURCE_BYTES, profileScriptUrls, readProfileSource, runWorkloadFolder, scriptPath } from '../../../service/source-file.js'
import { WorkbenchError, createWorkbenchService } from '../../../service/workbench-service.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'

let tmp: string
let allowed: string
let outside: string
let profilePath: string
const BOOK = 'export function rebuildHeap(a) {\n  return a.sort()\n}\n'
const url = (file: string): string => pathToFileURL(file).href

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-source-'))
  allowed = path.join(tmp, 'allowed')
  outside = path.join(tmp, 'outside')
  await mkdir(path.join(allowed, 'lib'), { recursive: true })
  await mkdir(outside)
  await writeFile(path.join(allowed, 'lib', 'book.js'), BOOK)
  await writeFile(path.join(allowed, 'notes.txt'), 'not a script')
  await writeFile(path.join(allowed, 'big.js'), Buffer.alloc(MAX_SOURCE_BYTES + 1, 0x20))
  await writeFile(path.join(outside, 'secret.js'), 'export const key = "do not show"\n')
  await symlink(path.join(outside, 'secret.js'), path.join(allowed, 'link.js'))
  const urls = ['lib/book.js', 'notes.txt', 'big.js', 'link.js', 'gone.js'].map((f) => url(path.join(allowed, f)))
  urls.push(url(path.join(outside, 'secret.js')), 'node:internal/timers', '')
  // A "url" written with a JSON escape, as V8 writes some characters.
  const profile = {
    nodes: urls.map((u, i) => ({
      id: i + 1,
      callFrame: { functionName: `f${i}`, scriptId: String(i), url: u, lineNumber: 0, columnNumber: 0 },
    })),
    startTime: 0,
    endTime: 1,
    samples: [],
    timeDeltas: [],
  }
  profilePath = path.join(tmp, 'cpu.cpuprofile')
  await writeFile(profilePath, JSON.stringify(profile).replace('"url":"node:internal/timers"', '"url":"node:internal\\/timers"'))
})

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

const read = (u: string, extra: Partial<Parameters<typeof readProfileSource>[0]> = {}) =>
  readProfileSource({ profilePath, profileLabel: 'The test profile', url: u, line: 1, folders: [allowed], ...extra })

async function refusal(promise: Promise<unknown>): Promise<ServiceInputError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(ServiceInputError)
    return err as ServiceInputError
  }
  throw new Error('expected a refusal')
}

describe('readProfileSource', () => {
  it('reads a script the profile names under an allowed folder', async () => {
    const result = await read(url(path.join(allowed, 'lib', 'book.js')))
    expect(result).toMatchObject({ status: 'ok', language: 'javascript', bytes: BOOK.length, text: BOOK })
  })

  it('refuses urls the profile does not name, even inside the allowed folder', async () => {
    await writeFile(path.join(allowed, 'unnamed.js'), 'x')
    const err = await refusal(read(url(path.join(allowed, 'unnamed.js'))))
    expect(err.code).toBe('bad-request')
    expect(err.message).toMatch(/names no script/)
  })

  it('refuses a file outside the allowed folders', async () => {
    const err = await refusal(read(url(path.join(outside, 'secret.js'))))
    expect(err.message).toMatch(/outside the folders sources are read from/)
    expect(err.message).toContain(allowed)
  })

  it('refuses a symlink inside the allowed folder that points outside it', async () => {
    const err = await refusal(read(url(path.join(allowed, 'link.js'))))
    expect(err.message).toMatch(/is a link to .*secret\.js/)
  })

  it('reads the same file through an allowed folder that is itself a link', async () => {
    const linkedRoot = path.join(tmp, 'linked-root')
    await symlink(allowed, linkedRoot)
    const result = await read(url(path.join(allowed, 'lib', 'book.js')), { folders: [linkedRoot] })
    expect(result.status).toBe('ok')
  })

  it('refuses files over 2 MB with too-large, and non-script files', async () => {
    const big = await refusal(read(url(path.join(allowed, 'big.js'))))
    expect(big.code).toBe('too-large')
    expect(big.message).toMatch(/2097152-byte limit/)
    const txt = await refusal(read(url(path.join(allowed, 'notes.txt'))))
    expect(txt.message).toMatch(/not a JavaScript or TypeScript file/)
  })

  it('says "unavailable" with the location for gone files and Node internals', async () => {
    const gone = await read(url(path.join(allowed, 'gone.js')), { line: 12 })
    expect(gone).toMatchObject({ status: 'unavailable', location: `${url(path.join(allowed, 'gone.js'))}:12` })
    expect(gone.status === 'unavailable' && gone.reason).toMatch(/No file at/)
    const internal = await read('node:internal/timers')
    expect(internal).toMatchObject({ status: 'unavailable', location: 'node:internal/timers:1' })
  })

  it('no folder at all refuses everything', async () => {
    const err = await refusal(read(url(path.join(allowed, 'lib', 'book.js')), { folders: [path.join(tmp, 'missing')] }))
    expect(err.message).toMatch(/no folder/)
  })
})

describe('helpers', () => {
  it('scans every url of a profile, JSON escapes decoded', async () => {
    const urls = await profileScriptUrls(profilePath)
    expect(urls.has('node:internal/timers')).toBe(true)
    expect(urls.has(url(path.join(allowed, 'lib', 'book.js')))).toBe(true)
    expect(urls.size).toBe(8)
  })

  it('maps redacted homes and CommonJS paths; others are not files', () => {
    expect(scriptPath('file://~/p/a.js', '/home/me')).toBe('/home/me/p/a.js')
    expect(scriptPath('/srv/app/a.js', '/home/me')).toBe('/srv/app/a.js')
    expect(scriptPath('file:///srv/a%20b.js', '/home/me')).toBe('/srv/a b.js')
    expect(scriptPath('node:fs', '/home/me')).toBeNull()
    expect(scriptPath('evalmachine.<anonymous>', '/home/me')).toBeNull()
  })

  it("finds a workload-file run's folder from the profile's url of the file", () => {
    const urls = new Set(['node:fs', 'file:///repo/bench/orders.bench.ts'])
    expect(runWorkloadFolder(urls, 'bench/orders.bench.ts', '/home/me')).toBe('/repo')
    expect(runWorkloadFolder(urls, 'other.bench.ts', '/home/me')).toBeNull()
    expect(runWorkloadFolder(urls, '../bench/orders.bench.ts', '/home/me')).toBeNull()
    expect(runWorkloadFolder(urls, undefined, '/home/me')).toBeNull()
  })
})

describe('WorkbenchService.readSource', () => {
  it("reads through the run's CPU profile artifact, and refuses runs without one", async () => {
    const storeDir = path.join(tmp, 'store')
    const store = openRunStore(storeDir)
    const run = makeRun({ artifacts: [{ kind: 'cpuprofile', file: 'cpu.cpuprofile', bytes: 1, sha256: '0'.repeat(64) }] })
    const bare = makeRun()
    await store.save(run)
    await store.save(bare)
    await writeFile(store.artifactPath(run.id, 'cpu.cpuprofile'), await import('node:fs/promises').then((fs) => fs.readFile(profilePath)))
    const service = createWorkbenchService({
      store,
      workloadFiles: { root: allowed, allowOutside: false },
      deps: { listWorkloads: () => [] },
    })
    const ok = await service.readSource(run.id, { file: 'cpu.cpuprofile', url: url(path.join(allowed, 'lib', 'book.js')), line: 1 })
    expect(ok.status).toBe('ok')
    const err = await service
      .readSource(run.id, { file: 'cpu.cpuprofile', url: url(path.join(outside, 'secret.js')) })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WorkbenchError)
    expect((err as WorkbenchError).code).toBe('bad-request')
    const none = await service.readSource(bare.id, { file: 'cpu.cpuprofile', url: 'x' }).catch((e: unknown) => e)
    expect((none as WorkbenchError).code).toBe('not-found')
    const badFile = await service.readSource(run.id, { file: '../x.cpuprofile', url: 'x' }).catch((e: unknown) => e)
    expect((badFile as WorkbenchError).code).toBe('bad-request')
    await service.dispose()
  })
})
