/**
 * A stable, non-reversible machine fingerprint that survives redaction, so the runs of one machine still
 * group: HMAC-SHA256 of the OS machine id, keyed by a random salt made once per install and kept in the
 * app config folder (install.json). The salt is what makes it unlinkable: a plain hash of /etc/machine-id
 * would be the same value every other tool that hashes it publishes, so it would still identify the machine.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Where per-install settings live: HOTPATH_CONFIG_DIR, else the OS's config folder. */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HOTPATH_CONFIG_DIR && path.isAbsolute(env.HOTPATH_CONFIG_DIR)) return env.HOTPATH_CONFIG_DIR
  const home = env.HOME ?? os.homedir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', 'Hotpath')
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Hotpath', 'config')
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config')
  return path.join(configHome, 'hotpath')
}

const saltCache = new Map<string, Buffer>()

/**
 * The per-install salt, created on first use (32 random bytes, written atomically with mode 0600). When the
 * config folder cannot be written the salt lives for this process only: fingerprints then differ between
 * processes, which loses grouping but never leaks the machine id.
 */
export function installSalt(dir: string = configDir()): Buffer {
  const cached = saltCache.get(dir)
  if (cached) return cached
  const file = path.join(dir, 'install.json')
  let salt: Buffer | undefined
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { fingerprintSalt?: unknown }
    if (typeof parsed.fingerprintSalt === 'string' && /^[0-9a-f]{64}$/.test(parsed.fingerprintSalt)) salt = Buffer.from(parsed.fingerprintSalt, 'hex')
  } catch {
    // No install.json yet (or an unreadable one): make a salt below.
  }
  if (!salt) {
    const fresh = randomBytes(32)
    salt = fresh
    try {
      mkdirSync(dir, { recursive: true })
      const tmp = path.join(dir, `.install.json.${randomBytes(6).toString('hex')}.tmp`)
      writeFileSync(tmp, JSON.stringify({ fingerprintSalt: fresh.toString('hex') }) + '\n', { mode: 0o600, flag: 'wx' })
      const fd = openSync(tmp, 'r')
      fsyncSync(fd)
      closeSync(fd)
      // Two processes may race to create it: the file that lands last wins, so read back what is there.
      renameSync(tmp, file)
      const back = JSON.parse(readFileSync(file, 'utf8')) as { fingerprintSalt: string }
      salt = Buffer.from(back.fingerprintSalt, 'hex')
    } catch {
      // Read-only config folder: keep the in-memory salt.
    }
  }
  saltCache.set(dir, salt)
  return salt
}

/** `hp1-` and the first 16 hex digits (64 bits) of HMAC-SHA256(salt, identity). */
export function machineFingerprint(identity: string, salt: Buffer = installSalt()): string {
  return `hp1-${createHmac('sha256', salt).update(identity).digest('hex').slice(0, 16)}`
}

/**
 * The identity to fingerprint from environment facts: the OS machine id, else the hardware UUID, else the
 * host name with the MAC addresses (machines without a machine id still group, if less stably).
 */
export function machineIdentity(facts: {
  machineId?: string | undefined
  uuid?: string | undefined
  hostname?: string | undefined
  macs?: readonly string[]
}): string | undefined {
  const usable = (s: string | undefined): s is string => typeof s === 'string' && s.length > 0 && s !== '[redacted]'
  if (usable(facts.machineId)) return `machine-id:${facts.machineId}`
  if (usable(facts.uuid)) return `uuid:${facts.uuid}`
  const macs = (facts.macs ?? []).filter(usable).filter((m) => m !== '00:00:00:00:00:00')
  if (usable(facts.hostname) || macs.length > 0) return `host:${facts.hostname ?? ''}|${[...macs].sort().join(',')}`
  return undefined
}
