/**
 * What opening a store does before its first read or write: removes staging folders left behind by
 * killed imports and exports (`.import-<pid>-<hex>`, `.export-<pid>-<hex>`, `.deleting-<id>-<pid>`) whose
 * process is gone, and migrates run.json files written by an older schema (once per store, recorded in
 * store.json). Also finds the artifacts an interrupted run left in its folder.
 */
import { readFile, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { type Artifact, RUN_SCHEMA_VERSION, runIdSchema } from '../core/model/run.js'
import { stableJson, writeFileAtomic } from './atomic-write.js'

/** Staging folder names and where their owner pid sits. */
const STAGING = /^\.(?:import|export)-(\d+)-[0-9a-f]+(?:\.tgz)?$|^\.deleting-.+-(\d+)$/
/** Names written before staging folders carried their pid: removed once they are this old. */
const LEGACY_STAGING = /^\.(?:import|export)-[0-9a-f]{12}(?:\.tgz)?$/
const LEGACY_STALE_MS = 60 * 60_000

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes staging folders of processes that are gone; returns the names removed. */
export async function removeStaleStaging(root: string, runsDir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = []
  for (const dir of [root, runsDir]) {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch {
      continue
    }
    for (const name of names) {
      const m = STAGING.exec(name)
      let stale = false
      if (m) stale = !pidAlive(Number(m[1] ?? m[2]))
      else if (LEGACY_STAGING.test(name)) {
        const info = await stat(path.join(dir, name)).catch(() => undefined)
        stale = info !== undefined && now - info.mtimeMs > LEGACY_STALE_MS
      }
      if (!stale) continue
      await rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined)
      removed.push(name)
    }
  }
  return removed
}

const STORE_FILE = 'store.json'

/**
 * Migrates every run of a store once: reads each run whose run.json is older than this build (the read
 * upgrades it and writes it back), then records the version in store.json so later opens skip the scan.
 * Runs that cannot be read are left as they are (list reports them).
 */
export async function migrateStore(root: string, runsDir: string, readRun: (id: string) => Promise<void>): Promise<void> {
  const marker = path.join(root, STORE_FILE)
  try {
    const current = JSON.parse(await readFile(marker, 'utf8')) as { runSchemaVersion?: number }
    if ((current.runSchemaVersion ?? 0) >= RUN_SCHEMA_VERSION) return
  } catch {
    // No marker yet: scan below.
  }
  let names: string[]
  try {
    names = await readdir(runsDir)
  } catch {
    return
  }
  for (const id of names.filter((n) => runIdSchema.safeParse(n).success)) {
    const version = await readFile(path.join(runsDir, id, 'run.json'), 'utf8')
      .then((t) => (JSON.parse(t) as { schemaVersion?: unknown }).schemaVersion)
      .catch(() => RUN_SCHEMA_VERSION)
    if (typeof version === 'number' && version >= RUN_SCHEMA_VERSION) continue
    await readRun(id).catch(() => undefined)
  }
  try {
    await writeFileAtomic(marker, stableJson({ format: 'hotpath-store', runSchemaVersion: RUN_SCHEMA_VERSION }))
  } catch {
    // A read-only store is read (and upgraded in memory) on every open instead.
  }
}

const KIND_BY_EXTENSION: [RegExp, Artifact['kind']][] = [
  [/\.cpuprofile$/, 'cpuprofile'],
  [/\.heapsnapshot$/, 'heapsnapshot'],
  [/\.heapprofile$/, 'heapprofile'],
  [/^stderr\.log$/, 'stderr'],
  [/^stdout\.log$/, 'stdout'],
  [/^0x\//, '0x'],
]

/**
 * The artifacts in an interrupted run's folder: those already listed, plus every other file (temp files
 * and the record itself excepted), labelled as possibly incomplete.
 */
export async function discoverArtifacts(
  dir: string,
  listed: readonly Artifact[],
  describe: (kind: Artifact['kind'], file: string, label: string) => Promise<Artifact>,
): Promise<Artifact[]> {
  const out = [...listed]
  const known = new Set(listed.map((a) => a.file))
  const files: string[] = []
  const walk = async (sub: string, depth: number): Promise<void> => {
    const entries = await readdir(path.join(dir, sub), { withFileTypes: true }).catch(() => [])
    for (const e of entries) {
      if (e.name.startsWith('.')) continue
      const rel = sub ? `${sub}/${e.name}` : e.name
      if (e.isDirectory() && depth < 2) await walk(rel, depth + 1)
      else if (e.isFile() && rel !== 'run.json' && rel !== 'summary.json') files.push(rel)
    }
  }
  await walk('', 0)
  for (const file of files.sort()) {
    if (known.has(file)) continue
    const kind = KIND_BY_EXTENSION.find(([re]) => re.test(file))?.[1] ?? 'other'
    try {
      out.push(await describe(kind, file, `${file}, left by an interrupted run (may be incomplete)`))
    } catch {
      // Vanished while we looked: nothing to list.
    }
  }
  return out
}
