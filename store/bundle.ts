/**
 * Bundles carry runs between machines: a .tgz of runs/<id>/ folders plus hotpath-bundle.json.
 * Import stages every member into a private folder inside the store after checking its path, type and
 * size (no "..", absolute paths, links or devices; member, total and compression-ratio limits against
 * gzip bombs), then validates each run.json and its artifacts' sizes and sha256 before moving whole
 * run folders into runs/. Nothing is executed, nothing is written outside the store, nothing is overwritten.
 * Also imports single .cpuprofile / .heapsnapshot / .heapprofile files as runs of kind "imported".
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { create as createTar, Parser, type ReadEntry } from 'tar'
import { z } from 'zod'
import type { ImportResult } from '../core/api/schemas.js'
import type { EnvironmentSnapshot } from '../core/model/environment.js'
import { type Artifact, type RunId, type RunRecord, makeRunId, runIdSchema, runRecordSchema } from '../core/model/run.js'
import { ProfileFormatError, describeUnreadFormat } from '../core/import/index.js'
import { stableJson } from './atomic-write.js'
import { type ForeignProfile, convertForeignProfile } from './foreign-profile.js'
import { type RunStore, sha256File } from './run-store.js'
import { upgradeRun } from './upgrade-run.js'
import { DEFAULT_SAMPLING_INTERVAL_US, RUN_FILES } from '../core/model/run-layout.js'
import { createRunRecord } from '../core/model/run-record.js'

export const BUNDLE_MANIFEST = 'hotpath-bundle.json'

export const bundleManifestSchema = z.object({
  format: z.literal('hotpath-bundle'),
  version: z.literal(1),
  createdAt: z.string(),
  runs: z.array(runIdSchema),
})

export interface BundleLimits {
  /** Largest single member, in bytes. */
  maxMemberBytes: number
  /** Largest total of all members, in bytes. */
  maxTotalBytes: number
  /** Most members. */
  maxMembers: number
  /** Largest ratio of uncompressed to compressed bytes (gzip bombs compress ~1000:1). */
  maxCompressionRatio: number
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxMemberBytes: 4 * 1024 ** 3,
  maxTotalBytes: 16 * 1024 ** 3,
  maxMembers: 100_000,
  maxCompressionRatio: 200,
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BundleError'
  }
}

