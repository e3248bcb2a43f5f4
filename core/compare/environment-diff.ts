/**
 * Which facts of the environment differ across runs: snapshots are flattened to dotted paths
 * (`cpu.brand`, `runtime.node`) and compared, skipping facts that change on every capture.
 */
import type { EnvironmentSnapshot } from '../model/environment.js'

/** A flattened fact; null where a run lacks it. */
export type EnvValue = string | number | boolean | null

/** A fact whose values differ; `values[i]` belongs to `runIds[i]`. */
export interface EnvironmentFactDiff {
  path: string
  values: EnvValue[]
}

/** The facts that differ and those that are equal across the runs, baseline first. */
export interface EnvironmentDiff {
  runIds: string[]
  differences: EnvironmentFactDiff[]
  same: { path: string; value: EnvValue }[]
  /** 1, 5 and 15 minute load averages at start per run (volatile, so shown apart from the diff). */
  loadAvg: { runId: string; loadAvg: number[] | null }[]
}

/**
 * Facts that change between captures on one machine and say nothing about it: the capture time, free
 * memory, load (reported separately), battery level, and bookkeeping of the snapshot itself.
 */
export const VOLATILE_PATHS: readonly string[] = ['capturedAt', 'memory.freeBytes', 'loadAvg', 'power.percent', 'redacted', 'unavailable']

/** Facts that identify a machine or person; left out of diffs (and so of reports) unless asked for. */
export const IDENTIFYING_PATHS: readonly string[] = [
  'os.hostname',
  'user',
  'network',
  'machine.serial',
  'machine.uuid',
  'machine.machineId',
]

function matchesPrefix(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(`${p}.`))
}

/**
 * Flattens a snapshot (or any plain object) to dotted paths in key order. Arrays of plain values become
 * one comma-separated fact; arrays of objects are indexed (`network.0.iface`). Undefined is left out.
 */
export function flattenEnvironment(env: EnvironmentSnapshot | Record<string, unknown>): Map<string, EnvValue> {
  const out = new Map<string, EnvValue>()
  const walk = (value: unknown, path: string): void => {
    if (value === undefined) return
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(path, value)
      return
    }
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) out.set(path, value.map((v) => String(v)).join(', '))
      else value.forEach((v, i) => walk(v, `${path}.${i}`))
      return
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, path ? `${path}.${k}` : k)
    }
  }
  walk(env, '')
  return out
}

export interface EnvironmentDiffOptions {
  /** Include host names, users, serials and network facts. Default false. */
  includeIdentifying?: boolean
}

/** Compares the environments of N runs (the first is the baseline). */
export function diffEnvironments(
  entries: readonly { runId: string; env: EnvironmentSnapshot }[],
  options: EnvironmentDiffOptions = {},
): EnvironmentDiff {
  const skip = options.includeIdentifying ? VOLATILE_PATHS : [...VOLATILE_PATHS, ...IDENTIFYING_PATHS]
  const flat = entries.map((e) => flattenEnvironment(e.env))
  const paths: string[] = []
  const seen = new Set<string>()
  for (const f of flat) {
    for (const p of f.keys()) {
      if (seen.has(p) || matchesPrefix(p, skip)) continue
      seen.add(p)
      paths.push(p)
    }
  }
  const differences: EnvironmentFactDiff[] = []
  const same: { path: string; value: EnvValue }[] = []
  for (const path of paths) {
    const values = flat.map((f) => (f.has(path) ? (f.get(path) as EnvValue) : null))
    const first = values[0] ?? null
    if (values.every((v) => v === first)) same.push({ path, value: first })
    else differences.push({ path, values })
  }
  return {
    runIds: entries.map((e) => e.runId),
    differences,
    same,
    loadAvg: entries.map((e) => ({ runId: e.runId, loadAvg: e.env.loadAvg ?? null })),
  }
}
