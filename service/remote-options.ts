/** Remote targets' settings from the environment, kept apart from remote-runs.ts so front doors read them without loading the runner. */
import path from 'node:path'
import type { SshOptions } from '../remote/ssh.js'
import { defaultConfigDir } from '../remote/targets.js'

/** SSH settings from the environment: HOTPATH_SSH_CONFIG (ssh -F) and HOTPATH_SSH (the ssh binary). */
export function sshOptionsFromEnv(env: NodeJS.ProcessEnv): SshOptions {
  return { ...(env.HOTPATH_SSH_CONFIG ? { configFile: path.resolve(env.HOTPATH_SSH_CONFIG) } : {}), ...(env.HOTPATH_SSH ? { sshBinary: env.HOTPATH_SSH } : {}) }
}

/** The targets options a front door passes: config folder and SSH settings, both from the environment. */
export function remoteOptionsFromEnv(env: NodeJS.ProcessEnv): { configDir: string; ssh: SshOptions } {
  return { configDir: defaultConfigDir(env), ssh: sshOptionsFromEnv(env) }
}
