/**
 * Numbered upgraders for run.json (Firefox Profiler's processed-profile-versioning idea): each entry
 * takes a record of version N-1 to version N. Records newer than this build are refused, never rewritten.
 * Every bump adds an entry to docs/CHANGELOG-formats.md and a fixture under tests/fixtures/runs/v<N>/.
 */
import { RUN_SCHEMA_VERSION } from '../core/model/run.js'

type Json = Record<string, unknown>

/** upgraders[N] turns a version N-1 record into version N. */
export const upgraders: Record<number, (old: Json) => Json> = {
  /** v0 → v1: the pre-release format had no `kind`, kept tags as one comma-separated string, and no warnings. */
  1: (old) => {
    const tags = typeof old.tags === 'string' ? old.tags.split(',').map((t) => t.trim()).filter(Boolean) : (old.tags ?? [])
    return { ...old, schemaVersion: 1, kind: old.kind ?? 'workload', tags, warnings: old.warnings ?? [], notes: old.notes ?? '' }
  },
}

export class UnsupportedVersionError extends Error {}

/** Upgrades a parsed run.json to the current version; returns it unchanged when already current. */
export function upgradeRun(raw: unknown): { record: unknown; upgradedFrom?: number } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { record: raw }
  let record = raw as Json
  const version = typeof record.schemaVersion === 'number' ? record.schemaVersion : 0
  if (version > RUN_SCHEMA_VERSION) {
    throw new UnsupportedVersionError(
      `schemaVersion ${version} was written by a newer Hotpath (this one reads up to ${RUN_SCHEMA_VERSION}); upgrade Hotpath to read it`,
    )
  }
  if (version === RUN_SCHEMA_VERSION) return { record }
  for (let v = version + 1; v <= RUN_SCHEMA_VERSION; v++) {
    const step = upgraders[v]
    if (!step) throw new UnsupportedVersionError(`no upgrader from schemaVersion ${v - 1} to ${v}`)
    record = step(record)
  }
  return { record, upgradedFrom: version }
}
