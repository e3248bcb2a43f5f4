import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { launchWorkloadChild, unpackedPath } from '../../../profilers/launch.js'
import { startRunExecution } from '../../../service/run-executor.js'
import { openRunStore } from '../../../store/run-store.js'
import type { ChildConfig } from '../../../workloads/harness/protocol.js'

describe('unpackedPath', () => {
  it('maps files inside app.asar to the unpacked copy a plain Node can read', () => {
    expect(unpackedPath('/opt/Hotpath/resources/app.asar/dist/workloads/harness/child.js')).toBe('/opt/Hotpath/resources/app.asar.unpacked/dist/workloads/harness/child.js')
    expect(unpackedPath('C:\\Program Files\\Hotpath\\resources\\app.asar\\dist\\child.js')).toBe('C:\\Program Files\\Hotpath\\resources\\app.asar.unpacked\\dist\\child.js')
  })

  it('leaves paths outside an asar alone', () => {
    expect(unpackedPath('/work/hotpath/dist/workloads/harness/child.js')).toBe('/work/hotpath/dist/workloads/harness/child.js')
    expect(unpackedPath('/home/a/app.asarx/child.js')).toBe('/home/a/app.asarx/child.js')
  })
})

describe('launchWorkloadChild when the runtime cannot be spawned', () => {
  // Before the fix the launcher waited for an 'exit' event that a failed spawn never emits: the run hung for ever.
  it.each(['/etc/passwd', '/tmp'])('ends at once with the spawn error for %s', async (runtimePath) => {
    const started = Date.now()
    const result = await launchWorkloadChild({ runtimePath, nodeFlags: [], config: {} as ChildConfig, timeoutMs: 60_000 })
    expect(result.spawnError).toMatch(/EACCES|ENOEXEC|EISDIR/)
    expect(result.exit).toEqual({ code: null, signal: null })
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('a run whose runtime cannot be spawned', () => {
  it('is saved as failed at once, with the reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-spawn-'))
    try {
      const store = openRunStore(dir)
      // The executor is reached without the service's runtime check, as a transport bug or a race could.
      const execution = startRunExecution({ workload: 'orderbook', iterations: 5, runtime: '/etc/passwd' }, { store })
      const record = await execution.done
      expect(record.status).toBe('failed')
      expect(record.error).toMatch(/could not start the workload: .*EACCES/)
      expect((await store.get(record.id)).status).toBe('failed')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
