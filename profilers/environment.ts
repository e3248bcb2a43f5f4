/**
 * The environment report: OS, CPU, memory, runtime, virtualization, power and load, read through
 * systeminformation (only the calls needed, via si.get: versions() spawns dozens of tools) plus Node's
 * own facts. The static part is cached per boot in the temp folder; volatile facts are read every time.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import si from 'systeminformation'
import { type EnvironmentSnapshot, environmentSchema } from '../core/model/environment.js'
import { writeFileAtomic } from '../store/atomic-write.js'
import type { MachineIdentifiers } from '../core/format/redact-run.js'
import { machineFingerprint, machineIdentity } from './machine-fingerprint.js'

export { redactEnvironment, formatEnvironmentMarkdown } from '../core/format/environment.js'

type StaticFacts = Omit<EnvironmentSnapshot, 'capturedAt' | 'runtime' | 'loadAvg' | 'power' | 'redacted'> & {
  memory: { totalBytes: number }
}

const CACHE_VERSION = 2

export interface CaptureOptions {
  /** The runtime that runs the workload, when it is not this process's. */
  runtime?: { node: string; v8: string; execPath: string; name?: string }
  /** Skip the per-boot cache (for `hotpath env --fresh` and the cold benchmark). */
  fresh?: boolean
  cacheDir?: string
}

export async function captureEnvironment(options: CaptureOptions = {}): Promise<EnvironmentSnapshot> {
  const [staticFacts, volatile] = await Promise.all([readStaticFacts(options), readVolatileFacts()])
  const runtime = options.runtime ?? {
    node: process.versions.node,
    v8: process.versions.v8,
    execPath: process.execPath,
    name: process.versions.electron ? `electron ${process.versions.electron}` : 'node',
  }
  const identity = machineIdentity({
    machineId: staticFacts.machine?.machineId,
    uuid: staticFacts.machine?.uuid,
    hostname: staticFacts.os.hostname,
    macs: (staticFacts.network ?? []).map((n) => n.mac ?? ''),
  })
  const snapshot: EnvironmentSnapshot = {
    capturedAt: new Date().toISOString(),
    ...staticFacts,
    ...(identity ? { machine: { ...staticFacts.machine, fingerprint: machineFingerprint(identity) } } : {}),
    memory: { totalBytes: staticFacts.memory.totalBytes, freeBytes: os.freemem() },
    runtime,
    ...volatile,
    redacted: false,
  }
  return environmentSchema.parse(snapshot)
}

async function readStaticFacts(options: CaptureOptions): Promise<StaticFacts> {
  const bootId = readBootId()
  const cacheFile = path.join(options.cacheDir ?? os.tmpdir(), `hotpath-env-${typeof process.getuid === 'function' ? process.getuid() : 'user'}.json`)
  if (!options.fresh) {
    try {
      const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as { version: number; bootId: string; facts: StaticFacts }
      if (cached.version === CACHE_VERSION && cached.bootId === bootId) return cached.facts
    } catch {
      // No cache or an unreadable one: read the facts afresh below.
    }
  }
  const facts = await readStaticFactsFresh()
  try {
    await mkdir(path.dirname(cacheFile), { recursive: true })
    await writeFileAtomic(cacheFile, JSON.stringify({ version: CACHE_VERSION, bootId, facts }))
  } catch {
    // The cache is an optimisation; a read-only temp folder must not fail the run.
  }
  return facts
}

async function readStaticFactsFresh(): Promise<StaticFacts> {
  const unavailable: string[] = []
  const data = await si.get({
    osInfo: 'platform, distro, release, kernel, arch, hostname, fqdn, serial',
    cpu: 'manufacturer, brand, speed, speedMax, cores, physicalCores, cache, flags',
    mem: 'total',
    system: 'manufacturer, model, serial, uuid, virtual, virtualHost',
    networkInterfaces: 'iface, mac, ip4, ip6, internal',
  })
  const cpus = os.cpus()
  const model = cpus[0]?.model?.trim() ?? ''
  const brand = [data.cpu?.manufacturer, data.cpu?.brand].filter(Boolean).join(' ')
  const speedGHz = data.cpu?.speed || (cpus[0]?.speed ?? 0) / 1000
  const governor = readGovernor()
  if (!governor && process.platform === 'linux') unavailable.push('cpu.governor (no cpufreq in /sys)')
  const container = detectContainer()
  const interfaces: si.Systeminformation.NetworkInterfacesData[] = Array.isArray(data.networkInterfaces) ? data.networkInterfaces : []
  return {
    os: {
      platform: data.osInfo?.platform || process.platform,
      distro: data.osInfo?.distro || os.type(),
      release: data.osInfo?.release || os.release(),
      kernel: data.osInfo?.kernel || os.release(),
      arch: data.osInfo?.arch || process.arch,
      hostname: data.osInfo?.fqdn || data.osInfo?.hostname || os.hostname(),
    },
    cpu: {
      // systeminformation shortens some brands ("EPYC"); os.cpus() keeps the full model string.
      brand: model.length > brand.length ? model : brand || model || 'unknown CPU',
      manufacturer: data.cpu?.manufacturer || 'unknown',
      cores: data.cpu?.cores || cpus.length,
      physicalCores: data.cpu?.physicalCores || cpus.length,
      speedGHz,
      ...(data.cpu?.speedMax ? { speedMaxGHz: data.cpu.speedMax } : {}),
      ...(data.cpu?.cache ? { cacheBytes: cacheSizes(data.cpu.cache) } : {}),
      ...(governor ? { governor } : {}),
      ...(data.cpu?.flags ? { flags: data.cpu.flags } : {}),
    },
    memory: { totalBytes: data.mem?.total || os.totalmem() },
    machine: {
      virtual: Boolean(data.system?.virtual),
      ...(data.system?.virtualHost ? { hypervisor: data.system.virtualHost } : {}),
      ...(container ? { container } : {}),
      ...(data.system?.model ? { model: data.system.model } : {}),
      ...(data.system?.manufacturer ? { manufacturer: data.system.manufacturer } : {}),
      ...(data.system?.serial && data.system.serial !== '-' ? { serial: data.system.serial } : {}),
      ...(data.system?.uuid ? { uuid: data.system.uuid } : {}),
      ...(data.osInfo?.serial ? { machineId: data.osInfo.serial } : {}),
    },
    network: interfaces
      .filter((n) => !n.internal)
      .map((n) => ({ iface: n.iface, ...(n.mac ? { mac: n.mac } : {}), ...(n.ip4 ? { ip4: n.ip4 } : {}), ...(n.ip6 ? { ip6: n.ip6 } : {}) })),
    user: { name: safeUserName(), home: os.homedir() },
    ...(process.platform === 'darwin' ? { rosetta: readRosetta() } : {}),
    ...(unavailable.length ? { unavailable } : {}),
  }
}

