/**
 * `hotpath compare` end to end, in-process: runs saved as run.json fixtures in a temp store, the real
 * dispatcher and command, in-memory streams. Checks the CI gate's exit codes and what it prints.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import * as hdr from 'hdr-histogram-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplesFromHistogram } from '../../../service/comparison.js'
import { runCli } from '../../../cli/index.js'
import type { CliContext } from '../../../cli/context.js'
import type { RunRecord } from '../../../core/model/run.js'
import { summarizeSamples, toLatencyNs } from '../../../core/stats/summarize.js'
import { openRunStore } from '../../../store/run-store.js'
import { makeRun } from '../../helpers/make-run.js'
import { runWithProcesses } from '../../helpers/make-processes.js'
import { normalSamples } from '../../unit/core/stats/sample-data.js'

let storeDir: string

function runWith(id: string, samples: number[], extra: Partial<RunRecord> = {}): RunRecord {
  const s = summarizeSamples(samples)
  const base = makeRun()
  return makeRun({
    id,
    samplesNs: samples,
    metrics: { ...base.metrics!, iterations: samples.length, operations: samples.length, opsPerSec: 1e9 / s.mean, latencyNs: toLatencyNs(s) },
    ...extra,
  })
}

/** Five processes' throughputs around `ops` (spread ±0.8%), as `--repeat 5` records them. */
const fiveAround = (ops: number): number[] => [1, 1.008, 0.992, 1.004, 0.996].map((k) => ops * k)

/** A run of five processes whose mean process matches `samples` (scaled by `slower`). */
function repeated(id: string, samples: number[], slower = 1): RunRecord {
  const one = runWith(id, samples)
  return runWithProcesses(fiveAround(one.metrics!.opsPerSec / slower), { ...one, metrics: { ...one.metrics! } })
}

const ids = {
  base: '20261123T080000000Z-orderbook-base',
  same: '20261123T080100000Z-orderbook-same',
  slower20: '20261123T080200000Z-orderbook-slower',
  slower5: '20261123T080300000Z-orderbook-slightly',
  otherWorkload: '20261123T080400000Z-var-naive',
  histogramOnly: '20261123T080500000Z-orderbook-hist',
  failed: '20261123T080600000Z-orderbook-failed',
  profiledBase: '20261123T080700000Z-orderbook-prof-base',
  single: '20261123T081000000Z-orderbook-single',
  singleSame: '20261123T081100000Z-orderbook-single-same',
  profiledSame: '20261123T080800000Z-orderbook-prof-same',
  profiledGrown: '20261123T080900000Z-orderbook-prof-grown',
}

/** A small V8 CPU profile: (root) → main → siftDown / bestBid, with this many 1 ms samples in each leaf. */
function cpuProfile(siftDown: number, bestBid: number) {
  const frame = (functionName: string, lineNumber: number, url = 'file:///app/workloads/orderbook/heap.js') => ({ functionName, scriptId: '7', url, lineNumber, columnNumber: 0 })
  const samples = [...new Array<number>(siftDown).fill(3), ...new Array<number>(bestBid).fill(4)]
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', -1, ''), hitCount: 0, children: [2] },
      { id: 2, callFrame: frame('main', 0), hitCount: 0, children: [3, 4] },
      { id: 3, callFrame: frame('siftDown', 40), hitCount: siftDown },
      { id: 4, callFrame: frame('bestBid', 6), hitCount: bestBid },
    ],
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  }
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (c: Buffer) => out.push(c))
  stderr.on('data', (c: Buffer) => err.push(c))
  const ctx: CliContext = { stdout, stderr, stderrIsTTY: false, env: { HOME: storeDir }, cwd: storeDir, signal: new AbortController().signal }
  const code = await runCli(['compare', ...args, '--store', storeDir], ctx)
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(tmpdir(), 'hotpath-compare-'))
  const store = openRunStore(storeDir)
  const baseSamples = normalSamples(1000, 4000, 0.04, 1)
  // An HDR histogram of the same kind of samples, stored without samplesNs.
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: 3 })
  const histSamples = normalSamples(3000, 4800, 0.04, 6)
  for (const v of histSamples) histogram.recordValue(v)
  const encoded = hdr.encodeIntoCompressedBase64(histogram)
  histogram.destroy()
  const runs = [
    // Gates rest on between-process spread: five processes a side.
    repeated(ids.base, baseSamples),
    repeated(ids.same, [...baseSamples]),
    repeated(ids.slower20, baseSamples, 1.2),
    repeated(ids.slower5, baseSamples, 1.05),
    runWith(ids.otherWorkload, normalSamples(1000, 4000, 0.04, 5), { workload: { id: 'var', variant: 'naive', params: { levels: 500 }, seed: 42 } }),
    { ...runWith(ids.histogramOnly, histSamples), samplesNs: undefined, histogram: encoded },
    runWith(ids.single, baseSamples),
    runWith(ids.singleSame, [...baseSamples]),
    makeRun({ id: ids.failed, status: 'failed', error: 'exit code 1', metrics: undefined, samplesNs: undefined }),
  ]
  for (const run of runs) await store.save(run)

  // Profiled runs (no separate timing pass, so per-operation self times are known): equal timing samples,
  // so only the function gate can trip.
  const profiled: [string, number, number][] = [
    [ids.profiledBase, 100, 100],
    [ids.profiledSame, 100, 100],
    [ids.profiledGrown, 200, 100],
  ]
  for (const [id, siftDown, bestBid] of profiled) {
    const run = runWith(id, [...baseSamples])
    const dir = await store.createRunDir(id)
    await writeFile(path.join(dir, 'cpu.cpuprofile'), JSON.stringify(cpuProfile(siftDown, bestBid)))
    const artifact = await store.describeArtifact(id, 'cpuprofile', 'cpu.cpuprofile')
    await store.save({ ...run, capture: { ...run.capture, profile: ['cpu'], timingPass: false }, artifacts: [artifact] })
  }
})

