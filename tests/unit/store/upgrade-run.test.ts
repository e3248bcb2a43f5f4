/**
 * The v1 → v2 upgrader (privacy by default) on the v1 fixture: opening the store migrates the record on
 * disk, none of the fixture's identifiers remain anywhere in the store, a salted fingerprint groups the
 * machine's runs, and everything that describes performance is unchanged.
 */
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RUN_SCHEMA_VERSION } from '../../../core/model/run.js'
import { machineFingerprint } from '../../../profilers/machine-fingerprint.js'
import { openRunStore } from '../../../store/run-store.js'
import { upgradeRun } from '../../../store/upgrade-run.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = path.join(here, '../../fixtures/runs/v1')
const ID = '20261120T090000000Z-orderbook-naive-v1fixt'
/** Every identifier the v1 fixture holds (see tests/fixtures/runs/v1/README.md). */
const IDENTIFIERS = [
  'alice-laptop.example.com',
  'alice-laptop',
  'alice',
  '/home/alice',
  'PF2ABCDE',
  '4c4c4544-0042-3510-8052-b4c04f4d3132',
  '9f2c1e8a7b6d4c3e8f1a2b3c4d5e6f70',
  'a4:83:e7:12:34:56',
  '192.0.2.44',
  '2001:db8::a483:e7ff:fe12:3456',
  'AliceHomeWifi',
]

let dir: string
let configDir: string
const savedConfig = process.env.HOTPATH_CONFIG_DIR
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-upgrade-'))
  configDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-config-'))
  process.env.HOTPATH_CONFIG_DIR = configDir
  await cp(fixture, dir, { recursive: true })
})
afterEach(async () => {
  if (savedConfig === undefined) delete process.env.HOTPATH_CONFIG_DIR
  else process.env.HOTPATH_CONFIG_DIR = savedConfig
  await rm(dir, { recursive: true, force: true })
  await rm(configDir, { recursive: true, force: true })
})

async function allText(root: string): Promise<string> {
  let out = ''
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += await readFile(path.join(e.parentPath, e.name), 'utf8')
  }
  return out
}

describe('upgrade v1 → v2', () => {
  it('the fixture holds the identifiers (so the test can fail)', async () => {
    const text = await allText(path.join(dir, 'runs'))
    for (const id of IDENTIFIERS) expect(text).toContain(id)
  })

  it('migrates the store on open: no identifier remains on disk, a fingerprint does', async () => {
    const before = JSON.parse(await readFile(path.join(dir, 'runs', ID, 'run.json'), 'utf8'))
    const store = openRunStore(dir)
    const [summary] = await store.list()
    expect(summary?.id).toBe(ID)
    const text = await allText(path.join(dir, 'runs'))
    for (const id of IDENTIFIERS) expect(text, id).not.toContain(id)
    const run = JSON.parse(await readFile(path.join(dir, 'runs', ID, 'run.json'), 'utf8'))
    expect(run.schemaVersion).toBe(RUN_SCHEMA_VERSION)
    expect(run.env.redacted).toBe(true)
    expect(run.env.machine.fingerprint).toBe(machineFingerprint('machine-id:9f2c1e8a7b6d4c3e8f1a2b3c4d5e6f70'))
    expect(summary?.machineFingerprint).toBe(run.env.machine.fingerprint)
    // What describes performance and the failure is kept; only identifiers changed.
    expect(run.runtime.v8).toBe(before.runtime.v8)
    expect(run.env.cpu).toEqual(before.env.cpu)
    expect(run.runtime.path).toBe('~/.nvm/versions/node/v20.20.2/bin/node')
    expect(run.stderrTail).toContain('Error: boom')
    expect(run.stderrTail).toContain('~/work/hotpath/workloads/orderbook/index.ts:10:5')
    expect(run.stderrTail).toContain('connected to [redacted] ([redacted]) as [redacted]')
    expect(run.warnings[0].message).toContain('~/store/runs/x/cpu.cpuprofile')
    expect(JSON.parse(await readFile(path.join(dir, 'store.json'), 'utf8'))).toEqual({ format: 'hotpath-store', runSchemaVersion: RUN_SCHEMA_VERSION })
  })

  it('the machine filter matches the fingerprint', async () => {
    const store = openRunStore(dir)
    const [summary] = await store.list()
    expect(await store.list({ machine: summary!.machineFingerprint! })).toHaveLength(1)
    expect(await store.list({ machine: 'hp1-0000000000000000' })).toHaveLength(0)
  })

  it('is the same fingerprint for the same machine id and salt, another for another salt', () => {
    const a = machineFingerprint('machine-id:x', Buffer.alloc(32, 1))
    expect(machineFingerprint('machine-id:x', Buffer.alloc(32, 1))).toBe(a)
    expect(machineFingerprint('machine-id:x', Buffer.alloc(32, 2))).not.toBe(a)
    expect(a).toMatch(/^hp1-[0-9a-f]{16}$/)
  })

  it('upgrading is idempotent and leaves current records alone', async () => {
    const raw = JSON.parse(await readFile(path.join(dir, 'runs', ID, 'run.json'), 'utf8'))
    const once = upgradeRun(raw)
    expect(once.upgradedFrom).toBe(1)
    const twice = upgradeRun(once.record)
    expect(twice.upgradedFrom).toBeUndefined()
    expect(twice.record).toEqual(once.record)
  })
})