/** Writes a .tgz of the given runs (their folders as they are on disk) to `outFile`. */
export async function exportBundleToFile(store: RunStore, ids: readonly RunId[], outFile: string): Promise<void> {
  const unique = [...new Set(ids)]
  for (const id of unique) {
    if (!(await store.has(id))) throw new BundleError(`no run ${id} in ${store.root}`)
  }
  const staging = path.join(store.root, `.export-${randomBytes(6).toString('hex')}`)
  await mkdir(staging, { recursive: true })
  try {
    const manifest = { format: 'hotpath-bundle', version: 1, createdAt: new Date().toISOString(), runs: unique }
    await writeFile(path.join(staging, BUNDLE_MANIFEST), stableJson(manifest))
    const tmpOut = `${outFile}.${randomBytes(4).toString('hex')}.tmp`
    // Two roots in one archive: the manifest from staging, the run folders from the store.
    const manifestTar = createTar({ gzip: false, cwd: staging, portable: true, noMtime: false }, [BUNDLE_MANIFEST])
    const runsTar = createTar({ gzip: false, cwd: store.root, portable: true, noDirRecurse: false }, unique.map((id) => `runs/${id}`))
    try {
      await writeConcatenatedTarGz([manifestTar as AsyncIterable<Uint8Array>, runsTar as AsyncIterable<Uint8Array>], tmpOut)
      await rename(tmpOut, outFile)
    } catch (err) {
      // A failed write (a full disk, a target that is a folder) leaves no partial bundle behind.
      await rm(tmpOut, { force: true })
      throw err
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

export async function exportBundle(store: RunStore, ids: readonly RunId[]): Promise<Uint8Array> {
  const tmp = path.join(store.root, `.export-${randomBytes(6).toString('hex')}.tgz`)
  try {
    await exportBundleToFile(store, ids, tmp)
    return new Uint8Array(await readFile(tmp))
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * tar streams end with two zero blocks; concatenating two archives needs the first one's end blocks
 * dropped. Rather than rely on readers that ignore zeros, we strip them and gzip the result once.
 */
async function writeConcatenatedTarGz(parts: AsyncIterable<Uint8Array>[], outFile: string): Promise<void> {
  const { createGzip } = await import('node:zlib')
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const [i, part] of parts.entries()) {
      const buffers: Buffer[] = []
      for await (const c of part) buffers.push(Buffer.from(c))
      let all: Buffer = Buffer.concat(buffers)
      if (i < parts.length - 1) all = stripTarEnd(all)
      yield all
    }
  }
  await pipeline(Readable.from(chunks()), createGzip({ level: 6 }), createWriteStream(outFile, { mode: 0o644 }))
}

function stripTarEnd(tarBytes: Buffer): Buffer {
  // A tar ends with two 512-byte zero blocks (plus padding to the record size).
  let end = tarBytes.length
  while (end >= 512 && tarBytes.subarray(end - 512, end).every((b) => b === 0)) end -= 512
  return tarBytes.subarray(0, end)
}

/** Imports a bundle file; see the module comment for what is checked. */
export async function importBundleFile(store: RunStore, file: string, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): Promise<ImportResult> {
  const { size: compressedBytes } = await stat(file)
  await mkdir(store.runsDir, { recursive: true })
  const staging = path.join(store.root, `.import-${randomBytes(6).toString('hex')}`)
  await mkdir(staging, { recursive: true })
  try {
    await extractChecked(file, staging, compressedBytes, limits)
    return await adoptStagedRuns(store, staging)
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

const SAFE_SEGMENT = /^[A-Za-z0-9._-]{1,200}$/

/** Checks one member path: the manifest, a run folder, or a file under one; returns the normalized path. */
export function checkMemberPath(raw: string): string {
  if (raw.includes('\0') || raw.includes('\\')) throw new BundleError(`refused member ${JSON.stringify(raw)}: invalid characters`)
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw new BundleError(`refused member ${JSON.stringify(raw)}: absolute path`)
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) throw new BundleError(`refused member ${JSON.stringify(raw)}: ".." would leave the store`)
  for (const p of parts) if (!SAFE_SEGMENT.test(p)) throw new BundleError(`refused member ${JSON.stringify(raw)}: unexpected name "${p}"`)
  if (parts.length === 1 && parts[0] === BUNDLE_MANIFEST) return BUNDLE_MANIFEST
  if (parts[0] !== 'runs') throw new BundleError(`refused member ${JSON.stringify(raw)}: bundles hold only runs/<id>/ and ${BUNDLE_MANIFEST}`)
  if (parts.length === 1) return 'runs'
  if (!runIdSchema.safeParse(parts[1]).success) throw new BundleError(`refused member ${JSON.stringify(raw)}: "${parts[1]}" is not a run id`)
  if (parts.length > 5) throw new BundleError(`refused member ${JSON.stringify(raw)}: nested too deep`)
  return parts.join('/')
}

async function extractChecked(file: string, staging: string, compressedBytes: number, limits: BundleLimits): Promise<void> {
  let total = 0
  let members = 0
  const writes: Promise<void>[] = []
  let failure: Error | undefined
  const parser = new Parser({ strict: true, maxDecompressionRatio: limits.maxCompressionRatio })
  const fail = (err: Error): void => {
    failure ??= err
    parser.abort(err)
  }
  parser.on('entry', (entry: ReadEntry) => {
    if (failure) return entry.resume()
    try {
      members++
      if (members > limits.maxMembers) throw new BundleError(`refused: more than ${limits.maxMembers} members`)
      const rel = checkMemberPath(entry.path)
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') {
        throw new BundleError(`refused member ${JSON.stringify(entry.path)}: ${entry.type} entries are not allowed (only files and folders)`)
      }
      if (entry.size > limits.maxMemberBytes) throw new BundleError(`refused member ${entry.path}: ${entry.size} bytes is over the limit of ${limits.maxMemberBytes}`)
      total += entry.size
      if (total > limits.maxTotalBytes) throw new BundleError(`refused: the bundle unpacks to more than ${limits.maxTotalBytes} bytes`)
      if (total > 64 * 1024 ** 2 && total / Math.max(1, compressedBytes) > limits.maxCompressionRatio) {
        throw new BundleError(`refused: the bundle expands more than ${limits.maxCompressionRatio}x (a gzip bomb?)`)
      }
      const target = path.join(staging, rel)
      if (entry.type === 'Directory') {
        writes.push(mkdir(target, { recursive: true }).then(() => undefined))
        entry.resume()
        return
      }
      let written = 0
      const sink = (async () => {
        await mkdir(path.dirname(target), { recursive: true })
        // 'wx': a bundle naming the same file twice is refused instead of silently overwriting.
        const handle = await open(target, 'wx', 0o644)
        try {
          for await (const chunk of entry as AsyncIterable<Buffer>) {
            written += chunk.length
            if (written > entry.size) throw new BundleError(`member ${entry.path} is longer than its header says`)
            await handle.write(chunk)
          }
        } finally {
          await handle.close()
        }
      })().catch((err: Error) => fail(err.message.includes('EEXIST') ? new BundleError(`refused: ${entry.path} appears twice`) : err))
      writes.push(sink)
    } catch (err) {
      entry.resume()
      fail(err as Error)
    }
  })
  await new Promise<void>((resolve, reject) => {
    parser.on('error', (err: Error) => {
      failure ??= err
      reject(failure)
    })
    parser.on('warn', (code: string, message: string | Error) => {
      if (code === 'TAR_ENTRY_INVALID' || code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') fail(new BundleError(`not a valid bundle: ${String(message)}`))
    })
    parser.on('close', () => (failure ? reject(failure) : resolve()))
    parser.on('end', () => (failure ? reject(failure) : resolve()))
    const input = createReadStream(file)
    input.on('error', reject)
    input.pipe(parser as unknown as NodeJS.WritableStream)
  }).catch((err: Error) => {
    throw err instanceof BundleError ? err : new BundleError(`cannot read the bundle: ${err.message}`)
  })
  await Promise.all(writes)
  if (failure) throw failure instanceof BundleError ? failure : new BundleError(`cannot read the bundle: ${failure.message}`)
  if (members === 0) throw new BundleError('not a bundle: the archive is empty or not a .tgz')
}

async function adoptStagedRuns(store: RunStore, staging: string): Promise<ImportResult> {
  const manifestText = await readFile(path.join(staging, BUNDLE_MANIFEST), 'utf8').catch(() => undefined)
  if (manifestText === undefined) throw new BundleError(`not a Hotpath bundle: ${BUNDLE_MANIFEST} is missing`)
  const manifest = bundleManifestSchema.safeParse(safeJson(manifestText))
  if (!manifest.success) throw new BundleError(`${BUNDLE_MANIFEST} is not valid: ${manifest.error.issues[0]?.message}`)
  const stagedIds = await readdir(path.join(staging, 'runs')).catch(() => [] as string[])
  const imported: RunId[] = []
  const skipped: { id: string; reason: string }[] = []
  for (const id of stagedIds.filter((i) => !manifest.data.runs.includes(i))) skipped.push({ id, reason: 'not listed in the manifest' })
  for (const id of manifest.data.runs) {
    const dir = path.join(staging, 'runs', id)
    const problem = await checkStagedRun(dir, id)
    if (problem) {
      skipped.push({ id, reason: problem })
      continue
    }
    if (await store.has(id)) {
      skipped.push({ id, reason: 'already in the store (left unchanged)' })
      continue
    }
    await rename(dir, store.runDir(id))
    imported.push(id)
  }
  return { imported, skipped }
}

/** Validates a staged run folder: its run.json and every artifact's size and sha256. Returns a problem or undefined. */
async function checkStagedRun(dir: string, id: string): Promise<string | undefined> {
  const text = await readFile(path.join(dir, 'run.json'), 'utf8').catch(() => undefined)
  if (text === undefined) return 'run.json is missing'
  let record: RunRecord
  try {
    const parsed = runRecordSchema.safeParse(upgradeRun(JSON.parse(text)).record)
    if (!parsed.success) return `run.json is not a valid run record: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
    record = parsed.data
  } catch (err) {
    return `run.json cannot be read: ${(err as Error).message}`
  }
  if (record.id !== id) return `run.json holds run ${record.id}, not ${id}`
  const allowed = new Set(['run.json', 'summary.json', ...record.artifacts.map((a) => a.file)])
  for (const a of record.artifacts) {
    const file = path.join(dir, a.file)
    const info = await stat(file).catch(() => undefined)
    if (!info) return `artifact ${a.file} is missing`
    if (info.size !== a.bytes) return `artifact ${a.file} is ${info.size} bytes, run.json says ${a.bytes}`
    if ((await sha256File(file)) !== a.sha256) return `artifact ${a.file} does not match its sha256`
  }
  for (const f of await listFiles(dir)) {
    if (!allowed.has(f)) return `unexpected file ${f} (not listed as an artifact)`
  }
  return undefined
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)))
    else out.push(`${prefix}${e.name}`)
  }
  return out
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export type ImportKind = 'bundle' | 'cpuprofile' | 'heapsnapshot' | 'heapprofile'

/** Sniffs what a file is by its name, then by its first bytes. */
export async function sniffImportKind(name: string, head: Uint8Array): Promise<ImportKind | undefined> {
  const lower = name.toLowerCase()
  if (lower.endsWith('.tgz') || lower.endsWith('.tar.gz')) return 'bundle'
  if (lower.endsWith('.cpuprofile')) return 'cpuprofile'
  if (lower.endsWith('.heapsnapshot')) return 'heapsnapshot'
  if (lower.endsWith('.heapprofile')) return 'heapprofile'
  if (head[0] === 0x1f && head[1] === 0x8b) return 'bundle'
  const text = new TextDecoder().decode(head.subarray(0, 4096)).replace(/\s+/g, '')
  if (text.startsWith('{"snapshot":{"meta"')) return 'heapsnapshot'
  if (text.startsWith('{"head":{"callFrame"')) return 'heapprofile'
  if (text.startsWith('{"nodes":[') && /"startTime"|"samples"/.test(text + '"samples"')) return 'cpuprofile'
  return undefined
}

/** Imports a file on disk: a bundle, or a single profile that becomes a run of kind "imported". */
export async function importPath(store: RunStore, file: string, options: { environment?: EnvironmentSnapshot; limits?: BundleLimits } = {}): Promise<ImportResult> {
  const handle = await open(file, 'r')
  const head = Buffer.alloc(4096)
  const { bytesRead } = await handle.read(head, 0, head.length, 0)
  await handle.close()
  const name = path.basename(file)
  // Other profile formats (legacy .cpuprofile, Chrome traces, speedscope, pprof, V8 tick logs) are converted first.
  const foreign = await convertForeignProfile(file, name.replace(/^\.upload-[0-9a-f]+-/, '')).catch((err: unknown) => {
    throw err instanceof ProfileFormatError ? new BundleError(err.message) : err
  })
  if (foreign) return importConvertedProfile(store, file, foreign, options.environment)
  const kind = await sniffImportKind(name, head.subarray(0, bytesRead))
  if (!kind) {
    const detected = describeUnreadFormat(head.subarray(0, bytesRead).toString('utf8'), head.subarray(0, bytesRead))
    throw new BundleError(`${name}: ${detected ? `${detected}, which Hotpath does not read; it imports` : 'not'} a Hotpath bundle (.tgz), .cpuprofile, .heapsnapshot or .heapprofile, or a Chrome trace, speedscope, pprof or V8 tick log`)
  }
  if (kind === 'bundle') return importBundleFile(store, file, options.limits)
  return importProfileFile(store, file, kind, options.environment)
}

/** Writes a converted profile next to the original (as an upload would be) and imports that as a run. */
async function importConvertedProfile(store: RunStore, file: string, foreign: ForeignProfile, environment?: EnvironmentSnapshot): Promise<ImportResult> {
  const original = path.basename(file).replace(/^\.upload-[0-9a-f]+-/, '')
  const tmp = path.join(store.root, `.upload-${randomBytes(6).toString('hex')}-${original}`)
  await mkdir(store.root, { recursive: true })
  await writeFile(tmp, foreign.json)
  try {
    return await importProfileFile(store, tmp, foreign.kind, environment, foreign.description)
  } finally {
    await rm(tmp, { force: true })
  }
}

/** Imports bytes received over IPC or HTTP by writing them to a temp file inside the store first. */
export async function importFileBytes(store: RunStore, name: string, bytes: Uint8Array, options: { environment?: EnvironmentSnapshot } = {}): Promise<ImportResult> {
  const safeName = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_') || 'upload'
  await mkdir(store.root, { recursive: true })
  const tmp = path.join(store.root, `.upload-${randomBytes(6).toString('hex')}-${safeName}`)
  await writeFile(tmp, bytes)
  try {
    return await importPath(store, tmp, options)
  } finally {
    await rm(tmp, { force: true })
  }
}

const ARTIFACT_FOR: Record<Exclude<ImportKind, 'bundle'>, { file: string; kind: Artifact['kind'] }> = {
  cpuprofile: { file: RUN_FILES.cpuProfile, kind: 'cpuprofile' },
  heapsnapshot: { file: RUN_FILES.heapEnd, kind: 'heapsnapshot' },
  heapprofile: { file: RUN_FILES.allocProfile, kind: 'heapprofile' },
}

async function importProfileFile(
  store: RunStore,
  file: string,
  kind: Exclude<ImportKind, 'bundle'>,
  environment?: EnvironmentSnapshot,
  description?: string,
): Promise<ImportResult> {
  await validateProfileFile(file, kind)
  const name = path.basename(file).replace(/^\.upload-[0-9a-f]+-/, '')
  const now = new Date()
  const id = makeRunId(now, `imported-${kind}`, randomBytes(3).toString('hex'))
  const dir = await store.createRunDir(id)
  const target = ARTIFACT_FOR[kind]
  try {
    await pipeline(createReadStream(file), createWriteStream(path.join(dir, target.file), { flags: 'wx' }))
    const artifact = await store.describeArtifact(id, target.kind, target.file, description ?? `imported from ${name}`)
    const record: RunRecord = createRunRecord({
      id,
      kind: 'imported',
      createdAt: now.toISOString(),
      finishedAt: now.toISOString(),
      label: name,
      tags: ['imported'],
      notes: '',
      workload: { id: 'imported', variant: kind, params: {}, seed: 0 },
      measure: { timeoutMs: 1 },
      capture: { profile: [], samplingIntervalUs: DEFAULT_SAMPLING_INTERVAL_US, heapSnapshots: [], timingPass: false },
      runtime: { path: 'unknown', node: 'unknown', v8: 'unknown' },
      status: 'ok',
      exit: { code: null, signal: null },
      stderrTail: '',
      wallMs: 0,
      env: environment ?? unknownEnvironment(now),
      timeline: [],
      warnings: [{ kind: 'imported', message: `Imported from ${name}: no metrics, and the environment it was recorded on is unknown.` }],
      artifacts: [artifact],
    })
    await store.save(record)
    return { imported: [id], skipped: [] }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

/** Checks a profile's structure without loading huge files whole: JSON profiles fully, snapshots by their header. */
async function validateProfileFile(file: string, kind: Exclude<ImportKind, 'bundle'>): Promise<void> {
  const name = path.basename(file).replace(/^\.upload-[0-9a-f]+-/, '')
  const { size } = await stat(file)
  if (size === 0) throw new BundleError(`${name} is empty`)
  if (kind === 'heapsnapshot') {
    const handle = await open(file, 'r')
    const head = Buffer.alloc(Math.min(size, 65536))
    await handle.read(head, 0, head.length, 0)
    const tail = Buffer.alloc(Math.min(size, 64))
    await handle.read(tail, 0, tail.length, size - tail.length)
    await handle.close()
    const headText = head.toString('utf8').replace(/\s+/g, '')
    if (!headText.startsWith('{"snapshot":{"meta":{')) throw new BundleError(`${name} is not a V8 heap snapshot (no snapshot.meta header)`)
    if (!tail.toString('utf8').trimEnd().endsWith('}')) throw new BundleError(`${name} looks truncated (it does not end with "}")`)
    return
  }
  if (size > 512 * 1024 ** 2) throw new BundleError(`${name} is ${size} bytes; JSON profiles over 512 MB are not supported`)
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new BundleError(`${name} is not valid JSON (${(err as Error).message}); is it truncated?`)
  }
  const obj = raw as Record<string, unknown>
  if (kind === 'cpuprofile') {
    if (!Array.isArray(obj?.nodes) || typeof obj.startTime !== 'number' || typeof obj.endTime !== 'number') {
      throw new BundleError(`${name} is not a V8 CPU profile (needs nodes, startTime and endTime)`)
    }
  } else if (typeof obj?.head !== 'object' || obj.head === null) {
    throw new BundleError(`${name} is not a V8 sampling heap profile (needs head)`)
  }
}

export function unknownEnvironment(at: Date): EnvironmentSnapshot {
  return {
    capturedAt: at.toISOString(),
    os: { platform: 'unknown', distro: 'unknown', release: 'unknown', kernel: 'unknown', arch: 'unknown' },
    cpu: { brand: 'unknown', manufacturer: 'unknown', cores: 0, physicalCores: 0, speedGHz: 0 },
    memory: { totalBytes: 0 },
    runtime: { node: 'unknown', v8: 'unknown' },
    redacted: true,
    unavailable: ['environment: the file was imported, so the machine it was recorded on is unknown'],
  }
}

