/**
 * The WorkbenchService as the CLI opens it: over the store named by --store, running workload files
 * wherever its user names them (relative to the cwd). Service errors that mean bad input become
 * UsageErrors (exit 2, one line).
 */
import { createWorkbenchService, type WorkbenchService, WorkbenchError } from '../service/workbench-service.js'
import { type CliContext, UsageError } from './context.js'
import { storeFromFlag } from './shared.js'

export function openCliService(storeFlag: string | undefined, ctx: CliContext): WorkbenchService {
  return createWorkbenchService({
    store: storeFromFlag(storeFlag, ctx),
    workloadFiles: { allowOutside: true, cwd: ctx.cwd },
    log: (message) => ctx.stderr.write(`hotpath: ${message}\n`),
  })
}

/** Awaits a service call; bad requests and unknown names exit 2 with the service's message. */
export async function callService<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise
  } catch (err) {
    if (err instanceof WorkbenchError && err.code !== 'internal') throw new UsageError(err.message)
    throw err
  }
}
