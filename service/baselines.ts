/**
 * Named baselines as plain files in the store: `<store>/baselines/<name>.json`, stable key order, written
 * atomically, one file per name (two branches saving different names never touch the same file).
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { type Baseline, baselineNameSchema, baselineSchema, type BaselineSummary } from '../core/model/suite.js'
import { stableJson, writeFileAtomic } from '../store/atomic-write.js'
import { type RunStore, StoreError } from '../store/run-store.js'

export const baselinesDir = (store: RunStore): string => path.join(store.root, 'baselines')

function fileOf(store: RunStore, name: string): string {
  const parsed = baselineNameSchema.safeParse(name)
  if (!parsed.success) throw new StoreError('invalid', `"${name}" is not a baseline name: ${parsed.error.issues[0]?.message}`)
  return path.join(baselinesDir(store), `${name}.json`)
}

export async function listBaselines(store: RunStore): Promise<BaselineSummary[]> {
  const names = await readdir(baselinesDir(store)).catch(() => [] as string[])
  const out: BaselineSummary[] = []
  for (const f of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      const b = await readBaseline(store, f.slice(0, -5))
      out.push({ name: b.name, createdAt: b.createdAt, group: b.group, ...(b.git ? { git: b.git } : {}), members: b.members.length, runs: b.members.reduce((n, m) => n + m.runIds.length, 0) })
    } catch {
      // A damaged baseline file is skipped in the list; `baseline show` names the problem.
    }
  }
  return out
}

/** Reads a baseline; an unknown name is a not-found error listing the names that exist. */
export async function readBaseline(store: RunStore, name: string): Promise<Baseline> {
  const file = fileOf(store, name)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    const known = (await readdir(baselinesDir(store)).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5))
    throw new StoreError('not-found', `no baseline "${name}" in ${store.root}; ${known.length ? `baselines: ${known.sort().join(', ')}` : 'none saved yet (hotpath suite --save-baseline NAME)'}`, file)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new StoreError('corrupt', `${file} is not valid JSON (${(err as Error).message})`, file)
  }
  const parsed = baselineSchema.safeParse(raw)
  if (!parsed.success) throw new StoreError('corrupt', `${file} is not a valid baseline: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, file)
  return parsed.data
}

export async function saveBaseline(store: RunStore, baseline: Baseline): Promise<string> {
  const file = fileOf(store, baseline.name)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFileAtomic(file, stableJson(baselineSchema.parse(baseline)))
  return file
}

export async function deleteBaseline(store: RunStore, name: string): Promise<boolean> {
  const file = fileOf(store, name)
  try {
    await readFile(file)
  } catch {
    return false
  }
  await rm(file, { force: true })
  return true
}
