import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureEnvironment } from '../../../profilers/environment.js'
import { redactEnvironment } from '../../../core/format/environment.js'

describe('captureEnvironment', () => {
  it('reports this machine: CPU, cores, RAM, kernel and runtime', async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-env-'))
    const env = await captureEnvironment({ fresh: true, cacheDir })
    expect(env.cpu.cores).toBe(os.cpus().length)
    expect(env.memory.totalBytes).toBe(os.totalmem())
    expect(env.os.kernel).toBe(os.release())
    expect(env.os.arch).toBe(process.arch)
    expect(env.cpu.brand.length).toBeGreaterThan(0)
    expect(env.runtime).toMatchObject({ node: process.versions.node, v8: process.versions.v8 })
    expect(env.loadAvg).toHaveLength(3)
    // The per-boot cache returns the same static facts.
    const cached = await captureEnvironment({ cacheDir })
    expect(cached.cpu).toEqual(env.cpu)
    expect(cached.os).toEqual(env.os)
    const redactedEnv = redactEnvironment(env)
    expect(redactedEnv.os.hostname).toBe('[redacted]')
    const redacted = JSON.stringify(redactedEnv)
    // Very short host names ("vm") occur inside other words (KVM, svm); longer ones must be gone everywhere.
    if (os.hostname().length >= 3) expect(redacted).not.toContain(os.hostname())
    for (const n of env.network ?? []) {
      if (n.mac) expect(redacted).not.toContain(n.mac)
      if (n.ip4) expect(redacted).not.toContain(n.ip4)
    }
    await rm(cacheDir, { recursive: true, force: true })
  })
})
