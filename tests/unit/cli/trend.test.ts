/**
 * `hotpath trend` and `compare --from-trend` on a real store: 20 commits of one workload whose per-process
 * latency carries ±5% noise, with a planted 15% step, and a flat series of 20.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { command as compare } from '../../../cli/commands/compare.js'
import { command as trend } from '../../../cli/commands/trend.js'
import type { CliCommand, CliContext } from '../../../cli/context.js'
import { createStatsRng } from '../../../core/stats/rng.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'hotpath-trend-cli-'))
const commitOf = (series: string, i: number): string => `${series === 'step' ? 'a' : 'b'}${i.toString(16).padStart(3, '0')}`.padEnd(40, '0')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

beforeAll(async () => {
  const store = openRunStore(dir)
  const rng = createStatsRng(2026)
  const noise = (): number => 1 + 0.05 * (rng.next() * 2 - 1)
  for (const series of ['step', 'flat'] as const) {
    for (let i = 0; i < 20; i++) {
      const slower = series === 'step' && i >= 12 ? 1.15 : 1
      await store.save(
        makeRun({
          meanNs: Math.round(1000 * slower * noise()),
          at: new Date(Date.UTC(2026, 10, 1, 0, i, series === 'step' ? 0 : 30)),
          workload: { id: series === 'step' ? 'orderbook' : 'slippage', variant: 'naive', params: {}, seed: 42 },
          provenance: {
            git: { commit: commitOf(series, i), branch: 'main', dirty: false, commitTime: new Date(Date.UTC(2026, 10, 1, i)).toISOString(), subject: `${series} commit ${i}` },
            meta: {},
            nodeFlags: [],
          },
        }),
      )
    }
  }
})

async function run(cmd: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const ctx: CliContext = { stdout, stderr, stderrIsTTY: false, env: { HOTPATH_HOME: dir }, cwd: dir, signal: new AbortController().signal }
  const code = await cmd.run(args, ctx)
  return { code, stdout: out, stderr: err }
}

describe('hotpath trend', () => {
  it('reports one change point at the commit of a planted 15% step, naming the commits around it', async () => {
    const { code, stdout } = await run(trend, ['orderbook', '--json'])
    expect(code).toBe(0)
    const t = JSON.parse(stdout) as { points: unknown[]; changePoints: { index: number; fromKey: string; toKey: string; ratio: number; direction: string; text: string }[] }
    expect(t.points).toHaveLength(20)
    expect(t.changePoints).toHaveLength(1)
    const cp = t.changePoints[0]!
    expect(cp.toKey).toBe(commitOf('step', 12))
    expect(cp.fromKey).toBe(commitOf('step', 11))
    expect(cp.direction).toBe('regressed')
    expect(cp.text).toContain(`between ${commitOf('step', 11).slice(0, 7)} and ${commitOf('step', 12).slice(0, 7)}`)
    const text = await run(trend, ['orderbook'])
    expect(text.stdout).toMatch(/[▁▂▃▄▅▆▇█]{20}/)
    expect(text.stdout).toContain('step commit 12')
  })

  it('reports no change point on a flat series of 20 commits', async () => {
    const { stdout } = await run(trend, ['slippage', '--json'])
    const t = JSON.parse(stdout) as { points: unknown[]; changePoints: unknown[] }
    expect(t.points).toHaveLength(20)
    expect(t.changePoints).toEqual([])
  })

  it('compare --from-trend compares the runs on either side of the change point', async () => {
    const { code, stdout, stderr } = await run(compare, ['--from-trend', 'orderbook', '--metric', 'mean', '--format', 'json'])
    expect(code).toBe(0)
    expect(stderr).toContain('change point between')
    const report = JSON.parse(stdout) as { comparison?: { runs: { id: string }[] }; runs?: { id: string }[] }
    expect(JSON.stringify(report)).toContain('orderbook')
  })

  it('refuses an unknown metric with the valid ones', async () => {
    await expect(run(trend, ['orderbook', '--metric', 'speed'])).rejects.toThrow(/opsPerSec, mean, p50, p95, p99/)
  })
})
