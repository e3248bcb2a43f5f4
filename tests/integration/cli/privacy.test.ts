/**
 * Privacy by default, end to end: a run saved by the real CLI and the bundle exported from it contain
 * none of this machine's identifiers (host name, user, home path, /etc/machine-id, MAC and IP addresses
 * from os.networkInterfaces()); `--no-redact` keeps them, and says so in the bundle's manifest.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliProcess } from '../../helpers/cli.js'

let store: string
let configDir: string
let tmp: string
beforeAll(async () => {
  store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-privacy-'))
  configDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-privacy-config-'))
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hotpath-privacy-out-'))
})
afterAll(async () => {
  for (const d of [store, configDir, tmp]) await rm(d, { recursive: true, force: true })
})

const env = () => ({ HOTPATH_CONFIG_DIR: configDir })

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * This machine's identifiers, each with a pattern that finds it. Short or common values (a host named
 * "vm", the user "root") are looked for where they identify: as a whole JSON string, or as a path segment.
 */
function machineIdentifiers(): { what: string; value: string; pattern: RegExp }[] {
  const out: { what: string; value: string; pattern: RegExp }[] = []
  const add = (what: string, value: string | undefined, pattern?: RegExp): void => {
    if (value) out.push({ what, value, pattern: pattern ?? new RegExp(escapeRegExp(value), 'i') })
  }
  const host = os.hostname()
  add('host name', host, host.length >= 4 ? new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(host)}(?![A-Za-z0-9])`, 'i') : new RegExp(`"${escapeRegExp(host)}"`))
  const user = os.userInfo().username
  add('user name', user, new RegExp(`"${escapeRegExp(user)}"|[\\\\/]${escapeRegExp(user)}[\\\\/"]`))
  const home = os.homedir()
  if (home.length > 1) add('home path', home, new RegExp(`${escapeRegExp(home)}(?=[/"\\s])`))
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      add(`machine id (${file})`, readFileSync(file, 'utf8').trim())
    } catch {
      // not on this machine
    }
  }
  for (const [iface, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue
      if (a.mac !== '00:00:00:00:00:00') add(`MAC of ${iface}`, a.mac)
      add(`${a.family} address of ${iface}`, a.address, new RegExp(`(?<![0-9A-Fa-f:.])${escapeRegExp(a.address)}(?![0-9A-Fa-f:.])`, 'i'))
    }
  }
  return out
}

/** Every file of a run folder as text, by name. */
async function folderText(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = await readFile(path.join(e.parentPath, e.name), 'utf8')
  }
  return out
}

function findIdentifiers(files: Record<string, string>): string[] {
  const found: string[] = []
  for (const id of machineIdentifiers()) {
    for (const [name, text] of Object.entries(files)) {
      const m = id.pattern.exec(text)
      if (m) found.push(`${id.what} (${id.value}) in ${name} near ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`)
    }
  }
  return found
}

async function runAndExport(extra: string[]): Promise<{ id: string; runFiles: Record<string, string>; bundle: string }> {
  const r = await runCliProcess(['run', 'selftest', '--variant', 'loop', '--iterations', '30', '--warmup', '2', '--profile', 'cpu,alloc', '--json', ...extra], { store, env: env() })
  expect(r.code, r.stderr).toBe(0)
  const id = (JSON.parse(r.stdout) as { id: string }).id
  const out = path.join(tmp, `${id}.tgz`)
  const e = await runCliProcess(['export', id, '-o', out], { store, env: env() })
  expect(e.code, e.stderr).toBe(0)
  return { id, runFiles: await folderText(path.join(store, 'runs', id)), bundle: gunzipSync(await readFile(out)).toString('utf8') }
}

describe('privacy by default', () => {
  it('finds this machine identifiers when the run is captured with --no-redact (so the scan can fail)', async () => {
    expect(machineIdentifiers().length).toBeGreaterThanOrEqual(3)
    const { runFiles, bundle } = await runAndExport(['--no-redact'])
    const found = findIdentifiers({ ...runFiles, bundle })
    expect(found.some((f) => f.startsWith('host name'))).toBe(true)
    expect(found.some((f) => f.startsWith('machine id') || f.startsWith('MAC'))).toBe(true)
    expect(JSON.parse(runFiles['run.json']!).env.redacted).toBe(false)
    expect(bundle).toMatch(/"unredactedRuns": \[\s*"/)
  }, 120_000)

  it('a saved run and its exported bundle hold none of them; the fingerprint remains', async () => {
    const { id, runFiles, bundle } = await runAndExport([])
    expect(Object.keys(runFiles).sort()).toEqual(expect.arrayContaining(['alloc.heapprofile', 'cpu.cpuprofile', 'run.json', 'summary.json']))
    expect(findIdentifiers({ ...runFiles, bundle })).toEqual([])
    const run = JSON.parse(runFiles['run.json']!)
    expect(run.env.redacted).toBe(true)
    expect(run.env.os.hostname).toBe('[redacted]')
    expect(run.env.machine.fingerprint).toMatch(/^hp1-[0-9a-f]{16}$/)
    expect(bundle).toContain('"unredactedRuns": []')
    // Runs of this machine group under one fingerprint, whether redacted or not.
    const list = await runCliProcess(['list', '--json'], { store, env: env() })
    const prints = new Set((JSON.parse(list.stdout) as { machineFingerprint?: string }[]).map((s) => s.machineFingerprint))
    expect(prints.size).toBe(1)
    expect([...prints][0]).toBe(run.env.machine.fingerprint)
    expect(id).toBeTruthy()
  }, 120_000)
})
