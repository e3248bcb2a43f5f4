/**
 * Real OpenSSH servers for the remote-run tests: each on 127.0.0.1 with its own throwaway host key,
 * authorized user key and sshd_config in a temp folder (`/usr/sbin/sshd -D -f CONFIG -p PORT`), plus a
 * client config (-F) with a temp known_hosts that holds exactly the servers' host keys.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const SSHD = '/usr/sbin/sshd'

/** Why the sshd tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (Debian: apt-get install openssh-server; .ci/run installs it)`
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' })
    execFileSync('ssh-keygen', ['--help'], { stdio: 'ignore' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'the ssh client or ssh-keygen is not installed (openssh-client)'
  }
  if (process.getuid?.() !== 0) return 'sshd must start as root to log users in (the tests run as root in CI)'
  return undefined
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function keygen(file: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'hotpath-test', '-f', file], { stdio: 'ignore' })
  return readFileSync(`${file}.pub`, 'utf8').trim()
}

export interface SshServer {
  name: string
  port: number
  dir: string
  hostPublicKey: string
  /** Kills the listener and every connection it serves (the sessions' own children get EOF and stop). */
  stop(): Promise<void>
  running(): boolean
}

export interface SshLab {
  dir: string
  /** The client config to pass as HOTPATH_SSH_CONFIG (ssh -F). */
  clientConfig: string
  knownHosts: string
  identity: string
  servers: SshServer[]
  startServer(name: string, opts?: { path?: string }): Promise<SshServer>
  /** A bin folder with every command of /usr/bin and /bin except node, for a target without Node. */
  pathWithoutNode(): string
  cleanup(): Promise<void>
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(name))
      children.set(ppid, list)
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const p = queue.shift() as number
    for (const c of children.get(p) ?? []) {
      out.push(c)
      queue.push(c)
    }
  }
  return out
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

export async function createSshLab(): Promise<SshLab> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-sshlab-'))
  const identity = path.join(dir, 'id_ed25519')
  const userKey = keygen(identity)
  writeFileSync(path.join(dir, 'authorized_keys'), userKey + '\n')
  const knownHosts = path.join(dir, 'known_hosts')
  writeFileSync(knownHosts, '')
  const clientConfig = path.join(dir, 'ssh_config')
  writeFileSync(
    clientConfig,
    ['Host *', `  UserKnownHostsFile ${knownHosts}`, '  GlobalKnownHostsFile /dev/null', `  IdentityFile ${identity}`, '  IdentitiesOnly yes', '  User root', ''].join('\n'),
  )
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  const servers: SshServer[] = []
  let noNodeBin: string | undefined

  const lab: SshLab = {
    dir,
    clientConfig,
    knownHosts,
    identity,
    servers,
    async startServer(name, opts = {}) {
      const sdir = path.join(dir, name)
      mkdirSync(sdir)
      const hostKey = path.join(sdir, 'host_key')
      const hostPublicKey = keygen(hostKey)
      const port = await freePort()
      const config = path.join(sdir, 'sshd_config')
      writeFileSync(
        config,
        [
          'ListenAddress 127.0.0.1',
          `HostKey ${hostKey}`,
          `PidFile ${path.join(sdir, 'sshd.pid')}`,
          `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
          'StrictModes no',
          'UsePAM no',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication yes',
          'PermitRootLogin prohibit-password',
          'X11Forwarding no',
          'AllowTcpForwarding no',
          'LogLevel ERROR',
          ...(opts.path ? [`SetEnv PATH=${opts.path}`] : []),
          '',
        ].join('\n'),
      )
      const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
      let exited = false
      child.on('exit', () => (exited = true))
      const deadline = Date.now() + 10_000
      for (;;) {
        if (exited) throw new Error(`sshd ${name} did not start: ${stderr}`)
        const ok = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => {
            s.destroy()
            resolve(true)
          })
          s.on('error', () => resolve(false))
        })
        if (ok) break
        if (Date.now() > deadline) throw new Error(`sshd ${name} is not listening on ${port}: ${stderr}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      writeFileSync(knownHosts, `${readFileSync(knownHosts, 'utf8')}[127.0.0.1]:${port} ${hostPublicKey.split(' ').slice(0, 2).join(' ')}\n`)
      const server: SshServer = {
        name,
        port,
        dir: sdir,
        hostPublicKey,
        running: () => !exited,
        async stop() {
          if (exited || child.pid === undefined) return
          // The listener first, then the connection processes it forked (sshd ones only: the sessions'
          // shells and the runner see their pipes close and end on their own).
          const sessionSshds = descendants(child.pid).filter((p) => comm(p).startsWith('sshd'))
          const done = new Promise<void>((resolve) => (exited ? resolve() : child.once('exit', () => resolve())))
          child.kill('SIGKILL')
          for (const p of sessionSshds) {
            try {
              process.kill(p, 'SIGKILL')
            } catch {
              // Already gone.
            }
          }
          await done
        },
      }
      servers.push(server)
      return server
    },
    pathWithoutNode() {
      if (noNodeBin) return noNodeBin
      noNodeBin = path.join(dir, 'bin-without-node')
      mkdirSync(noNodeBin)
      for (const d of ['/usr/local/bin', '/usr/bin', '/bin']) {
        let names: string[]
        try {
          names = readdirSync(d)
        } catch {
          continue
        }
        for (const n of names) {
          if (n === 'node' || n === 'nodejs' || existsSync(path.join(noNodeBin, n))) continue
          symlinkSync(path.join(d, n), path.join(noNodeBin, n))
        }
      }
      return noNodeBin
    },
    async cleanup() {
      for (const s of servers) await s.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return lab
}
