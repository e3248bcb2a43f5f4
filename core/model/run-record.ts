/**
 * The one RunRecord factory: every run record (a workload run, a custom command, an imported profile, and
 * the tests' fixtures) is made here, so the schema version, the defaults of the fields a run may not have
 * filled in, and the rules (tags once each, optional fields left out rather than undefined) hold for all.
 */
import { RUN_SCHEMA_VERSION, type RunRecord } from './run.js'

/** The fields a maker must give; everything else has a default (see createRunRecord). */
type Required = 'id' | 'kind' | 'createdAt' | 'workload' | 'measure' | 'capture' | 'runtime' | 'status' | 'env'

export type RunRecordInit = Pick<RunRecord, Required> & Partial<Omit<RunRecord, Required | 'schemaVersion'>>

/**
 * A RunRecord of the current schema version. Defaults: label `<workload> <variant>`, no tags (given tags
 * are kept once each, in order), empty notes, exit `{ code: null, signal: null }`, empty stderr tail, wall
 * time 0, no timeline, warnings or artifacts. Optional fields passed as undefined are left out, so the
 * record written to run.json carries no `"field": undefined` holes and compares equal after a round trip.
 */
export function createRunRecord(init: RunRecordInit): RunRecord {
  const record: RunRecord = {
    schemaVersion: RUN_SCHEMA_VERSION,
    ...init,
    label: init.label ?? `${init.workload.id} ${init.workload.variant}`,
    tags: [...new Set(init.tags ?? [])],
    notes: init.notes ?? '',
    exit: init.exit ?? { code: null, signal: null },
    stderrTail: init.stderrTail ?? '',
    wallMs: init.wallMs ?? 0,
    timeline: init.timeline ?? [],
    warnings: init.warnings ?? [],
    artifacts: init.artifacts ?? [],
  }
  for (const key of Object.keys(record) as (keyof RunRecord)[]) if (record[key] === undefined) delete record[key]
  return record
}
