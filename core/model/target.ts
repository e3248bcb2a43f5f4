/**
 * A hardware target: a machine reached over SSH that runs workloads for this one. Targets live in the
 * app's config (not in run stores); runs made on one carry the tag `target:<name>`.
 */
import { z } from 'zod'

/** The tag a run made on target NAME carries, so the store needs no new field to tell machines apart. */
export const TARGET_TAG_PREFIX = 'target:'

export const targetNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, 'a target name is 1-40 letters, digits, "-" or "_", starting with a letter or digit')

/** Host names and IP literals only: nothing that ssh could read as an option ("-oProxyCommand=…"). */
const hostSchema = z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9][a-z0-9.-]{0,252})$/i, 'a host name or IP address')
const userSchema = z.string().regex(/^[a-z_][a-z0-9._-]{0,31}$/i, 'a user name (letters, digits, ".", "_", "-")')
/** A jump host as ssh -J takes it: [user@]host[:port], never starting with "-". */
const jumpSchema = z.string().regex(/^([a-z_][a-z0-9._-]{0,31}@)?[a-z0-9[][a-z0-9.:\]-]{0,252}(:[0-9]{1,5})?$/i, 'a jump host like [user@]host[:port]')
/** A path on the target (absolute or ~/…); no shell metacharacters, since it is quoted into remote commands. */
const remotePathSchema = z.string().regex(/^(~\/|\/)[A-Za-z0-9._/+@-]*$/, 'an absolute path (or ~/...) of letters, digits and ._/+@-')

export const targetSchema = z
  .object({
    name: targetNameSchema,
    /** The ssh:// URL as given (without any password: those are refused). */
    url: z.string(),
    host: hostSchema,
    user: userSchema.optional(),
    port: z.number().int().min(1).max(65535).optional(),
    /** Private key file on this machine (ssh -i). */
    identity: z.string().min(1).optional(),
    /** Node binary on the target; default: `node` on the target's PATH. */
    node: remotePathSchema.optional(),
    /** Jump host (ssh -J). */
    jump: jumpSchema.optional(),
    /** Where the runner cache lives on the target (default ~/.cache/hotpath). */
    cacheDir: remotePathSchema.optional(),
    addedAt: z.string(),
  })
  .strict()
export type Target = z.infer<typeof targetSchema>

export const targetsFileSchema = z.object({ version: z.literal(1), targets: z.array(targetSchema) }).strict()
export type TargetsFile = z.infer<typeof targetsFileSchema>

export const DEFAULT_REMOTE_CACHE_DIR = '~/.cache/hotpath'

/** A target URL that cannot be used; the message says what to fix. */
export class TargetUrlError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TargetUrlError'
  }
}

/**
 * Parses `ssh://[user@]host[:port]`. A password in the URL is refused (Hotpath never stores one: use keys,
 * an agent or ~/.ssh/config); so are paths, queries and anything but the ssh scheme.
 */
export function parseTargetUrl(text: string): { host: string; user?: string; port?: number } {
  const m = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]+\]|[^:/?#@]+)(?::([^/?#]*))?\/?$/i.exec(text.trim())
  if (!m) throw new TargetUrlError(`"${text}" is not an ssh:// URL; write ssh://[user@]host[:port]`)
  const [, userInfo, host = '', portText] = m
  if (userInfo !== undefined && userInfo.includes(':')) {
    throw new TargetUrlError('the URL holds a password; Hotpath never stores passwords: use an SSH key, ssh-agent or ~/.ssh/config, and write ssh://user@host')
  }
  const out: { host: string; user?: string; port?: number } = { host }
  if (!hostSchema.safeParse(host).success) throw new TargetUrlError(`"${host}" is not a host name or IP address`)
  if (userInfo !== undefined && userInfo !== '') {
    const user = decodeURIComponent(userInfo)
    if (!userSchema.safeParse(user).success) throw new TargetUrlError(`"${user}" is not a user name`)
    out.user = user
  }
  if (portText !== undefined && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw new TargetUrlError(`port "${portText}" must be a number from 1 to 65535`)
    out.port = Number(portText)
  }
  return out
}

/** `user@host:port` for messages. */
export function describeTargetAddress(t: Pick<Target, 'host' | 'user' | 'port'>): string {
  return `${t.user ? `${t.user}@` : ''}${t.host}${t.port ? `:${t.port}` : ''}`
}

/** The target a run was made on (its `target:` tag), or undefined for runs made here. */
export function getRunTarget(run: { tags: readonly string[] }): string | undefined {
  const tag = run.tags.find((t) => t.startsWith(TARGET_TAG_PREFIX))
  return tag ? tag.slice(TARGET_TAG_PREFIX.length) : undefined
}

export function targetTag(name: string): string {
  return `${TARGET_TAG_PREFIX}${name}`
}
