/**
 * Leak checks inside the child: the heapGrowth/rssGrowth assertions of a soak, evaluated on the soak's
 * record, decide whether the start heap snapshot is kept (and an end one taken) or thrown away.
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { compare } from '../../core/assert/assertion.js'
import type { AssertionOp, SoakRecord } from '../../core/model/load.js'
import { RUN_FILES } from '../../core/model/run-layout.js'

export interface LeakCheck {
  metric: 'heapGrowth' | 'rssGrowth'
  op: AssertionOp
  threshold: number
}

/** The checks that fail on this soak (a growth that could not be computed fails: nothing shows it is flat). */
export function failedLeakChecks(checks: readonly LeakCheck[], soak: SoakRecord): LeakCheck[] {
  return checks.filter((c) => {
    const g = (c.metric === 'heapGrowth' ? soak.heapGrowth : soak.rssGrowth)?.growth
    return g === undefined || !compare(g, c.op, c.threshold)
  })
}

export const LEAK_START_SNAPSHOT = RUN_FILES.leakStart
export const LEAK_END_SNAPSHOT = RUN_FILES.leakEnd

export async function removeStartSnapshot(outDir: string): Promise<void> {
  await rm(path.join(outDir, LEAK_START_SNAPSHOT), { force: true })
}
