/**
 * Bench section "store-index": `hotpath list` (its default page of 100, and --commit/--branch), `hotpath trend
 * <workload>` and the service's listRuns (the UI's Runs view: every run, and a page of 100) on generated stores
 * of 10,000 and 100,000 runs (HOTPATH_BENCH_RUNS=10000,100000 to change them), cold (the derived index deleted
 * first, so the run files are read and the index rebuilt) and warm (index present and fresh). Each figure is
 * HOTPATH_BENCH_PROCESSES (default 5) separate processes, interleaved across the operations, as a median with
 * its order-statistic interval (core/stats/significance.ts medianInterval; five processes reach 93.75%, said
 * so). CLI figures are whole-process wall times (start-up included); listRuns is the call inside a process,
 * the way the long-lived serve/Electron service meets it. Goal: warm < 1 s at 100,000 runs.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunSummary } from '../core/model/run.js'
import { medianInterval } from '../core/stats/significance.js'

export function generateStore(root: string, count: number): void {
  const runs = path.join(root, 'runs')
  mkdirSync(runs, { recursive: true })
  const workloads = ['orderbook', 'slippage', 'serialization', 'market-data', 'backtest', 'var', 'portfolio', 'event-stream', 'order-validation', 'symbol-collection']
  const start = Date.UTC(2025, 0, 1)
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 60_000)
    const workload = workloads[i % workloads.length] as string
    const id = `${at.toISOString().replace(/[-:]/g, '').replace('.', '')}-${workload}-naive-${(i % 65536).toString(16).padStart(4, '0')}`
    const commit = (Math.floor(i / 50) * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(5)
    const summary: RunSummary = {
      id,
      kind: 'workload',
      createdAt: at.toISOString(),
      label: `${workload} naive`,
      tags: ['ci'],
      workload: { id: workload, variant: 'naive', params: { size: 1000 }, seed: 42 },
      status: 'ok',
      opsPerSec: 100_000 * (1 + 0.05 * Math.sin(i)),
      p99Ns: 20_000,
      p95Ns: 12_000,
      p50Ns: 9_000,
      meanNs: 10_000,
      git: { commit, branch: 'main', dirty: false, commitTime: new Date(start + Math.floor(i / 50) * 3_000_000).toISOString(), subject: `Commit ${Math.floor(i / 50)}` },
      machine: 'AMD EPYC (2 cores)',
      node: '20.20.2',
      artifactKinds: ['cpuprofile'],
    }
    mkdirSync(path.join(runs, id))
    writeFileSync(path.join(runs, id, 'summary.json'), JSON.stringify(summary))
  }
}

type Op = 'list' | 'list --commit --branch' | 'trend' | 'listRuns (all)' | 'listRuns (page of 100)'
const OPS: Op[] = ['list', 'list --commit --branch', 'trend', 'listRuns (all)', 'listRuns (page of 100)']

/** One operation in a fresh process, in ms: CLI commands timed whole, service calls timed around the call. */
function timeInChild(root: string, op: Op): number {
  if (op === 'list' || op === 'list --commit --branch' || op === 'trend') {
    const args = op === 'trend' ? ['trend', 'orderbook'] : op === 'list' ? ['list'] : ['list', '--commit', '9e3779b1', '--branch', 'main']
    const t = performance.now()
    const script = `const m = await import(${JSON.stringify(new URL('../cli/index.js', import.meta.url).href)}); await m.main(${JSON.stringify([...args, '--store', root])})`
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 20 })
    return performance.now() - t
  }
  const serviceModule = new URL('../service/index.js', import.meta.url).href
  const page = op === 'listRuns (all)' ? 'undefined' : '{ limit: 100 }'
  const script = `
    const { openWorkbenchService } = await import(${JSON.stringify(serviceModule)})
    const service = openWorkbenchService({ flag: ${JSON.stringify(root)}, env: {}, cwd: process.cwd() }, { log: () => {} })
    const t = performance.now()
    const { runs, total } = await service.listRunsWithProblems(undefined, ${page})
    if (runs.length === 0 || total === 0) throw new Error('empty')
    process.stdout.write(String(performance.now() - t))`
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 }))
}

export async function benchStoreIndex(opts: { log(line: string): void }): Promise<Record<string, unknown>[]> {
  const sizes = (process.env.HOTPATH_BENCH_RUNS ?? '10000,100000').split(',').map(Number)
  const processes = Number(process.env.HOTPATH_BENCH_PROCESSES ?? 5)
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(processes) || processes < 1) {
    throw new Error('HOTPATH_BENCH_RUNS must be run counts (e.g. 10000,100000) and HOTPATH_BENCH_PROCESSES a count >= 1')
  }
  const rows: Record<string, unknown>[] = []
  for (const count of sizes) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hotpath-bench-index-'))
    try {
      const t0 = performance.now()
      generateStore(root, count)
      opts.log(`generated ${count.toLocaleString('en-US')} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
      const times = new Map<string, number[]>()
      const add = (key: string, ms: number): void => void times.set(key, [...(times.get(key) ?? []), ms])
      // Interleaved: each round runs every operation once cold and once warm, so load drifts hit all alike.
      for (let r = 0; r < processes; r++) {
        for (const op of OPS) {
          rmSync(path.join(root, '.index'), { recursive: true, force: true })
          add(`${op}|cold`, timeInChild(root, op))
          add(`${op}|warm`, timeInChild(root, op))
        }
      }
      for (const op of OPS) {
        for (const state of ['cold', 'warm'] as const) {
          const ms = times.get(`${op}|${state}`) ?? []
          const m = medianInterval(ms)
          const row = { runs: count, op, state, processes: ms.length, medianMs: m.median, lowMs: m.low, highMs: m.high, coverage: m.coverage, ...(state === 'warm' ? { goalMs: 1000, met: m.median < 1000 } : {}) }
          rows.push(row)
          opts.log(
            `${count.toLocaleString('en-US').padStart(7)} runs  ${op.padEnd(24)} ${state}  ${m.median.toFixed(0).padStart(6)} ms  [${m.low.toFixed(0)}–${m.high.toFixed(0)}] (${(m.coverage * 100).toFixed(2)}% interval, ${ms.length} processes)${state === 'warm' ? `  goal < 1000 ms: ${m.median < 1000 ? 'met' : 'NOT met'}` : ''}`,
          )
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
  return rows
}

// Run alone: node dist/bench/store-index.js
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  void benchStoreIndex({ log: (l) => process.stdout.write(`  ${l}\n`) }).then((rows) => process.stdout.write(JSON.stringify(rows) + '\n'))
}
