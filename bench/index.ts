/**
 * `npm run bench`: ratios measured side by side in one run, on this machine, now. Variants alternate
 * (A B A B) so drift in machine load hits both; each figure is the median of the rounds.
 * Prints a table per section and writes bench-results.json. Flags: --quick, --only <section>, --duration 2s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { RunRecord } from '../core/model/run.js'
import { captureEnvironment } from '../profilers/environment.js'
import { startRunExecution } from '../service/run-executor.js'
import { openRunStore, type RunStore } from '../store/run-store.js'
import { measure } from '../workloads/harness/measure.js'
import { listWorkloadDescriptors } from '../workloads/registry.js'
import { benchVerdicts } from './verdicts.js'

interface Section {
  name: string
  run(ctx: BenchContext): Promise<Record<string, unknown>[]>
}

interface BenchContext {
  store: RunStore
  durationMs: number
  rounds: number
  log(line: string): void
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

async function runOnce(ctx: BenchContext, workload: string, variant: string, extra: Record<string, unknown> = {}): Promise<RunRecord> {
  const exec = startRunExecution({ workload, variant, durationMs: ctx.durationMs, warmupMs: 300, ...extra }, { store: ctx.store })
  const run = await exec.done
  if (run.status !== 'ok') throw new Error(`${workload}/${variant} ${run.status}: ${run.error ?? ''}\n${run.stderrTail}`)
  return run
}

function fmtNs(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`
  return `${(ns / 1e9).toFixed(2)} s`
}

const workloadsSection: Section = {
  name: 'workloads',
  async run(ctx) {
    const rows: Record<string, unknown>[] = []
    for (const d of listWorkloadDescriptors()) {
      const naive = d.variants.find((v) => v.role === 'naive') ?? d.variants[0]!
      const others = d.variants.filter((v) => v.id !== naive.id && v.role === 'optimized')
      for (const opt of others) {
        const a: number[] = []
        const b: number[] = []
        const aMean: number[] = []
        const bMean: number[] = []
        const aP99: number[] = []
        const bP99: number[] = []
        for (let r = 0; r < ctx.rounds; r++) {
          const ra = await runOnce(ctx, d.id, naive.id)
          const rb = await runOnce(ctx, d.id, opt.id)
          a.push(ra.metrics!.opsPerSec)
          b.push(rb.metrics!.opsPerSec)
          aMean.push(ra.metrics!.latencyNs.mean)
          bMean.push(rb.metrics!.latencyNs.mean)
          aP99.push(ra.metrics!.latencyNs.p99)
          bP99.push(rb.metrics!.latencyNs.p99)
          if (ra.checksum !== rb.checksum) throw new Error(`${d.id}: ${naive.id} and ${opt.id} computed different answers (${ra.checksum} vs ${rb.checksum})`)
        }
        const ratio = median(b) / median(a)
        const row = {
          workload: d.id,
          naive: naive.id,
          optimized: opt.id,
          naiveMeanNs: median(aMean),
          optimizedMeanNs: median(bMean),
          naiveP99Ns: median(aP99),
          optimizedP99Ns: median(bP99),
          speedup: ratio,
          figureToBeat: d.figureToBeat,
        }
        rows.push(row)
        ctx.log(
          `${d.id.padEnd(18)} ${naive.id.padEnd(12)} ${fmtNs(row.naiveMeanNs).padStart(10)} (p99 ${fmtNs(row.naiveP99Ns).padStart(9)})  ` +
            `${opt.id.padEnd(12)} ${fmtNs(row.optimizedMeanNs).padStart(10)} (p99 ${fmtNs(row.optimizedP99Ns).padStart(9)})  ${ratio.toFixed(2).padStart(7)}x   beat: ${d.figureToBeat}`,
        )
      }
    }
    return rows
  },
}

const harnessSection: Section = {
  name: 'harness',
  async run(ctx) {
    const rows: Record<string, unknown>[] = []
    let sink = 0
    for (const batch of [1, 1000]) {
      const result = await measure(
        {
          opsPerIteration: batch,
          iterate() {
            for (let i = 0; i < batch; i++) sink += i
          },
          answer: () => sink,
        },
        { durationMs: Math.min(ctx.durationMs, 1500), warmupMs: 200, maxSamples: 10_000 },
        { onProgress: () => undefined, shouldStop: () => false },
      )
      const row = { emptyOperationBatch: batch, meanNsPerOp: result.metrics.latencyNs.mean, p99NsPerOp: result.metrics.latencyNs.p99, opsPerSec: result.metrics.opsPerSec }
      rows.push(row)
      ctx.log(`empty operation, batch ${String(batch).padStart(4)}: mean ${fmtNs(row.meanNsPerOp)} per op, p99 ${fmtNs(row.p99NsPerOp)} — the harness's floor`)
    }
    return rows
  },
}

const profilerSection: Section = {
  name: 'profiler',
  async run(ctx) {
    const rows: Record<string, unknown>[] = []
    for (const interval of [1000, 100]) {
      const overheads: number[] = []
      for (let r = 0; r < ctx.rounds; r++) {
        const run = await runOnce(ctx, 'orderbook', listWorkloadDescriptors().find((d) => d.id === 'orderbook')!.defaultVariant, { profile: ['cpu'], samplingIntervalUs: interval })
        overheads.push(run.profilerOverhead?.overheadPct ?? Number.NaN)
      }
      const row = { samplingIntervalUs: interval, overheadPct: median(overheads), rounds: overheads }
      rows.push(row)
      ctx.log(`CPU profiler at ${String(interval).padStart(4)} µs: overhead ${row.overheadPct.toFixed(1)}% (goal ≤ 2% at 1000 µs; rounds ${overheads.map((o) => o.toFixed(1)).join(', ')})`)
    }
    return rows
  },
}

const environmentSection: Section = {
  name: 'environment',
  async run(ctx) {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-bench-env-'))
    const cold: number[] = []
    const warm: number[] = []
    for (let r = 0; r < 3; r++) {
      let t = performance.now()
      await captureEnvironment({ fresh: true, cacheDir })
      cold.push(performance.now() - t)
      t = performance.now()
      await captureEnvironment({ cacheDir })
      warm.push(performance.now() - t)
    }
    await rm(cacheDir, { recursive: true, force: true })
    ctx.log(`environment capture: cold ${median(cold).toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms (goal: warm < 300 ms)`)
    return [{ coldMs: median(cold), warmMs: median(warm) }]
  },
}

/**
 * Heap snapshot write rate: a fresh process holds ~40 MB of small objects and writes one snapshot with
 * v8.writeHeapSnapshot; MB/s on this Node and, when fetched (scripts/fetch-node22.mjs), on Node 22.
 */
