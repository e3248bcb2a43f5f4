/**
 * The SSH transport: runs POSIX shell scripts on a target through the system `ssh` client, always with
 * `BatchMode=yes` (never a password prompt) and `StrictHostKeyChecking=yes` (never an unknown or changed
 * host key). Command-line options win over any ssh_config, so no config can turn host key checking off.
 *
 * Why the system client and not a library such as ssh2: it already honours everything users have set up
 * (keys, agents, ~/.ssh/config, known_hosts, ProxyJump, hardware keys, certificates), which ssh2 would
 * have to re-implement or miss; and the only thing we need from it is a byte pipe to a remote shell.
 */
import { spawn } from 'node:child_process'
import type { Target } from '../core/model/target.js'
import { describeTargetAddress } from '../core/model/target.js'

/** Why an ssh call failed, as data; `describeSshFailure` words it. */
export type SshFailureKind = 'host-key' | 'auth' | 'unreachable' | 'dropped' | 'no-ssh' | 'remote'

export class SshError extends Error {
  constructor(
    readonly kind: SshFailureKind,
    message: string,
    readonly exitCode: number | null = null,
    readonly stderr = '',
  ) {
    super(message)
    this.name = 'SshError'
  }
}

export interface SshOptions {
  /** An ssh_config file passed as `-F` (HOTPATH_SSH_CONFIG): tests and CI point it at their own known_hosts. */
  configFile?: string
  /** The ssh binary (default `ssh` on PATH). */
  sshBinary?: string
  /** Seconds to wait for the TCP connection (ConnectTimeout). */
  connectTimeoutS?: number
  /**
   * A private folder for connection sharing (ControlMaster): the calls of one command to one target
   * share one authenticated connection instead of paying a handshake each. `closeSharedConnection`
   * ends the master when the command is done.
   */
  controlDir?: string
}