afterAll(async () => {
  await rm(storeDir, { recursive: true, force: true })
})

describe('hotpath compare: the gate', () => {
  it('exits 0 for identical samples under a 10% gate, and says no change', async () => {
    const r = await cli(ids.base, ids.same, '--fail-on-regression', '10%')
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^opsPerSec\s+([\d.]+ k ops\/s)\s+\1\s+0\.0%\s+-[\d.]+% … \+[\d.]+%\s+≥ [\d.]+%\s+5 \+ 5\s+no change$/m)
  })

  it('says inconclusive, not no change, for one process a side even when the numbers are equal', async () => {
    const r = await cli(ids.single, ids.singleSame, '--fail-on-regression', '10%')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^opsPerSec\s+.*1 \+ 1\s+inconclusive$/m)
    expect(r.stdout).toMatch(/one process per side/)
  })

  it('exits 1 on a planted 20% regression under a 10% gate and says why on stderr', async () => {
    const r = await cli(ids.base, ids.slower20, '--fail-on-regression', '10%')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/gate failed:\n {2}20261123T080200000Z-orderbook-slower: opsPerSec changed -16\.\d% \(95% CI -1\d\.\d% … -1\d\.\d%\), beyond the allowed -10\.0%\n$/)
    expect(r.stdout).toMatch(/^opsPerSec .* regressed$/m)
  })

  it('exits 0 when a real regression (5%) stays within the allowed 10%', async () => {
    const r = await cli(ids.base, ids.slower5, '--fail-on-regression', '10')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^opsPerSec .* regressed$/m)
  })

  it('judges the metric named by --metric, and trips on any of several candidates', async () => {
    expect((await cli(ids.base, ids.same, ids.slower20, '--metric', 'p99', '--fail-on-regression', '10%')).code).toBe(1)
    expect((await cli(ids.base, ids.same, '--metric', 'p99', '--fail-on-regression', '10%')).code).toBe(0)
  })

  it('exits 1 when a function grew its self time per operation beyond --fail-on-function-growth', async () => {
    const r = await cli(ids.profiledBase, ids.profiledGrown, '--fail-on-function-growth', '5%', '--fail-on-regression', '10%')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/: function siftDown \(file:\/\/\/app\/workloads\/orderbook\/heap\.js:41\) /)
    expect(r.stderr).toMatch(/self time per operation grew \+100\.0% \(allowed \+5\.0%/)
    expect(r.stderr).not.toMatch(/opsPerSec changed/)
    expect(r.stdout).toMatch(/^Functions that explain the change:$/m)
    expect(r.stdout).toMatch(/^siftDown\s+orderbook\/heap\.js:41\s+100 µs\/op/m)
  })

  it('exits 0 under the function gate when the profiles match', async () => {
    const r = await cli(ids.profiledBase, ids.profiledSame, '--fail-on-function-growth', '5%')
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
  })

  it('uses histograms when a run has no raw samples', async () => {
    const r = await cli(ids.base, ids.histogramOnly, '--json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    const mean = doc.candidates[0].metrics.find((m: { name: string }) => m.name === 'mean')
    expect(mean.ciLow).toBeGreaterThan(1.15)
    expect(mean.verdict).toBe('regressed')
  })
})

