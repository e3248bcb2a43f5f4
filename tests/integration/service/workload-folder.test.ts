/**
 * A server's workloads folder (`hotpath serve --workloads DIR`): the service lists the workload files
 * under it beside the built-ins, runs one by the path Launch sends (descriptor.file), and refuses a file
 * outside the folder before anything is saved.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkbenchService, type WorkbenchService } from '../../../service/workbench-service.js'
import { openRunStore } from '../../../store/run-store.js'
import { apiSchemas } from '../../../core/api/schemas.js'
import { createDraft, validateDraft } from '../../../renderer/src/features/launch/launch-form.js'
import { repoRoot } from '../../helpers/cli.js'

const file = `import { defineWorkload } from 'hotpath/workload'

export default defineWorkload({
  id: 'sums',
  title: 'Sums',
  description: 'Sum of n integers',
  operation: 'one sum',
  params: { n: { type: 'int', default: 1000, min: 1, max: 1_000_000, description: 'numbers summed' } },
  variants: {
    loop: (xs: number[]) => { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]!; return s },
    reduce: (xs: number[]) => xs.reduce((a, b) => a + b, 0),
  },
  setup: ({ params }) => Array.from({ length: params.n }, (_, i) => i),
  run: (sum, xs) => sum(xs),
})
`

let dir: string
let outside: string
let service: WorkbenchService

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-workloads-'))
  outside = await mkdtemp(path.join(os.tmpdir(), 'hotpath-outside-'))
  await mkdir(path.join(dir, 'bench'))
  await mkdir(path.join(dir, 'node_modules'))
  await symlink(repoRoot, path.join(dir, 'node_modules', 'hotpath'), 'dir')
  await writeFile(path.join(dir, 'bench', 'sums.bench.ts'), file)
  await writeFile(path.join(outside, 'other.bench.ts'), file)
  // Files that fail to describe: a syntax error on line 3, and a module without the default export.
  await writeFile(path.join(dir, 'bench', 'broken.bench.ts'), "import { defineWorkload } from 'hotpath/workload'\n\nexport default defineWorkload({ id: 'broken' oops })\n")
  await writeFile(path.join(dir, 'bench', 'no-export.bench.ts'), "export const notAWorkload = 1\n")
  service = createWorkbenchService({ store: openRunStore(path.join(dir, 'store')), workloadFiles: { root: dir, allowOutside: false }, log: () => undefined })
})

afterAll(async () => {
  await service.dispose()
  await rm(dir, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

describe('a workloads folder', () => {
  it('lists its workload files beside the built-ins and runs one the way Launch asks', async () => {
    const workloads = await service.listWorkloads()
    expect(workloads.some((w) => w.id === 'orderbook')).toBe(true)
    const sums = workloads.find((w) => w.id === 'sums')
    expect(sums?.file).toBe('bench/sums.bench.ts')
    // What the Launch form sends for it: the file's path under the folder.
    const { request, errors } = validateDraft(sums!, { ...createDraft(sums!), variant: 'reduce' })
    expect(errors).toEqual({})
    expect(request?.workload).toBe('bench/sums.bench.ts')
    const finished = new Promise<string>((resolve) => {
      const off = service.onAny((name, payload) => {
        if (name === 'runFinished') {
          off()
          resolve((payload as { runId: string }).runId)
        }
      })
    })
    const started = await service.startRun({ ...request!, durationMs: 300, warmupMs: 100, profile: ['cpu'] })
    expect(await finished).toBe(started.runId)
    const run = await service.getRun(started.runId)
    expect(run.status, run.error).toBe('ok')
    expect(run.workload.file).toBe('bench/sums.bench.ts')
    expect(run.artifacts.some((a) => a.kind === 'cpuprofile')).toBe(true)
  }, 120_000)

  it('refuses a workload file outside the folder, saving nothing', async () => {
    const before = (await service.listRuns()).length
    await expect(service.startRun({ workload: path.join(outside, 'other.bench.ts') })).rejects.toThrow(/workloads folder/)
    expect((await service.listRuns()).length).toBe(before)
  })

  it('reports the files that fail to describe with file, line and reason instead of dropping them silently', async () => {
    const workloads = await service.listWorkloads()
    expect(workloads.some((w) => w.file === 'bench/broken.bench.ts' || w.file === 'bench/no-export.bench.ts')).toBe(false)
    const folder = await service.getWorkloadFolder()
    expect(folder.folder).toBe(dir)
    expect(folder.canChoose).toBe(false)
    expect(folder.problems.map((p) => p.file)).toEqual(['bench/broken.bench.ts', 'bench/no-export.bench.ts'])
    const [syntax, noExport] = folder.problems
    expect(syntax!.line).toBe(3)
    expect(syntax!.message).toMatch(/expected/i)
    expect(syntax!.message).not.toContain(dir)
    expect(noExport!.message).toMatch(/default export|defineWorkload/i)
    // The answer passes the API's schema, as every transport checks.
    expect(apiSchemas.getWorkloadFolder.result.safeParse(folder).success).toBe(true)
  }, 60_000)

  it('says so when the configured folder is gone', async () => {
    const gone = createWorkbenchService({ store: openRunStore(path.join(dir, 'store')), workloadFiles: { root: path.join(dir, 'nope'), allowOutside: false }, log: () => undefined })
    expect((await gone.getWorkloadFolder()).problems).toEqual([{ file: '.', message: `the workloads folder ${path.join(dir, 'nope')} does not exist` }])
    await gone.dispose()
  })
})