const heapWriteSection: Section = {
  name: 'heap-write',
  async run(ctx) {
    const { execFileSync } = await import('node:child_process')
    const { existsSync } = await import('node:fs')
    const script = [
      "const v8 = require('node:v8'); const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path')",
      'const keep = []; for (let i = 0; i < 400000; i++) keep.push({ i, s: "x" + i, a: [i, i + 1] })',
      "const file = path.join(os.tmpdir(), 'hotpath-bench-' + process.pid + '.heapsnapshot')",
      'const t = performance.now(); v8.writeHeapSnapshot(file); const ms = performance.now() - t',
      'const bytes = fs.statSync(file).size; fs.unlinkSync(file)',
      'console.log(JSON.stringify({ node: process.versions.node, bytes, ms, keep: keep.length }))',
    ].join('\n')
    const runtimes = [process.execPath]
    const node22 = new URL('../../.cache/node22/package/bin/node', import.meta.url)
    if (existsSync(node22)) runtimes.push(node22.pathname)
    const rows: Record<string, unknown>[] = []
    for (const runtime of runtimes) {
      const out = JSON.parse(execFileSync(runtime, ['-e', script], { encoding: 'utf8', timeout: 600_000 })) as { node: string; bytes: number; ms: number }
      const row = { node: out.node, snapshotBytes: out.bytes, writeMs: out.ms, mbPerSec: out.bytes / 1048576 / (out.ms / 1000) }
      rows.push(row)
      ctx.log(`heap snapshot on node ${row.node}: ${(row.snapshotBytes / 1048576).toFixed(1)} MB in ${row.writeMs.toFixed(0)} ms = ${row.mbPerSec.toFixed(1)} MB/s`)
    }
    return rows
  },
}

