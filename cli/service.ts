/**
 * The one way a `hotpath` command reaches the engine: a WorkbenchService over the store named by
 * --store (else HOTPATH_HOME, else the app-data folder), created once per invocation. Commands call its
 * methods and nothing behind it (ESLint's no-restricted-imports: cli/ imports only service/index and core/).
 */
import { WorkbenchError, type WorkbenchService, type WorkbenchServiceOptions, openWorkbenchService, remoteOptionsFromEnv } from '../service/index.js'
import type { CliContext } from './context.js'

export { WorkbenchError, type WorkbenchService }

/** Extra service options a command may set (e.g. `run --max-artifact-size`). */
export type CliServiceOptions = Pick<WorkbenchServiceOptions, 'maxArtifactBytes'>

/** Opens the service for this invocation; messages the service logs go to stderr with the command's name. */
export function serviceFor(
  ctx: CliContext,
  storeFlag: string | undefined,
  command: string,
  options: CliServiceOptions = {},
): WorkbenchService {
  return openWorkbenchService(
    { flag: storeFlag, env: ctx.env, cwd: ctx.cwd },
    { ...options, workloadFiles: { allowOutside: true, cwd: ctx.cwd }, remote: remoteOptionsFromEnv(ctx.env), log: (message) => ctx.stderr.write(`hotpath ${command}: ${message}\n`) },
  )
}
