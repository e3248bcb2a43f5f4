/**
 * Bench section "store-index": `list` and `trend` on a generated store of 100,000 runs (HOTPATH_BENCH_RUNS
 * to change it), each measured inside fresh processes, alternating: the old path (every summary.json read:
 * the index deleted first, so the list rebuilds it) against the derived index (store/run-index.ts). Goal:
 * the indexed list and trend under 1 s at 100,000 runs.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunSummary } from '../core/model/run.js'

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

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

/** Times one operation in a fresh process (the way a CLI invocation meets the store), in ms. */
function timeInChild(root: string, what: 'list' | 'trend'): number {
  const storeModule = new URL('../store/run-store.js', import.meta.url).href
  const trendModule = new URL('../core/analysis/trend.js', import.meta.url).href
  const script = `
    const { openRunStore } = await import(${JSON.stringify(storeModule)})
    const { buildTrend } = await import(${JSON.stringify(trendModule)})
    const t = performance.now()
    const store = openRunStore(${JSON.stringify(root)})
    if (${JSON.stringify(what)} === 'list') { const runs = await store.list(); if (runs.length === 0) throw new Error('empty') }
    else { const runs = await store.list({ workload: 'orderbook', status: 'ok' }); buildTrend(runs, { workload: 'orderbook', metric: 'opsPerSec' }) }
    process.stdout.write(String(performance.now() - t))`
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 }))
}

export async function benchStoreIndex(opts: { log(line: string): void }): Promise<Record<string, unknown>[]> {
  const count = Number(process.env.HOTPATH_BENCH_RUNS ?? 100_000)
  const root = mkdtempSync(path.join(os.tmpdir(), 'hotpath-bench-index-'))
  try {
    const t0 = performance.now()
    generateStore(root, count)
    opts.log(`generated ${count.toLocaleString('en-US')} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const rows: Record<string, unknown>[] = []
    const rounds = 3
    const old: number[] = []
    const indexed: number[] = []
    const trend: number[] = []
    for (let r = 0; r < rounds; r++) {
      rmSync(path.join(root, '.index'), { recursive: true, force: true })
      old.push(timeInChild(root, 'list')) // no index: reads every summary.json (and writes the index)
      indexed.push(timeInChild(root, 'list'))
      trend.push(timeInChild(root, 'trend'))
    }
    const row = {
      runs: count,
      processes: rounds * 3,
      listEveryFileMs: median(old),
      listIndexedMs: median(indexed),
      trendIndexedMs: median(trend),
      speedup: median(old) / median(indexed),
      goalMs: 1000,
      met: median(indexed) < 1000 && median(trend) < 1000,
    }
    opts.log(`list reading every summary.json ${row.listEveryFileMs.toFixed(0)} ms; with the index ${row.listIndexedMs.toFixed(0)} ms (${row.speedup.toFixed(1)}x); trend ${row.trendIndexedMs.toFixed(0)} ms; medians of ${rounds} processes each, alternating; goal < 1000 ms: ${row.met ? 'met' : 'NOT met'}`)
    rows.push(row)
    return rows
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

// Run alone: node dist/bench/store-index.js
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  void benchStoreIndex({ log: (l) => process.stdout.write(`  ${l}\n`) }).then((rows) => process.stdout.write(JSON.stringify(rows) + '\n'))
}
