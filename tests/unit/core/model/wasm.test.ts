import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../../../..')

describe("core's WebAssembly modules", () => {
  it('are the builds of their AssemblyScript sources in wasm/ (scripts/build-wasm.mjs --check)', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/cpuprofile-scan-wasm\.ts is up to date/)
    for (const module of ['cpuprofile-samples', 'call-tree', 'line-ticks'])
      expect(run.stdout).toContain(`${module}-wasm.ts is up to date`)
    expect(run.status).toBe(0)
  })
})
