/**
 * Run and machine facts as display text, shared by the run detail and the environment view: the
 * environment facts that matter when reading a benchmark, and warnings as read on a run's own page.
 */
import { formatBytes } from '../../../../core/format/bytes.js'
import type { EnvironmentSnapshot } from '../../../../core/model/environment.js'
import { formatRunDate } from '../../lib/progress.js'

/** The facts about a machine that matter when reading a benchmark, as [label, text] rows. */
export function environmentFacts(env: EnvironmentSnapshot): [string, string][] {
  const rows: [string, string][] = [
    [
      'CPU',
      `${env.cpu.brand} · ${env.cpu.cores} logical / ${env.cpu.physicalCores} physical cores${env.cpu.speedGHz ? ` · ${env.cpu.speedGHz.toFixed(2)} GHz` : ''}${env.cpu.speedMaxGHz ? ` (max ${env.cpu.speedMaxGHz.toFixed(2)})` : ''}`,
    ],
  ]
  if (env.cpu.governor) rows.push(['CPU governor', env.cpu.governor])
  if (env.cpu.cacheBytes) {
    const c = env.cpu.cacheBytes
    const caches = [c.l1d && `L1d ${formatBytes(c.l1d)}`, c.l2 && `L2 ${formatBytes(c.l2)}`, c.l3 && `L3 ${formatBytes(c.l3)}`]
      .filter(Boolean)
      .join(' · ')
    // Virtual machines often report no cache sizes at all: no row rather than an empty one.
    if (caches !== '') rows.push(['Caches', caches])
  }
  rows.push([
    'Memory',
    `${formatBytes(env.memory.totalBytes)}${env.memory.freeBytes !== undefined ? ` (${formatBytes(env.memory.freeBytes)} free)` : ''}`,
  ])
  rows.push(['OS', `${env.os.distro} ${env.os.release} · ${env.os.platform}/${env.os.arch} · kernel ${env.os.kernel}`])
  if (env.os.hostname) rows.push(['Host', env.os.hostname])
  rows.push(['Runtime', `${env.runtime.name ?? 'node'} ${env.runtime.node} · V8 ${env.runtime.v8}`])
  if (env.runtime.execPath) rows.push(['Node binary', env.runtime.execPath])
  if (env.machine) {
    const mm = env.machine
    rows.push([
      'Machine',
      [
        mm.virtual === undefined ? '' : mm.virtual ? `virtual${mm.hypervisor ? ` (${mm.hypervisor})` : ''}` : 'physical',
        mm.container ? `container ${mm.container}` : '',
        mm.manufacturer,
        mm.model,
      ]
        .filter(Boolean)
        .join(' · ') || 'unknown',
    ])
  }
  if (env.power)
    rows.push([
      'Power',
      env.power.hasBattery ? `battery ${env.power.percent ?? '?'}% · ${env.power.onBattery ? 'on battery' : 'on AC'}` : 'AC (no battery)',
    ])
  if (env.loadAvg) rows.push(['Load average', `${env.loadAvg.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`])
  if (env.rosetta !== undefined) rows.push(['Rosetta 2', env.rosetta ? 'yes: x64 under translation' : 'no'])
  rows.push(['Captured', formatRunDate(env.capturedAt)])
  return rows
}
