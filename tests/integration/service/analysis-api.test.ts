import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiSchemas } from '../../../core/api/schemas.js'
import { createWorkbenchService, type WorkbenchService } from '../../../service/workbench-service.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'
import { runWithProcesses } from '../../helpers/make-processes.js'

let dir: string
let service: WorkbenchService
// Five processes a side: verdicts rest on the spread between processes.
const around = (ops: number): number[] => [1, 1.008, 0.992, 1.004, 0.996].map((k) => ops * k)
const baseline = runWithProcesses(around(1e6), { meanNs: 1000 })
const same = runWithProcesses(around(1e6), { meanNs: 1000 })
const slower = runWithProcesses(around(0.8e6), { meanNs: 1250 })
const leaky = makeRun({ workload: { id: 'symbol-collection', variant: 'leaky', params: {}, seed: 42 } })

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-analysis-'))
  const store = openRunStore(dir)
  for (const run of [baseline, same, slower]) await store.save(run)
  // A run with start and end heap snapshots of one process whose LeakyThing instances grow (helper 6's fixtures).
  await store.createRunDir(leaky.id)
  const fixtures = path.join(__dirname, '../../fixtures/profiles/node-22.23.3')
  for (const which of ['start', 'end']) {
    await writeFile(store.artifactPath(leaky.id, `heap-${which}.heapsnapshot`), gunzipSync(readFileSync(path.join(fixtures, `leak-${which}.heapsnapshot.gz`))))
  }
  leaky.artifacts = [
    await store.describeArtifact(leaky.id, 'heapsnapshot', 'heap-start.heapsnapshot'),
    await store.describeArtifact(leaky.id, 'heapsnapshot', 'heap-end.heapsnapshot'),
  ]
  await store.save(leaky)
  service = createWorkbenchService({ store, log: () => undefined })
})

afterAll(async () => {
  await service.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('compareRuns and exportReport through the service', () => {
  it('reports a 25% slower candidate as regressed and an identical one as no change', async () => {
    const result = await service.compareRuns([baseline.id, same.id, slower.id], {})
    expect(apiSchemas.compareRuns.result.safeParse(result).success).toBe(true)
    const verdicts = result.comparison.candidates.map((c) => c.metrics.find((m) => m.name === 'opsPerSec')?.verdict)
    expect(verdicts).toEqual(['no-change', 'regressed'])
    expect(result.gate).toBeUndefined()
    expect(result).not.toHaveProperty('markdown')
  })

  it('returns the gate result when a gate is asked for (method, seed and gates ride in the options)', async () => {
    const gated = await service.compareRuns([baseline.id, slower.id], { failOnRegression: 0.1, method: 'bca', seed: 7 })
    expect(apiSchemas.compareRuns.result.safeParse(gated).success).toBe(true)
    // Intervals rest on processes now; the bootstrap's method and seed are accepted and ignored.
    expect(gated.comparison.settings.interval).toBe('between-process-t')
    expect(gated.gate?.tripped).toBe(true)
    const passed = await service.compareRuns([baseline.id, same.id], { failOnRegression: 0.1 })
    expect(passed.gate).toEqual({ tripped: false, reasons: [] })
    await expect(service.compareRuns([baseline.id, same.id], { failOnRegression: 1.5 })).rejects.toThrow(/under 100%/)
  })

  it('exports a self-contained HTML report and CSV', async () => {
    const html = await service.exportReport([baseline.id, slower.id], { noise: 0.02 }, 'html')
    expect(html.mimeType).toMatch(/text\/html/)
    expect(html.fileName).toMatch(/\.html$/)
    expect(html.text).not.toMatch(/https?:\/\//)
    const csv = await service.exportReport([baseline.id, slower.id], {}, 'csv')
    expect(csv.text.split('\n')[0]).toContain('opsPerSec')
  })

  it('refuses bad requests with messages that say what to fix', async () => {
    await expect(service.compareRuns([baseline.id], {})).rejects.toThrow(/expected array to have >=2 items/)
    await expect(service.compareRuns([baseline.id, slower.id], { metric: 'speed' })).rejects.toThrow(/Unknown metric "speed"/)
    await expect(service.compareRuns([baseline.id, '20990101T000000000Z-nope-1'], {})).rejects.toThrow(/20990101T000000000Z-nope-1/)
  })
})

describe('heap analysis through the service', () => {
  it('summarizes a snapshot of a run', async () => {
    const summary = await service.getHeapSummary(leaky.id, 'heap-end.heapsnapshot')
    expect(summary.nodeCount).toBeGreaterThan(1000)
    expect(summary.classes.length).toBeGreaterThan(10)
  })

  it('puts the leaking class first when comparing start and end', async () => {
    const diff = await service.diffHeapSnapshots({ runId: leaky.id, file: 'heap-start.heapsnapshot' }, { runId: leaky.id, file: 'heap-end.heapsnapshot' })
    expect(diff.classes[0]?.name).toBe('LeakyThing')
    expect(diff.classes[0]!.newCount).toBeGreaterThan(0)
  })

  it('refuses files that are not heap snapshots of the run', async () => {
    await expect(service.getHeapSummary(leaky.id, '../../etc/passwd')).rejects.toThrow()
    await expect(service.getHeapSummary(baseline.id, 'heap-end.heapsnapshot')).rejects.toThrow(/has no artifact/)
  })
})
