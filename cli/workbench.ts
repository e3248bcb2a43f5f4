/**
 * The WorkbenchService for the suite, baseline and trend commands (cli/service.ts's serviceFor), and the
 * mapping of service errors that mean bad input to UsageErrors (exit 2, one line).
 */
import { type CliContext, UsageError } from './context.js'
import { serviceFor, type WorkbenchService, WorkbenchError } from './service.js'

export function openCliService(storeFlag: string | undefined, ctx: CliContext, command = 'suite'): WorkbenchService {
  return serviceFor(ctx, storeFlag, command)
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
