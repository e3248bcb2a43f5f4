/**
 * `hotpath ab` end to end, both modes, as a user runs them (the rates of its verdicts are measured in
 * `npm run bench -- --only verdicts`, not here): the mode used and why, two saved runs that point at each
 * other, every round's processes kept, and each mode's own defaults for the measured window.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliProcess } from '../../helpers/cli.js'

interface AbJson {
  mode: string
  modeReason: string
  status: string
  runs: { A: string; B: string }
  comparison: { candidates: { metrics: { name: string; verdict: string; processes: { baseline: number; candidate: number } }[] }[] }
}

interface RunJson {
  measure: { durationMs?: number; warmupMs?: number; repeat?: number }
  ab: { mode: string; side: string; partner: string }
  processes: unknown[]
}

let store: string
beforeAll(async () => {
  store = await mkdtemp(path.join(tmpdir(), 'hotpath-ab-'))
})
afterAll(() => rm(store, { recursive: true, force: true }))

const readRun = async (id: string): Promise<RunJson> => JSON.parse(await readFile(path.join(store, 'runs', id, 'run.json'), 'utf8')) as RunJson

describe('hotpath ab', () => {
  it('--mode abba runs A and B processes per round with ABBA defaults (0.5 s windows, 200 ms warm-up)', async () => {
    const r = await runCliProcess(['ab', 'selftest', '--variant', 'loop', '--param', 'n=1000', '--mode', 'abba', '--rounds', '2', '--json'], { store })
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as AbJson
    expect(doc.mode).toBe('abba')
    expect(doc.modeReason).toMatch(/ABBA/)
    const a = await readRun(doc.runs.A)
    const b = await readRun(doc.runs.B)
    expect(a.ab).toMatchObject({ mode: 'abba', side: 'A', partner: doc.runs.B })
    expect(b.ab).toMatchObject({ mode: 'abba', side: 'B', partner: doc.runs.A })
    expect(a.processes).toHaveLength(2)
    expect(b.processes).toHaveLength(2)
    expect(a.measure).toMatchObject({ durationMs: 500, warmupMs: 200 })
    const ops = doc.comparison.candidates[0]?.metrics.find((m) => m.name === 'opsPerSec')
    expect(ops?.processes).toEqual({ baseline: 2, candidate: 2 })
  }, 120_000)

  it('paired mode is the default for one runtime, with 1 s windows; an explicit --duration wins', async () => {
    const r = await runCliProcess(['ab', 'selftest', '--variant', 'loop', '--param', 'n=1000', '--rounds', '2', '--duration', '300ms', '--json'], { store })
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as AbJson
    expect(doc.mode).toBe('paired')
    const a = await readRun(doc.runs.A)
    expect(a.measure.durationMs).toBe(300)
    expect(a.measure.warmupMs).toBe(300)
  }, 120_000)

  it('--rounds 1 is refused with the reason (exit 2), nothing saved', async () => {
    const r = await runCliProcess(['ab', 'selftest', '--variant', 'loop', '--mode', 'abba', '--rounds', '1'], { store: path.join(store, 'empty') })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/rounds/)
    const saved = await readdir(path.join(store, 'empty', 'runs')).catch(() => [])
    expect(saved).toEqual([])
  }, 60_000)
})