describe('hotpath compare: output', () => {
  it('prints exactly one JSON document with the contract shape for --json', async () => {
    const r = await cli(ids.base, ids.slower20, '--json', '--fail-on-regression', '10%')
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc.baseline).toBe(ids.base)
    expect(doc.candidates).toHaveLength(1)
    const ops = doc.candidates[0].metrics.find((m: { name: string }) => m.name === 'opsPerSec')
    expect(Object.keys(ops)).toEqual(expect.arrayContaining(['name', 'baseline', 'candidate', 'ratio', 'ciLow', 'ciHigh', 'verdict']))
    expect(ops.ratio).toBeCloseTo(ops.candidate / ops.baseline, 12)
    expect(doc.environmentDiff.differences).toEqual([])
    expect(Array.isArray(doc.warnings)).toBe(true)
    expect(doc.gate.tripped).toBe(true)
  })

  it('is deterministic: the same command gives the same JSON', async () => {
    const a = await cli(ids.base, ids.slower5, '--json')
    const b = await cli(ids.base, ids.slower5, '--json')
    expect(a.stdout).toBe(b.stdout)
    // Verdicts rest on t intervals over processes, so the bootstrap seed changes nothing.
    const c = await cli(ids.base, ids.slower5, '--json', '--seed', '7')
    expect(c.stdout).toBe(a.stdout)
  })

  it('writes Markdown and HTML reports with -o and shows the table on stdout', async () => {
    const md = path.join(storeDir, 'report.md')
    const r = await cli(ids.base, ids.slower20, '-o', md)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^metric\s+baseline\s+candidate\s+change\s+95% CI\s+could detect\s+processes\s+verdict$/m)
    expect(await readFile(md, 'utf8')).toMatch(/^## Hotpath comparison: orderbook\n/)
    const html = path.join(storeDir, 'report.out')
    expect((await cli(ids.base, ids.slower20, '--format', 'html', '-o', html)).code).toBe(0)
    const text = await readFile(html, 'utf8')
    expect(text).toMatch(/^<!doctype html>/)
    expect(text).not.toMatch(/https?:\/\//)
  })

  it('prints Markdown on stdout with --format md', async () => {
    const r = await cli(ids.base, ids.same, '--format', 'md')
    expect(r.stdout).toMatch(/^## Hotpath comparison: orderbook/)
  })
})

describe('hotpath compare: bad usage and input exit 2', () => {
  it.each([
    [[ids.base], /name a baseline run id and at least one candidate/],
    [[ids.base, ids.same, '--metric', 'fastness'], /--metric "fastness" is not one of opsPerSec, mean/],
    [[ids.base, ids.same, '--noise', 'lots'], /--noise "lots" is not a percentage/],
    [[ids.base, ids.same, '--format', 'pdf'], /--format "pdf" is not one of/],
    [[ids.base, ids.same, '--method', 'jackknife'], /--method "jackknife"/],
    [[ids.base, ids.same, '--seed', '-1'], /--seed "-1" must be a whole number from 0/],
    [[ids.base, ids.base], /a run is named twice/],
    [[ids.base, '20261123T090000000Z-orderbook-nope'], /no run 20261123T090000000Z-orderbook-nope/],
    [[ids.base, 'not-a-run-id'], /not a run id/],
    [[ids.base, ids.failed], /has no metrics \(status failed: exit code 1\)/],
    [[ids.base, ids.otherWorkload], /different workloads .*--force/],
    [[ids.base, ids.same, '--fail-on-function-growth', '5%'], /needs a CPU profile in the baseline and every candidate/],
    [[ids.base, ids.same, '--json', '--format', 'md'], /--json prints JSON on stdout/],
    [[ids.base, ids.same, '--fail-on-regression', '150%'], /must be under 100%/],
  ])('%j', async (args, message) => {
    const r = await cli(...args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it('compares different workloads with --force, with the warning', async () => {
    const r = await cli(ids.base, ids.otherWorkload, '--force')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^error: The runs measure different workloads/m)
  })
})

describe('samplesFromHistogram', () => {
  it('expands a histogram into its recorded values, or evenly spaced order statistics past the cap', () => {
    const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e12, numberOfSignificantValueDigits: 3 })
    h.recordValueWithCount(100, 3)
    h.recordValueWithCount(200, 1)
    const encoded = hdr.encodeIntoCompressedBase64(h)
    h.destroy()
    expect(samplesFromHistogram(encoded)).toEqual([100, 100, 100, 200])
    expect(samplesFromHistogram(encoded, 2)).toEqual([100, 200])

    const big = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e12, numberOfSignificantValueDigits: 3 })
    for (let v = 1; v <= 50_000; v++) big.recordValue(v)
    const many = samplesFromHistogram(hdr.encodeIntoCompressedBase64(big), 10_000)
    big.destroy()
    expect(many).toHaveLength(10_000)
    const mean = many.reduce((a, b) => a + b, 0) / many.length
    expect(mean / 25_000).toBeCloseTo(1, 2)
  })
})
