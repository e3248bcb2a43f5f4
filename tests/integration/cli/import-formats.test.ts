/**
 * Every profile format Hotpath reads opens in `hotpath top` as a file and as an imported run, with the
 * same top functions both ways (the run keeps the converted .cpuprofile/.heapprofile).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toPprof } from '../../../core/export/pprof.js'
import { importCpuProfile } from '../../../core/import/cpuprofile.js'
import { readFileSync } from 'node:fs'
import { assertBuilt, repoRoot, runCliProcess } from '../../helpers/cli.js'

const F = path.join(repoRoot, 'tests', 'fixtures', 'profiles')

describe('hotpath top and import, every format', () => {
  let store: string
  let pprofFile: string
  beforeAll(async () => {
    assertBuilt()
    store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-formats-'))
    pprofFile = path.join(store, 'fib.pb.gz')
    writeFileSync(
      pprofFile,
      gzipSync(toPprof(importCpuProfile(JSON.parse(readFileSync(path.join(F, 'node-20.20.2/fib-strings-json.cpuprofile'), 'utf8'))))),
    )
  })
  afterAll(async () => {
    await rm(store, { recursive: true, force: true })
  })

  const files = (): [string, string][] => [
    ['Chrome trace (DevTools Performance recording)', path.join(F, 'chromium-156.0.8078.114/fib-main-and-worker.trace.json')],
    ['legacy .cpuprofile', path.join(F, 'hand-made/deep-recursion.legacy.cpuprofile')],
    ['id-less .heapprofile (Node 10)', path.join(F, 'node-10.24.1/fib-strings-json.heapprofile')],
    ['speedscope', path.join(F, 'hand-made/checkout.speedscope.json')],
    ['pprof', pprofFile],
    ['V8 tick log (0x)', path.join(F, 'node-8.17.0/fib-strings-json.ticks.json')],
  ]

  it('opens each file and its imported run with the same top functions', async () => {
    for (const [what, file] of files()) {
      const direct = await runCliProcess(['top', file, '--json', '--limit', '8'], { store })
      expect(direct.code, `${what}: ${direct.stderr}`).toBe(0)
      const fromFile = JSON.parse(direct.stdout) as { functions: { name: string; selfMs?: number; selfBytes?: number }[] }
      const imported = await runCliProcess(['import', file], { store })
      expect(imported.code, `${what}: ${imported.stderr}`).toBe(0)
      const runId = /imported (\S+)/.exec(imported.stdout)?.[1] as string
      const heap = what.includes('heapprofile')
      const viaRun = await runCliProcess(['top', runId, '--json', '--limit', '8', ...(heap ? ['--alloc'] : [])], { store })
      expect(viaRun.code, `${what}: ${viaRun.stderr}`).toBe(0)
      const fromRun = JSON.parse(viaRun.stdout) as typeof fromFile
      expect(
        fromRun.functions.map((f) => f.name),
        what,
      ).toEqual(fromFile.functions.map((f) => f.name))
      for (let i = 0; i < fromFile.functions.length; i++) {
        const a = fromFile.functions[i]
        const b = fromRun.functions[i]
        expect(b?.selfMs ?? b?.selfBytes, `${what} #${i}`).toBeCloseTo((a?.selfMs ?? a?.selfBytes) as number, 6)
      }
    }
  }, 180_000)

  it('refuses a format it does not read, naming it, with exit 2 and one line', async () => {
    const folded = path.join(store, 'stacks.txt')
    writeFileSync(folded, 'main;parse;lex 12\n')
    const top = await runCliProcess(['top', folded], { store })
    expect(top.code).toBe(2)
    expect(top.stderr.trim().split('\n')).toHaveLength(1)
    expect(top.stderr).toMatch(/folded stacks/)
    const imported = await runCliProcess(['import', folded], { store })
    expect(imported.code).toBe(2)
    expect(imported.stderr).toMatch(/folded stacks.*which Hotpath does not read/)
  })
})
