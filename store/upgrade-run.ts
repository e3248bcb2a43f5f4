/**
 * Numbered upgraders for run.json (Firefox Profiler's processed-profile-versioning idea): each entry
 * takes a record of version N-1 to version N. Records newer than this build are refused, never rewritten.
 * Every bump adds an entry to docs/CHANGELOG-formats.md and a fixture under tests/fixtures/runs/v<N>/.
 */
import { redactRunRecord } from '../core/format/redact-run.js'
import { RUN_SCHEMA_VERSION, type RunRecord } from '../core/model/run.js'
import { machineFingerprint, machineIdentity } from '../profilers/machine-fingerprint.js'

type Json = Record<string, unknown>

/** upgraders[N] turns a version N-1 record into version N. */
export const upgraders: Record<number, (old: Json) => Json> = {
  /** v0 → v1: the pre-release format had no `kind`, kept tags as one comma-separated string, and no warnings. */
  1: (old) => {
    const tags = typeof old.tags === 'string' ? old.tags.split(',').map((t) => t.trim()).filter(Boolean) : (old.tags ?? [])
    return { ...old, schemaVersion: 1, kind: old.kind ?? 'workload', tags, warnings: old.warnings ?? [], notes: old.notes ?? '' }
  },
  /**
   * v1 → v2: privacy by default. v1 stored the host name, user, home path, machine id, MACs and IPs
   * unredacted; v2 redacts them everywhere in the record (as `hotpath run` now does at capture) and keeps
   * a salted machine fingerprint in their place, so the runs of one machine still group. v2 also adds the
   * `running`/`interrupted` statuses and `owner`, which v1 records never have.
   */
  2: (old) => {
    const env = old.env as RunRecord['env'] | undefined
    const next = { ...old, schemaVersion: 2 }
    // A record too damaged to redact is left for the schema check to report, with its file named.
    if (!env || typeof env !== 'object' || typeof env.os !== 'object' || env.os === null) return next
    const identity = machineIdentity({
      machineId: env.machine?.machineId,
      uuid: env.machine?.uuid,
      hostname: env.os.hostname,
      macs: (env.network ?? []).map((n) => n.mac ?? ''),
    })
    const withFingerprint = identity && !env.machine?.fingerprint ? { ...env, machine: { ...env.machine, fingerprint: machineFingerprint(identity) } } : env
    const record = { ...next, env: withFingerprint } as unknown as RunRecord
    return redactRunRecord(record) as unknown as Json
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