/** The options every call gets; exported for the test that checks host key checking cannot be turned off. */
export function sshArgs(target: Target, opts: SshOptions = {}): string[] {
  const args = [
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `ConnectTimeout=${opts.connectTimeoutS ?? 10}`,
    // A dead peer (machine gone, sshd killed) is noticed within ~15 s instead of at the TCP timeout.
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'LogLevel=ERROR',
    '-T',
  ]
  if (opts.configFile) args.push('-F', opts.configFile)
  if (opts.controlDir) args.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${opts.controlDir}/%C`, '-o', 'ControlPersist=300')
  if (target.port) args.push('-p', String(target.port))
  if (target.identity) args.push('-i', target.identity, '-o', 'IdentitiesOnly=yes')
  if (target.jump) args.push('-J', target.jump)
  args.push(`${target.user ? `${target.user}@` : ''}${target.host}`)
  return args
}

/** Single-quotes a string for a POSIX shell. */
export function shq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

/** A remote path for the shell: a leading ~/ becomes "$HOME"/ so it expands inside quotes too. */
export function remotePath(p: string): string {
  if (p === '~') return '"$HOME"'
  if (p.startsWith('~/')) return `"$HOME"/${shq(p.slice(2))}`
  return shq(p)
}

export interface SshCall {
  /** Bytes written to the remote's stdin by this call. */
  bytesSent(): number
  /** Writes to the remote's stdin. */
  write(chunk: Uint8Array | string): Promise<void>
  end(): void
  kill(): void
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

/**
 * Starts `sh -c SCRIPT` on the target. stdout chunks go to `onStdout`; stdin stays open until `end()`
 * (the remote runner treats its end as "the client is gone" and cancels).
 */
export function startSsh(target: Target, script: string, opts: SshOptions & { onStdout?: (chunk: Buffer) => void }): SshCall {
  const child = spawn(opts.sshBinary ?? 'ssh', [...sshArgs(target, opts), `sh -c ${shq(script)}`], { stdio: ['pipe', 'pipe', 'pipe'] })
  let sent = 0
  let stderr = ''
  let spawnError: Error | undefined
  child.stdout.on('data', (c: Buffer) => opts.onStdout?.(c))
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (c: string) => {
    stderr += c
    if (stderr.length > 64 * 1024) stderr = stderr.slice(-32 * 1024)
  })
  // A remote that closed its end makes writes fail with EPIPE; the exit status says what happened.
  child.stdin.on('error', () => undefined)
  child.on('error', (err) => (spawnError = err))
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      if (spawnError) resolve({ code: null, signal: null, stderr: `${spawnError.message}${(spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? ' (no ssh client on PATH)' : ''}` })
      else resolve({ code, signal, stderr })
    })
  })
  return {
    bytesSent: () => sent,
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      sent += bytes.byteLength
      return new Promise((resolve) => {
        if (child.stdin.destroyed || !child.stdin.writable) return resolve()
        if (child.stdin.write(bytes)) resolve()
        else {
          const onDrain = (): void => {
            child.stdin.off('close', onDrain)
            resolve()
          }
          child.stdin.once('drain', onDrain)
          child.stdin.once('close', onDrain)
        }
      })
    },
    end: () => child.stdin.end(),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    },
    done,
  }
}

/** Ends the shared connection to a target, if one was made (ssh -O exit). */
export async function closeSharedConnection(target: Target, opts: SshOptions): Promise<void> {
  if (!opts.controlDir) return
  const args = sshArgs(target, opts)
  const dest = args.pop() as string
  await new Promise<void>((resolve) => {
    const child = spawn(opts.sshBinary ?? 'ssh', [...args, '-O', 'exit', dest], { stdio: 'ignore' })
    child.on('error', () => resolve())
    child.on('close', () => resolve())
  })
}

/** Runs a script to completion, collecting stdout; throws SshError when ssh itself failed (exit 255). */
export async function runSsh(
  target: Target,
  script: string,
  opts: SshOptions & { stdin?: Uint8Array | string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ code: number; stdout: string; stderr: string; bytesSent: number }> {
  const chunks: Buffer[] = []
  const call = startSsh(target, script, { ...opts, onStdout: (c) => chunks.push(c) })
  if (opts.stdin !== undefined) await call.write(opts.stdin)
  call.end()
  let timedOut = false
  const timer = opts.timeoutMs ? setTimeout(() => ((timedOut = true), call.kill()), opts.timeoutMs) : undefined
  const onAbort = (): void => call.kill()
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  const result = await call.done
  if (timer) clearTimeout(timer)
  opts.signal?.removeEventListener('abort', onAbort)
  const stdout = Buffer.concat(chunks).toString('utf8')
  if (timedOut) throw new SshError('unreachable', `${target.name}: no answer from ${describeTargetAddress(target)} within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s`)
  const failure = classifySshFailure(target, result.code, result.stderr)
  if (failure) throw failure
  return { code: result.code ?? -1, stdout, stderr: result.stderr, bytesSent: call.bytesSent() }
}

/**
 * ssh exits 255 when ssh itself failed (connection, host key, authentication); any other status is the
 * remote command's. Returns undefined for the latter.
 */
export function classifySshFailure(target: Target, code: number | null, stderr: string): SshError | undefined {
  const where = describeTargetAddress(target)
  const last = stderr.trim().split('\n').filter((l) => l.trim() && !/^\*|^@|^Warning: Permanently added/.test(l)).slice(-1)[0]?.trim() ?? ''
  if (code === null && /no ssh client|ENOENT/.test(stderr)) return new SshError('no-ssh', `no ssh client found: install OpenSSH (${stderr.trim()})`, code, stderr)
  if (code !== 255 && code !== null) return undefined
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
    return new SshError('host-key', `${target.name}: the host key of ${where} does not match the one in known_hosts (REMOTE HOST IDENTIFICATION HAS CHANGED); refused. If the machine was really reinstalled, remove the old key with ssh-keygen -R and verify the new one`, code, stderr)
  }
  if (/Host key verification failed|No .* host key is known|host key is not known/i.test(stderr)) {
    return new SshError('host-key', `${target.name}: the host key of ${where} is not in known_hosts or does not match it (Host key verification failed); refused. Verify the key and add it (ssh ${where} once, or ssh-keyscan into known_hosts); Hotpath never turns host key checking off`, code, stderr)
  }
  if (/Permission denied|Too many authentication failures|no more authentication methods/i.test(stderr)) {
    return new SshError('auth', `${target.name}: ${where} refused the login (${last}); set up a key or agent (ssh-copy-id), or give --identity FILE`, code, stderr)
  }
  if (/Connection refused|Could not resolve|Name or service not known|No route to host|Network is unreachable|Connection timed out|Operation timed out|timed out during banner/i.test(stderr)) {
    return new SshError('unreachable', `${target.name}: ${where} is unreachable (${last})`, code, stderr)
  }
  if (code === null) return new SshError('dropped', `${target.name}: the ssh client to ${where} was stopped${last ? ` (${last})` : ''}`, code, stderr)
  return new SshError('dropped', `${target.name}: the connection to ${where} dropped${last ? ` (${last})` : ''}`, code, stderr)
}
