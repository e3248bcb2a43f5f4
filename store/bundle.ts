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
import os from 'node:os'
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { create as createTar, Parser, type ReadEntry } from 'tar'
import { z } from 'zod'
import type { ImportResult } from '../core/api/schemas.js'
import type { EnvironmentSnapshot } from '../core/model/environment.js'
import { type Artifact, type RunId, type RunRecord, makeRunId, runIdSchema, runRecordSchema, summarizeRun } from '../core/model/run.js'
import { stableJson, writeFileAtomic } from './atomic-write.js'
import { redactHeapSnapshotFile } from './heap-redaction.js'
import { resolveInside } from './paths.js'
import { validateProfileFile } from './profile-file.js'
import { TarScanError, scanTarGz } from './tar-scan.js'
import { ProfileFormatError, describeUnreadFormat } from '../core/import/index.js'
import { type ForeignProfile, convertForeignProfile } from './foreign-profile.js'
import { type RunStore, sha256File } from './run-store.js'
import { upgradeRun } from './upgrade-run.js'
import { DEFAULT_SAMPLING_INTERVAL_US, RUN_FILES } from '../core/model/run-layout.js'
import { createRunRecord } from '../core/model/run-record.js'
import { BundleError } from './bundle-error.js'

export const BUNDLE_MANIFEST = 'hotpath-bundle.json'

export const bundleManifestSchema = z.object({
  format: z.literal('hotpath-bundle'),
  version: z.literal(1),
  createdAt: z.string(),
  runs: z.array(runIdSchema),
  /** What the bundle's files hold about the machines they come from (optional; added with run.json v2). */
  privacy: z
    .object({
      /** Runs whose run.json keeps identifiers (captured with --no-redact). */
      unredactedRuns: z.array(runIdSchema),
      /** Heap snapshots hold the measured process's strings: "as-written" by V8, or with "home-paths-redacted". */
      heapSnapshots: z.enum(['as-written', 'home-paths-redacted', 'none']),
      note: z.string(),
    })
    .optional(),
})
export type BundleManifest = z.infer<typeof bundleManifestSchema>

export interface ExportOptions {
  /** Rewrite home paths in heap snapshot strings (streaming), instead of carrying them as V8 wrote them. */
  redactHeap?: boolean
}

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

export { BundleError } from './bundle-error.js'

/**
 * Writes a .tgz of the given runs to `outFile`: their folders as they are on disk (records migrated to
 * this build's schema first), plus a manifest saying what the files hold about their machine. With
 * `redactHeap`, heap snapshots are carried with home paths rewritten (streamed into staging) and the
 * run.json that lists them gets their new sizes and sha256.
 */
