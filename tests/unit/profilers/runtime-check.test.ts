import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkNodeRuntime } from '../../../profilers/runtime-check.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-runtime-'))
  // A script that answers like Node 16, and one that never answers.
  await writeFile(path.join(dir, 'old-node'), '#!/bin/sh\necho v16.20.2\n')
  await writeFile(path.join(dir, 'hangs'), '#!/bin/sh\nsleep 30\n')
  await chmod(path.join(dir, 'old-node'), 0o755)
  await chmod(path.join(dir, 'hangs'), 0o755)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('checkNodeRuntime', () => {
  it('accepts the Node running the tests and returns its version', async () => {
    expect(await checkNodeRuntime(process.execPath)).toBe(process.versions.node)
  })

  it.each([
    ['/nonexistent/node', /does not exist/],
    ['/tmp', /is not a file/],
    ['/etc/passwd', /is not executable/],
    ['/bin/echo', /is not Node: --version printed "/],
    ['node', /absolute path/],
  ])('refuses %s', async (runtime, message) => {
    await expect(checkNodeRuntime(runtime)).rejects.toThrow(message)
  })

  it('refuses a Node older than 18', async () => {
    await expect(checkNodeRuntime(path.join(dir, 'old-node'))).rejects.toThrow(/is Node 16\.20\.2; Hotpath needs Node 18 or newer/)
  })

  it('gives up on a binary that does not answer within the time limit', async () => {
    const started = Date.now()
    await expect(checkNodeRuntime(path.join(dir, 'hangs'), 300)).rejects.toThrow(/did not answer --version within 300 ms/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
