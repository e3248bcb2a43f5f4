/**
 * Privacy by default for what a run stores: the run record, its stderr.log and the script urls of its
 * CPU and allocation profiles are redacted unless the run was asked for with `redact: false`
 * (`hotpath run --no-redact`). Heap snapshots are kept as V8 wrote them (bundles say so in their
 * manifest; `hotpath export --redact-heap` rewrites their home paths).
 */
import { readFile } from 'node:fs/promises'
import { type MachineIdentifiers, createScrubber, identifiersOfEnvironment, mergeIdentifiers, redactRunRecord } from '../core/format/redact-run.js'
import type { EnvironmentSnapshot } from '../core/model/environment.js'
import type { Artifact, RunRecord } from '../core/model/run.js'
import { createRunRecord, type RunRecordInit } from '../core/model/run-record.js'
import { provisionalEnvironment } from '../profilers/environment.js'
import type { RunStore } from '../store/run-store.js'
import { ownerOfThisProcess } from '../store/run-liveness.js'
import { localMachineIdentifiers } from '../profilers/environment.js'
import { writeFileAtomic } from '../store/atomic-write.js'

export interface RunPrivacy {
  readonly redact: boolean
  /** The record as it may be stored. */
  record(run: RunRecord): RunRecord
  /** Text written next to the record (stderr.log). */
  text(text: string): string
  /** Rewrites home paths and machine values in a captured JSON profile's script urls, in place (atomically). */
  profileFile(file: string, kind: Artifact['kind']): Promise<void>
}

/** The privacy policy of one run; `env` is the run's unredacted environment when known. */
export function createRunPrivacy(redact: boolean, env?: EnvironmentSnapshot): RunPrivacy {
  const ids: MachineIdentifiers = mergeIdentifiers(env ? identifiersOfEnvironment(env) : undefined, localMachineIdentifiers())
  const scrub = createScrubber(ids)
  return {
    redact,
    record: (run) => (redact ? redactRunRecord(run, ids) : run),
    text: (text) => (redact ? scrub(text) : text),
    profileFile: async (file, kind) => {
      if (!redact || (kind !== 'cpuprofile' && kind !== 'heapprofile')) return
      const text = await readFile(file, 'utf8')
      // Only "url" values carry paths in V8's JSON profiles; rewriting them in the text keeps every other byte.
      const next = text.replace(/"url"\s*:\s*"((?:[^"\\]|\\.)*)"/g, (whole, url: string) => {
        const decoded = JSON.parse(`"${url}"`) as string
        const clean = scrub(decoded, { userAsWord: false })
        return clean === decoded ? whole : `"url":${JSON.stringify(clean)}`
      })
      if (next !== text) await writeFileAtomic(file, next)
    },
  }
}

/**
 * Saves the `running` record of a run about to start (a workload run or a custom command), owned by this
 * process, so a Hotpath that is killed leaves a run that reads as `interrupted` (store/run-liveness.ts).
 */
export async function saveRunningRecord(
  store: RunStore,
  redact: boolean,
  init: Omit<RunRecordInit, 'status' | 'env' | 'runtime'> & { runtimePath: string },
): Promise<void> {
  const { runtimePath, ...rest } = init
  const record = createRunRecord({ ...rest, runtime: { path: runtimePath, node: 'unknown', v8: 'unknown' }, status: 'running', owner: ownerOfThisProcess(), env: provisionalEnvironment() })
  await store.save(createRunPrivacy(redact).record(record))
}
