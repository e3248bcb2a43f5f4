/**
 * Checks a Node runtime a user named (`--runtime`, the Launch form, POST /api/startRun) before anything
 * is spawned or saved: the path exists, is a file, is executable, and answers `--version` within a short
 * time with a Node version of 18 or newer. Anything else (a text file, a folder, /bin/echo, a binary that
 * hangs) is refused with a message that says what was found.
 */
import { execFile } from 'node:child_process'
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import path from 'node:path'

/** The oldest Node major the workload harness supports. */
export const MIN_RUNTIME_NODE_MAJOR = 18
/** How long `<runtime> --version` may take. Node answers in well under a second even on a loaded machine. */
export const RUNTIME_PROBE_TIMEOUT_MS = 5_000

/** The runtime cannot be used; the message names the path and the reason. */
export class RuntimeCheckError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RuntimeCheckError'
  }
}

/** Resolves with the runtime's Node version ("22.11.0") or rejects with a RuntimeCheckError. */
export async function checkNodeRuntime(runtime: string, timeoutMs = RUNTIME_PROBE_TIMEOUT_MS): Promise<string> {
  if (!path.isAbsolute(runtime)) throw new RuntimeCheckError(`the runtime must be an absolute path to a Node binary; got "${runtime}"`)
  const info = await stat(runtime).catch(() => undefined)
  if (!info) throw new RuntimeCheckError(`the runtime ${runtime} does not exist`)
  if (!info.isFile()) throw new RuntimeCheckError(`the runtime ${runtime} is not a file (name the node binary itself, e.g. /usr/bin/node)`)
  try {
    await access(runtime, constants.X_OK)
  } catch {
    throw new RuntimeCheckError(`the runtime ${runtime} is not executable`)
  }
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      runtime,
      ['--version'],
      { timeout: timeoutMs, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 * 1024 },
      (err, stdout) => {
        if (err) {
          const killed = (err as { killed?: boolean }).killed
          reject(
            new RuntimeCheckError(
              killed
                ? `the runtime ${runtime} did not answer --version within ${timeoutMs} ms; is it a Node binary?`
                : `the runtime ${runtime} could not be run with --version: ${err.message.split('\n')[0]}`,
            ),
          )
          return
        }
        resolve(stdout)
      },
    )
  })
  const m = /^v(\d+)\.(\d+)\.(\d+)\s*$/.exec(output.trim())
  if (!m)
    throw new RuntimeCheckError(
      `the runtime ${runtime} is not Node: --version printed ${JSON.stringify((output.trim().split('\n')[0] ?? '').slice(0, 60))}, not v<major>.<minor>.<patch>`,
    )
  if (Number(m[1]) < MIN_RUNTIME_NODE_MAJOR)
    throw new RuntimeCheckError(`the runtime ${runtime} is Node ${m[0].slice(1)}; Hotpath needs Node ${MIN_RUNTIME_NODE_MAJOR} or newer`)
  return `${m[1]}.${m[2]}.${m[3]}`
}
