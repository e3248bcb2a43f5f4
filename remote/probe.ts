/**
 * One SSH round trip that tells what a target offers: its OS and architecture, its Node (the configured
 * one, else `node` on its PATH) and the free disk where the runner cache lives. Needs only a POSIX shell.
 */
import { DEFAULT_REMOTE_CACHE_DIR, type Target } from '../core/model/target.js'
import { remotePath, runSsh, type SshOptions } from './ssh.js'

export interface TargetProbe {
  /** Round trip of the probe, in ms (connection set-up included). */
  latencyMs: number
  os: { platform: string; arch: string }
  /** The Node found on the target, or null with the reason. */
  node: { path: string; version: string; arch: string; platform: string } | null
  nodeProblem?: string
  disk: { freeBytes: number; path: string } | null
}

/** The minimum Node the runner needs (package.json engines). */
export const MIN_REMOTE_NODE = [20, 19] as const

export function remoteCacheDir(target: Target): string {
  return target.cacheDir ?? DEFAULT_REMOTE_CACHE_DIR
}

/** uname -s / -m as Node names them. */
export function nodePlatformArch(unameS: string, unameM: string): { platform: string; arch: string } {
  const platform = { Linux: 'linux', Darwin: 'darwin', FreeBSD: 'freebsd', OpenBSD: 'openbsd', SunOS: 'sunos', AIX: 'aix' }[unameS] ?? unameS.toLowerCase()
  const arch = { x86_64: 'x64', amd64: 'x64', aarch64: 'arm64', arm64: 'arm64', armv7l: 'arm', i686: 'ia32', i386: 'ia32', ppc64le: 'ppc64', s390x: 's390x', riscv64: 'riscv64' }[unameM] ?? unameM
  return { platform, arch }
}

export function isNodeRecentEnough(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number)
  return major > MIN_REMOTE_NODE[0] || (major === MIN_REMOTE_NODE[0] && minor >= MIN_REMOTE_NODE[1])
}

export async function probeTarget(target: Target, ssh: SshOptions, signal?: AbortSignal): Promise<TargetProbe> {
  const script = [
    `N=${target.node ? remotePath(target.node) : '""'}`,
    `C=${remotePath(remoteCacheDir(target))}`,
    'printf "uname=%s %s\\n" "$(uname -s)" "$(uname -m)"',
    'if [ -z "$N" ]; then N=$(command -v node 2>/dev/null || true); fi',
    'if [ -n "$N" ] && [ -x "$N" ]; then printf "node=%s\\n" "$N"; "$N" -e \'console.log("nodeinfo=" + process.version + " " + process.arch + " " + process.platform)\' 2>&1 | head -c 400; elif [ -n "$N" ]; then printf "nonode=%s\\n" "$N"; else echo nonode=; fi',
    'd=$C; while [ ! -d "$d" ]; do d=$(dirname "$d"); done',
    'df -Pk "$d" 2>/dev/null | awk -v d="$d" \'NR==2 { print "diskfree=" $4 * 1024; print "diskpath=" d }\'',
    'echo probe=ok',
  ].join('\n')
  const started = performance.now()
  const { stdout } = await runSsh(target, script, { ...ssh, timeoutMs: 30_000, ...(signal ? { signal } : {}) })
  const latencyMs = performance.now() - started
  const facts = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) facts.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  const [unameS = '', unameM = ''] = (facts.get('uname') ?? '').split(' ')
  const os = nodePlatformArch(unameS, unameM)
  let node: TargetProbe['node'] = null
  let nodeProblem: string | undefined
  const info = /^v(\d+\.\d+\.\d+\S*) (\S+) (\S+)$/.exec(facts.get('nodeinfo') ?? '')
  if (info) {
    node = { path: facts.get('node') ?? 'node', version: info[1] ?? '', arch: info[2] ?? '', platform: info[3] ?? '' }
    if (!isNodeRecentEnough(node.version)) nodeProblem = `Node ${node.version} at ${node.path} is older than the ${MIN_REMOTE_NODE.join('.')} the runner needs`
  } else if (facts.has('node')) {
    nodeProblem = `${facts.get('node')} did not run (${(facts.get('nodeinfo') ?? stdout.split('\n').find((l) => !l.includes('=')) ?? 'no output').slice(0, 200)})`
  } else {
    const wanted = facts.get('nonode')
    nodeProblem = wanted ? `no Node at ${wanted} (not an executable file)` : 'no Node on the PATH of a non-interactive shell'
  }
  const free = Number(facts.get('diskfree'))
  const disk = Number.isFinite(free) && facts.has('diskfree') ? { freeBytes: free, path: facts.get('diskpath') ?? '' } : null
  return { latencyMs, os, node, ...(nodeProblem ? { nodeProblem } : {}), disk }
}