export async function exportBundleToFile(store: RunStore, ids: readonly RunId[], outFile: string, options: ExportOptions = {}): Promise<void> {
  const unique = [...new Set(ids)]
  const records: RunRecord[] = []
  for (const id of unique) {
    if (!(await store.has(id))) throw new BundleError(`no run ${id} in ${store.root}`)
    // Reading migrates an old record on disk (redacting what v1 kept), so the folder is exported as v2.
    const record = await store.get(id)
    if (record.status === 'running') throw new BundleError(`run ${id} is still running; export it when it has finished`)
    records.push(record)
  }
  const staging = path.join(store.root, `.export-${process.pid}-${randomBytes(6).toString('hex')}`)
  await mkdir(staging, { recursive: true })
  try {
    const hasHeap = records.some((r) => r.artifacts.some((a) => a.kind === 'heapsnapshot'))
    const manifest: BundleManifest = {
      format: 'hotpath-bundle',
      version: 1,
      createdAt: new Date().toISOString(),
      runs: unique,
      privacy: {
        unredactedRuns: records.filter((r) => !r.env.redacted).map((r) => r.id),
        heapSnapshots: !hasHeap ? 'none' : options.redactHeap ? 'home-paths-redacted' : 'as-written',
        note: !hasHeap
          ? 'run.json, stderr.log and profiles are redacted unless the run was captured with --no-redact.'
          : options.redactHeap
            ? 'Heap snapshots had home paths rewritten to ~ (export --redact-heap); their other strings are the measured process\'s own.'
            : 'Heap snapshots hold the strings of the measured process as V8 wrote them, home paths (and so user names) included; export with --redact-heap to rewrite them.',
      },
    }
    await writeFile(path.join(staging, BUNDLE_MANIFEST), stableJson(manifest))
    // Files replaced in the bundle (redacted snapshots and the run.json listing them) come from staging;
    // every other file of a run comes from the store as it is.
    const replaced = new Set<string>()
    if (options.redactHeap) {
      const user = safeUserName()
      const ids = { homes: [os.homedir()], users: user ? [user] : [] }
      for (const record of records) {
        if (!record.artifacts.some((a) => a.kind === 'heapsnapshot')) continue
        const dir = path.join(staging, 'runs', record.id)
        await mkdir(dir, { recursive: true })
        const artifacts: Artifact[] = []
        for (const a of record.artifacts) {
          if (a.kind !== 'heapsnapshot') {
            artifacts.push(a)
            continue
          }
          const to = resolveInside(dir, a.file)
          await mkdir(path.dirname(to), { recursive: true })
          await redactHeapSnapshotFile(store.artifactPath(record.id, a.file), to, ids)
          const { size } = await stat(to)
          artifacts.push({ ...a, bytes: size, sha256: await sha256File(to), label: `${a.label ?? 'heap snapshot'} (home paths redacted)` })
          replaced.add(`runs/${record.id}/${a.file}`)
        }
        const next = { ...record, artifacts }
        await writeFile(path.join(dir, 'run.json'), stableJson(next))
        await writeFile(path.join(dir, 'summary.json'), stableJson(summarizeRun(next)))
        replaced.add(`runs/${record.id}/run.json`).add(`runs/${record.id}/summary.json`)
      }
    }
    const fromStore: string[] = []
    for (const id of unique) {
      for (const f of await listFiles(store.runDir(id))) {
        const member = `runs/${id}/${f}`
        if (!replaced.has(member) && !f.split('/').some((part) => part.startsWith('.'))) fromStore.push(member)
      }
    }
    const tmpOut = `${outFile}.${randomBytes(4).toString('hex')}.tmp`
    // Two roots in one archive: the manifest and replaced files from staging, the run folders from the store.
    const stagedTar = createTar({ gzip: false, cwd: staging, portable: true, noMtime: false }, [BUNDLE_MANIFEST, ...[...replaced].sort()])
    const parts = [stagedTar as AsyncIterable<Uint8Array>]
    if (fromStore.length > 0) parts.push(createTar({ gzip: false, cwd: store.root, portable: true }, fromStore) as AsyncIterable<Uint8Array>)
    try {
      await writeConcatenatedTarGz(parts, tmpOut)
      await rename(tmpOut, outFile)
    } catch (err) {
      await rm(tmpOut, { force: true })
      throw err
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username
  } catch {
    return undefined
  }
}

export async function exportBundle(store: RunStore, ids: readonly RunId[], options: ExportOptions = {}): Promise<Uint8Array> {
  const tmp = path.join(store.root, `.export-${process.pid}-${randomBytes(6).toString('hex')}.tgz`)
  try {
    await exportBundleToFile(store, ids, tmp, options)
    return new Uint8Array(await readFile(tmp))
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * tar streams end with two 512-byte zero blocks (node-tar's Pack writes exactly those 1024 bytes);
 * concatenating two archives needs the first one's end dropped. Rather than rely on readers that ignore
 * zeros, each part but the last is streamed with its final 1024 bytes held back and dropped, and the
 * result is gzipped once. Nothing is buffered beyond one chunk (parts can hold large heap snapshots).
 */
async function writeConcatenatedTarGz(parts: AsyncIterable<Uint8Array>[], outFile: string): Promise<void> {
  const { createGzip } = await import('node:zlib')
  const END = 1024
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) {
        for await (const c of part) yield Buffer.from(c)
        continue
      }
      let held: Buffer = Buffer.alloc(0)
      for await (const c of part) {
        const all = Buffer.concat([held, Buffer.from(c)])
        if (all.length > END) yield all.subarray(0, all.length - END)
        held = Buffer.from(all.subarray(Math.max(0, all.length - END)))
      }
      if (held.length !== END || !held.every((b) => b === 0)) throw new Error('internal: a tar part did not end with its two zero blocks')
    }
  }
  await pipeline(Readable.from(chunks()), createGzip({ level: 6 }), createWriteStream(outFile, { mode: 0o644 }))
}

/** Imports a bundle file; see the module comment for what is checked. */
export async function importBundleFile(store: RunStore, file: string, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): Promise<ImportResult> {
  const { size: compressedBytes } = await stat(file)
  await mkdir(store.runsDir, { recursive: true })
  // Every member's path, type and size is checked, and the member and size limits applied, in a first
  // pass that writes nothing: a bundle of 100,001 tiny members is refused before any file is created.
  await scanBundle(file, compressedBytes, limits)
  const staging = path.join(store.root, `.import-${process.pid}-${randomBytes(6).toString('hex')}`)
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

/** Counts members and bytes as headers stream past; throws a BundleError at the first limit or bad member. */
function createMemberChecker(compressedBytes: number, limits: BundleLimits): (entry: ReadEntry) => string {
  let total = 0
  let members = 0
  return (entry) => {
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
    return rel
  }
}

/**
 * The header pass (store/tar-scan.ts): member count, member sizes, total size and the compression
 * ratio are checked from the tar headers alone, writing nothing; bodies are skipped unread.
 */
export async function scanBundle(file: string, compressedBytes: number, limits: BundleLimits): Promise<{ members: number; totalBytes: number }> {
  let result: { members: number; totalBytes: number }
  try {
    result = await scanTarGz(file, {
      maxMembers: limits.maxMembers,
      maxMemberBytes: limits.maxMemberBytes,
      maxTotalBytes: limits.maxTotalBytes,
      maxExpandedBytes: {
        bytes: Math.max(64 * 1024 ** 2, limits.maxCompressionRatio * Math.max(1, compressedBytes)),
        message: `refused: the bundle expands more than ${limits.maxCompressionRatio}x (a gzip bomb?)`,
      },
    })
  } catch (err) {
    if (err instanceof TarScanError) throw new BundleError(err.message)
    throw new BundleError(`cannot read the bundle: ${(err as Error).message}`)
  }
  if (result.members === 0) throw new BundleError('not a bundle: the archive is empty or not a .tgz')
  return result
}

/** Runs tar's parser over a file; `onEntry` may call `fail`, which aborts the parse with that error. */
async function runParser(file: string, limits: BundleLimits, onEntry: (entry: ReadEntry, fail: (err: Error) => void) => void): Promise<Error | undefined> {
  let failure: Error | undefined
  const parser = new Parser({ strict: true, maxDecompressionRatio: limits.maxCompressionRatio })
  const input = createReadStream(file)
  const fail = (err: Error): void => {
    if (failure) return
    failure = err
    parser.abort(err)
    // Stop reading at once: the rest of the archive is not looked at.
    input.destroy()
  }
  parser.on('entry', (entry: ReadEntry) => {
    if (failure) return entry.resume()
    onEntry(entry, fail)
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
    input.on('error', reject)
    input.on('close', () => {
      if (failure) reject(failure)
    })
    input.pipe(parser as unknown as NodeJS.WritableStream)
  }).catch((err: Error) => {
    throw err instanceof BundleError ? err : new BundleError(`cannot read the bundle: ${err.message}`)
  })
  return failure
}

async function extractChecked(file: string, staging: string, compressedBytes: number, limits: BundleLimits): Promise<void> {
  const check = createMemberChecker(compressedBytes, limits)
  let members = 0
  const writes: Promise<void>[] = []
  let failure: Error | undefined
  await runParser(file, limits, (entry, failParse) => {
    const fail = (err: Error): void => {
      failure ??= err
      failParse(err)
    }
    try {
      const rel = check(entry)
      members++
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
  }).catch(async (err: unknown) => {
    await Promise.allSettled(writes)
    throw err
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
  let upgraded: boolean
  try {
    const result = upgradeRun(JSON.parse(text))
    const parsed = runRecordSchema.safeParse(result.record)
    if (!parsed.success) return `run.json is not a valid run record: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
    record = parsed.data
    upgraded = result.upgradedFrom !== undefined
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
  // Profiles are checked by the same full validator as single-file imports (core/import/validate.ts).
  for (const a of record.artifacts) {
    const kind = a.kind === 'cpuprofile' || a.kind === 'heapprofile' || a.kind === 'heapsnapshot' ? a.kind : undefined
    if (!kind) continue
    try {
      await validateProfileFile(path.join(dir, a.file), kind, a.file)
    } catch (err) {
      return `artifact ${(err as Error).message}`
    }
  }
  // A run still `running` in a bundle will never finish here: it arrives as `interrupted`. An older
  // record arrives migrated (so what a v1 record kept unredacted is not written into this store).
  if (record.status === 'running') {
    const { owner: _owner, ...rest } = record
    record = { ...rest, status: 'interrupted', error: record.error ?? 'interrupted: the run had not finished when it was exported' }
    upgraded = true
  }
  if (upgraded) {
    await writeFileAtomic(path.join(dir, 'run.json'), stableJson(record))
    await writeFileAtomic(path.join(dir, 'summary.json'), stableJson(summarizeRun(record)))
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
export interface ImportPathOptions {
  environment?: EnvironmentSnapshot
  limits?: BundleLimits
  /** Bytes of a large `.cpuprofile` checked so far, and the total. */
  onProgress?: (done: number, total: number) => void
  /**
   * Checks a `.cpuprofile` instead of validateProfileFile in this thread (the service passes one that runs
   * in a worker thread, so a server's event loop is not held for the seconds a large file takes). Throws a
   * ProfileFormatError naming the file, as validateProfileFile does.
   */
  checkCpuProfile?: (file: string, name: string, onProgress?: (done: number, total: number) => void) => Promise<void>
}

export async function importPath(
  store: RunStore,
  file: string,
  options: ImportPathOptions = {},
): Promise<ImportResult> {
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
  return importProfileFile(store, file, kind, options.environment, undefined, options)
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
export async function importFileBytes(store: RunStore, name: string, bytes: Uint8Array, options: ImportPathOptions = {}): Promise<ImportResult> {
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
  options: Pick<ImportPathOptions, 'onProgress' | 'checkCpuProfile'> = {},
): Promise<ImportResult> {
  const name = path.basename(file).replace(/^\.upload-[0-9a-f]+-/, '')
  try {
    if (kind === 'cpuprofile' && options.checkCpuProfile) await options.checkCpuProfile(file, name, options.onProgress)
    else await validateProfileFile(file, kind, name, options.onProgress)
  } catch (err) {
    throw new BundleError((err as Error).message)
  }
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