async function readVolatileFacts(): Promise<Pick<EnvironmentSnapshot, 'loadAvg' | 'power'>> {
  let power: EnvironmentSnapshot['power']
  try {
    const b = await si.get({ battery: 'hasBattery, isCharging, acConnected, percent' })
    power = b.battery?.hasBattery
      ? { hasBattery: true, onBattery: !b.battery.acConnected, percent: b.battery.percent }
      : { hasBattery: false }
  } catch {
    power = undefined
  }
  return { loadAvg: os.loadavg(), ...(power ? { power } : {}) }
}

function readBootId(): string {
  try {
    if (existsSync('/proc/sys/kernel/random/boot_id')) return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    // fall through to the uptime estimate
  }
  // Boot time to the minute: stable across calls within one boot.
  return String(Math.round((Date.now() / 1000 - os.uptime()) / 60))
}

function readGovernor(): string | undefined {
  try {
    return readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

function detectContainer(): string | undefined {
  if (process.platform !== 'linux') return undefined
  if (existsSync('/.dockerenv')) return 'docker'
  if (existsSync('/run/.containerenv')) return 'podman'
  try {
    const cgroup = readFileSync('/proc/1/cgroup', 'utf8')
    if (/docker|containerd|kubepods|lxc/.test(cgroup)) return cgroup.match(/docker|containerd|kubepods|lxc/)?.[0]
  } catch {
    // not readable: unknown
  }
  return undefined
}

function readRosetta(): boolean {
  try {
    return execFileSync('sysctl', ['-in', 'sysctl.proc_translated'], { encoding: 'utf8', timeout: 2000 }).trim() === '1'
  } catch {
    return false
  }
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username
  } catch {
    return undefined
  }
}

/**
 * Cache sizes as systeminformation reports them: numbers of bytes where lscpu lists them, but '' or
 * null on machines (and containers) whose lscpu prints no cache lines. Only real sizes are kept.
 */
function cacheSizes(cache: { l1d?: unknown; l2?: unknown; l3?: unknown }): { l1d?: number; l2?: number; l3?: number } {
  const out: { l1d?: number; l2?: number; l3?: number } = {}
  for (const level of ['l1d', 'l2', 'l3'] as const) {
    const v = cache[level]
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[level] = v
  }
  return out
}

/**
 * This machine's identifiers as Node sees them, beyond what the environment snapshot lists: every
 * address of every interface (internal ones and link-local IPv6 included), the short and full host
 * name, the user and the home folder. Redaction scrubs all of them.
 */
export function localMachineIdentifiers(): MachineIdentifiers {
  const values = new Set<string>()
  const host = os.hostname()
  values.add(host)
  values.add(host.split('.')[0] as string)
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue
      values.add(a.address)
      values.add(a.mac)
    }
  }
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(file, 'utf8').trim()
      if (id) values.add(id)
    } catch {
      // not on this OS
    }
  }
  const user = safeUserName()
  return { homes: [os.homedir()], users: user ? [user] : [], values: [...values].filter(Boolean) }
}

/**
 * The environment a `running` record carries before the full capture is done: Node's own facts only,
 * read in microseconds, nothing identifying. The finished record replaces it with the full snapshot.
 */
export function provisionalEnvironment(runtime?: { node: string; v8: string }): EnvironmentSnapshot {
  const cpus = os.cpus()
  return {
    capturedAt: new Date().toISOString(),
    os: { platform: process.platform, distro: os.type(), release: os.release(), kernel: os.release(), arch: process.arch },
    cpu: { brand: cpus[0]?.model?.trim() || 'unknown CPU', manufacturer: 'unknown', cores: cpus.length, physicalCores: cpus.length, speedGHz: (cpus[0]?.speed ?? 0) / 1000 },
    memory: { totalBytes: os.totalmem() },
    runtime: runtime ?? { node: process.versions.node, v8: process.versions.v8 },
    redacted: true,
    unavailable: ['environment: the run did not finish, so only the facts read at its start are known'],
  }
}
