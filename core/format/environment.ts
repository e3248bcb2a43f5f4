/**
 * Redaction and Markdown for the environment report. Redacted by default: host names, user names,
 * machine ids, serial numbers, UUIDs, MAC and IP addresses, Wi-Fi SSIDs and home-directory paths,
 * both in their own fields and wherever they appear inside other strings.
 */
import type { EnvironmentSnapshot } from '../model/environment.js'

export const REDACTED = '[redacted]'

const MAC = /\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/gi
const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g
const IPV6 = /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:?){1,6}\b/gi
const UUID = /\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi
const HOME = /(?:\/home\/|\/Users\/|[A-Za-z]:\\Users\\)[^/\\\s"']+/g

/** Removes identifying facts; everything that describes performance stays. */
export function redactEnvironment(env: EnvironmentSnapshot): EnvironmentSnapshot {
  const secrets = [env.os.hostname, env.user?.name, env.machine?.serial, env.machine?.uuid, env.machine?.machineId].filter(
    (s): s is string => typeof s === 'string' && s.length >= 3 && s !== REDACTED,
  )
  const scrub = (text: string): string => redactText(text, secrets)
  const out: EnvironmentSnapshot = {
    ...env,
    os: { ...env.os, ...(env.os.hostname !== undefined ? { hostname: REDACTED } : {}) },
    cpu: { ...env.cpu, brand: scrub(env.cpu.brand) },
    runtime: { ...env.runtime, ...(env.runtime.execPath ? { execPath: scrub(env.runtime.execPath) } : {}) },
    redacted: true,
  }
  if (env.machine) {
    out.machine = {
      ...env.machine,
      ...(env.machine.serial !== undefined ? { serial: REDACTED } : {}),
      ...(env.machine.uuid !== undefined ? { uuid: REDACTED } : {}),
      ...(env.machine.machineId !== undefined ? { machineId: REDACTED } : {}),
      ...(env.machine.model !== undefined ? { model: scrub(env.machine.model) } : {}),
    }
  }
  if (env.network) {
    out.network = env.network.map((n) => ({
      iface: n.iface,
      ...(n.mac !== undefined ? { mac: REDACTED } : {}),
      ...(n.ip4 !== undefined ? { ip4: REDACTED } : {}),
      ...(n.ip6 !== undefined ? { ip6: REDACTED } : {}),
      ...(n.ssid !== undefined ? { ssid: REDACTED } : {}),
    }))
  }
  if (env.user) {
    out.user = { ...(env.user.name !== undefined ? { name: REDACTED } : {}), ...(env.user.home !== undefined ? { home: '~' } : {}) }
  }
  if (env.unavailable) out.unavailable = env.unavailable.map(scrub)
  return out
}

/** Scrubs identifying substrings from free text (paths, error messages, stderr). */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(HOME, (m) =>
    m.replace(/(\/home\/|\/Users\/|\\Users\\)[^/\\\s"']+/, (_p, prefix: string) => `${prefix}${REDACTED}`),
  )
  for (const secret of secrets) out = out.split(secret).join(REDACTED)
  return out
    .replace(UUID, REDACTED)
    .replace(MAC, REDACTED)
    .replace(IPV4, REDACTED)
    .replace(IPV6, (m) => (m.includes('::') || m.split(':').length >= 4 ? REDACTED : m))
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`
}

/** A report a support engineer pastes into an issue: facts as a table, then what could not be read. */
export function formatEnvironmentMarkdown(env: EnvironmentSnapshot): string {
  const rows: [string, string][] = [
    ['OS', `${env.os.distro} ${env.os.release} (${env.os.platform}, ${env.os.arch})`],
    ['Kernel', env.os.kernel],
    ['Host name', env.os.hostname ?? 'n/a'],
    ['CPU', env.cpu.brand],
    ['Cores', `${env.cpu.cores} logical, ${env.cpu.physicalCores} physical`],
    [
      'Clock',
      `${env.cpu.speedGHz ? `${env.cpu.speedGHz.toFixed(2)} GHz` : 'n/a'}${env.cpu.speedMaxGHz ? ` (max ${env.cpu.speedMaxGHz.toFixed(2)} GHz)` : ''}`,
    ],
  ]
  if (env.cpu.cacheBytes) {
    const c = env.cpu.cacheBytes
    const caches = [c.l1d && `L1d ${c.l1d / 1024} KiB`, c.l2 && `L2 ${c.l2 / 1024} KiB`, c.l3 && `L3 ${c.l3 / 1024 / 1024} MiB`]
      .filter(Boolean)
      .join(', ')
    // Virtual machines often report no cache sizes at all: no row rather than an empty one.
    if (caches !== '') rows.push(['Caches', caches])
  }
  if (env.cpu.governor) rows.push(['CPU governor', env.cpu.governor])
  rows.push(['Memory', `${gib(env.memory.totalBytes)}${env.memory.freeBytes !== undefined ? ` (${gib(env.memory.freeBytes)} free)` : ''}`])
  rows.push(['Runtime', `${env.runtime.name ?? 'node'} ${env.runtime.node} (V8 ${env.runtime.v8})`])
  if (env.machine) {
    const m = env.machine
    const virt = m.virtual ? `virtual${m.hypervisor ? ` (${m.hypervisor})` : ''}` : 'physical'
    rows.push(['Machine', [virt, m.container ? `container: ${m.container}` : '', m.manufacturer, m.model].filter(Boolean).join(', ')])
    if (m.serial !== undefined) rows.push(['Serial', m.serial])
    if (m.uuid !== undefined) rows.push(['Hardware UUID', m.uuid])
    if (m.machineId !== undefined) rows.push(['Machine id', m.machineId])
  }
  if (env.power)
    rows.push([
      'Power',
      env.power.hasBattery ? `battery ${env.power.percent ?? '?'}%, ${env.power.onBattery ? 'on battery' : 'on AC'}` : 'AC (no battery)',
    ])
  if (env.loadAvg) rows.push(['Load average', env.loadAvg.map((l) => l.toFixed(2)).join(' / ') + ' (1/5/15 min)'])
  if (env.rosetta !== undefined) rows.push(['Rosetta 2', env.rosetta ? 'yes (x64 under translation)' : 'no'])
  for (const n of env.network ?? [])
    rows.push([
      `Network ${n.iface}`,
      [n.mac && `MAC ${n.mac}`, n.ip4 && `IPv4 ${n.ip4}`, n.ip6 && `IPv6 ${n.ip6}`, n.ssid && `SSID ${n.ssid}`].filter(Boolean).join(', '),
    ])
  if (env.user?.name !== undefined) rows.push(['User', env.user.name])
  const escape = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const lines = [
    '## Hotpath environment report',
    '',
    `Captured ${env.capturedAt}${env.redacted ? ' — identifying facts redacted (host, user, serials, UUIDs, MAC/IP addresses, home paths)' : ' — **not redacted**'}.`,
    '',
    '| Fact | Value |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${escape(k)} | ${escape(v)} |`),
  ]
  if (env.unavailable?.length) lines.push('', 'Not available: ' + env.unavailable.join('; '))
  return lines.join('\n') + '\n'
}