async function loadOptionalSection(file: string, exportName: string, name: string): Promise<Section | undefined> {
  try {
    const mod = (await import(file)) as Record<string, unknown>
    const fn = mod[exportName]
    if (typeof fn !== 'function') return undefined
    return {
      name,
      async run(ctx) {
        const result = (await (fn as (o: { log(l: string): void }) => Promise<unknown>)({ log: ctx.log })) as Record<string, unknown> | Record<string, unknown>[]
        return Array.isArray(result) ? result : [result]
      },
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined
    throw err
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string', multiple: true },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      trials: { type: 'string' },
      'extra-trials': { type: 'string' },
      kinds: { type: 'string' },
    },
  })
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-bench-store-'))
  const durationMs = values.duration ? Number.parseFloat(values.duration) * (values.duration.endsWith('ms') ? 1 : 1000) : values.quick ? 800 : 2000
  const ctx: BenchContext = { store: openRunStore(storeDir), durationMs, rounds: Number(values.rounds ?? (values.quick ? 1 : 2)), log: (l) => process.stdout.write(`  ${l}\n`) }
  // Verdicts: A/A false-alarm and planted-regression detection rates of `hotpath ab` (bench/verdicts.ts).
  const trials = Number(values.trials ?? (values.quick ? 3 : 20))
  const verdictsSection: Section = {
    name: 'verdicts',
    run: (c) =>
      benchVerdicts({
        log: c.log,
        storeDir,
        trials,
        floorPairs: values.quick ? 3 : 20,
        extraTrials: Number(values['extra-trials'] ?? (values.quick ? 2 : 10)),
        ...(values.kinds ? { kinds: values.kinds.split(',') } : {}),
      }),
  }
  const sections: Section[] = [workloadsSection, harnessSection, profilerSection, environmentSection, heapWriteSection, verdictsSection]
  const heap = await loadOptionalSection(new URL('./heap-snapshot.js', import.meta.url).href, 'benchHeapSnapshot', 'heap-snapshot')
  if (heap) sections.push(heap)
  const storeIndex = await loadOptionalSection(new URL('./store-index.js', import.meta.url).href, 'benchStoreIndex', 'store-index')
  if (storeIndex) sections.push(storeIndex)
  const profiles = await loadOptionalSection(new URL('./profiles.js', import.meta.url).href, 'benchProfiles', 'profiles')
  if (profiles) sections.push(profiles)
  const env = await captureEnvironment()
  process.stdout.write(`Hotpath bench on ${env.cpu.brand} (${env.cpu.cores} cores), node ${process.versions.node}; ${durationMs} ms per measurement, ${ctx.rounds} round(s), A/B alternating\n`)
  const results: Record<string, unknown> = { machine: `${env.cpu.brand} (${env.cpu.cores} cores)`, node: process.versions.node, at: new Date().toISOString() }
  for (const s of sections) {
    if (values.only && !values.only.includes(s.name)) continue
    process.stdout.write(`\n${s.name}\n`)
    results[s.name] = await s.run(ctx)
  }
  await writeFile('bench-results.json', JSON.stringify(results, null, 2) + '\n')
  await rm(storeDir, { recursive: true, force: true })
  process.stdout.write('\nwrote bench-results.json\n')
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
