/**
 * Heap snapshot benchmark: our streaming parser and summary against heap-snapshot-toolkit (Chrome DevTools'
 * own HeapSnapshot code) and @vscode/v8-heap-parser (Rust/WASM) on the same large snapshot, side by side in
 * one run: rounds in which every tool runs once, each in its own child process (so peak RSS is per tool),
 * the order rotated each round; ratios over rounds with paired intervals (bench/tool-ratio.ts). Called by
 * bench/index.ts, or alone:
 *
 *   node dist/bench/heap-snapshot.js [--size 300MB] [--huge] [--rounds N] [--tools ours,toolkit,vscode]
 *
 * The snapshot is written once by scripts/make-heap-snapshot.mjs with the Node 22 binary and cached under
 * os.tmpdir()/hotpath-bench/. `--huge` uses a 1 GB snapshot instead.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { childFailureReason } from './child-failure.js'
import { type ToolRatio, formatToolRatio, formatVerdict, goalVerdict, pairedToolRatio } from './tool-ratio.js'

type Tool = 'ours' | 'toolkit' | 'vscode'

/** One measurement: one tool on one snapshot, in a fresh child process. */
export interface HeapBenchRow {
  tool: Tool
  snapshotBytes: number
  /** Parse plus summary (statistics, class histogram with retained sizes), measured inside the child, in ms. */
  wallMs: number
  /**
   * CPU time (user + system, all threads) over the same span, in ms: steadier than wall time when other
   * work shares the machine.
   */
  cpuMs: number
  /** The child's peak resident set size (all threads), in bytes. */
  peakRssBytes: number
  /** peakRssBytes / snapshotBytes. */
  rssPerSnapshotByte: number
  nodeCount: number
  edgeCount: number
  /** Sum of self sizes (DevTools' statistics total), in bytes: both tools must agree. */
  totalBytes: number
  /** Why the tool did not finish (out of memory, crash), when it did not. */
  error?: string
  /** Round of the measurement (set by benchHeapSnapshot; rounds pair the tools for the ratio intervals). */
  round?: number
}

/** What benchHeapSnapshot returns: every measurement, then one comparison row per snapshot. */
export type BenchResult = (HeapBenchRow | HeapBenchComparison)[]

/** Medians of the rounds, and the ratios the goals are stated in. */
export interface HeapBenchComparison {
  tool: 'comparison'
  snapshotBytes: number
  oursMs: number
  toolkitMs: number | null
  /** toolkitMs / oursMs (goal: at least 2). */
  speedup: number | null
  oursCpuMs: number
  toolkitCpuMs: number | null
  /** toolkitCpuMs / oursCpuMs. */
  cpuSpeedup: number | null
  oursPeakRssBytes: number
  toolkitPeakRssBytes: number | null
  /** Our peak RSS / snapshot size (goal: at most 2). */
  oursRssPerSnapshotByte: number
  /** Both tools found the same node count and total size. */
  agree: boolean | null
  /** @vscode/v8-heap-parser's class groups sum to our total self size (it reports no node or edge count). */
  vscodeAgrees: boolean | null
  /** @vscode/v8-heap-parser (Rust/WASM): median wall time and peak RSS. */
  vscodeMs: number | null
  vscodePeakRssBytes: number | null
  /** The fastest other parser's median / ours (goal: at least 2.5). */
  speedupOverFastestOther: number | null
  /**
   * The same ratios with their paired 95% intervals over rounds (bench/tool-ratio.ts): toolkit / ours,
   * @vscode/v8-heap-parser / ours, and each round's faster of the two / ours (the goal's ratio).
   */
  toolkitOverOursInterval: ToolRatio | null
  vscodeOverOursInterval: ToolRatio | null
  fastestOtherOverOursInterval: ToolRatio | null
  /** Our largest peak RSS over the rounds / snapshot size (goal: at most 2). */
  oursMaxRssPerSnapshotByte: number
}

export interface HeapBenchOptions {
  log?: (line: string) => void
  /** Snapshot size to generate, in bytes (default 300 MB). */
  sizeBytes?: number
  /** Use a 1 GB snapshot. */
  huge?: boolean
  /**
   * Rounds (default 5): each runs every tool once, in its own process, in an order rotated each round;
   * the ratios' intervals need at least 2. A round on the 300 MB snapshot takes about 45 s.
   */
  rounds?: number
  tools?: Tool[]
}

const MB = 1024 * 1024

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error('cannot find the repository root (package.json) above bench/')
    dir = up
  }
  return dir
}

/** The cached snapshot of about `sizeBytes`, written on first use. */
export function ensureBenchSnapshot(sizeBytes: number, log: (line: string) => void): string {
  const dir = path.join(os.tmpdir(), 'hotpath-bench')
  // The version suffix changes when the generating program does, so a stale cache is not reused.
  const file = path.join(dir, `heap-${Math.round(sizeBytes / MB)}MB-v1.heapsnapshot`)
  if (existsSync(file)) return file
  log(`writing a ~${Math.round(sizeBytes / MB)} MB heap snapshot to ${file} (once; cached)...`)
  const script = path.join(repoRoot(), 'scripts', 'make-heap-snapshot.mjs')
  const run = spawnSync(process.execPath, [script, 'large', '--size', String(sizeBytes), '--out', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`make-heap-snapshot.mjs failed (exit ${run.status}, signal ${run.signal})`)
  log(run.stdout.trim())
  return file
}

/** Runs one tool on one file in a child process and reads its one-line JSON report. */
function measureInChild(tool: Tool, file: string): Promise<HeapBenchRow> {
  const self = fileURLToPath(import.meta.url)
  const loader = self.endsWith('.ts') ? ['--import', 'tsx'] : []
  // The same generous heap limit for both, so neither fails on V8's default limit rather than on real need.
  const args = ['--max-old-space-size=16384', ...loader, self, '--child', tool, '--file', file]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').at(-1) ?? ''
      try {
        resolve(JSON.parse(line) as HeapBenchRow)
      } catch {
        const snapshotBytes = statSync(file).size
        const reason = childFailureReason(code, signal, stderr)
        resolve({
          tool,
          snapshotBytes,
          wallMs: NaN,
          cpuMs: NaN,
          peakRssBytes: NaN,
          rssPerSnapshotByte: NaN,
          nodeCount: 0,
          edgeCount: 0,
          totalBytes: 0,
          error: reason,
        })
      }
    })
  })
}

/** Inside a child: do the work with one tool and print one JSON line. */
async function runChild(tool: Tool, file: string): Promise<void> {
  const snapshotBytes = statSync(file).size
  let row: Omit<HeapBenchRow, 'peakRssBytes' | 'rssPerSnapshotByte' | 'cpuMs'>
  let cpuBefore: NodeJS.CpuUsage
  if (tool === 'ours') {
    const { analyzeHeapSnapshotFile } = await import('../service/heap-analysis.js')
    cpuBefore = process.cpuUsage()
    const started = performance.now()
    const summary = await analyzeHeapSnapshotFile(file)
    const wallMs = performance.now() - started
    row = {
      tool,
      snapshotBytes,
      wallMs,
      nodeCount: summary.nodeCount,
      edgeCount: summary.edgeCount,
      totalBytes: summary.statistics.totalBytes,
    }
  } else if (tool === 'vscode') {
    // VS Code's Rust/WASM parser (@vscode/v8-heap-parser): the file as one buffer, decoded, then the class
    // groups sorted by retained size (its Summary view), which computes dominators and retained sizes.
    const { readFileSync } = await import('node:fs')
    const parser = (await import('@vscode/v8-heap-parser')) as unknown as {
      decode_bytes(input: Uint8Array): {
        get_class_groups(start: number, end: number, noRetained: boolean): { self_size: bigint; free(): void }[]
        free(): void
      }
    }
    cpuBefore = process.cpuUsage()
    const started = performance.now()
    const graph = parser.decode_bytes(readFileSync(file))
    const groups = graph.get_class_groups(0, Number.MAX_SAFE_INTEGER >>> 0, false)
    const wallMs = performance.now() - started
    let totalBytes = 0
    for (const g of groups) totalBytes += Number(g.self_size)
    row = { tool, snapshotBytes, wallMs, nodeCount: 0, edgeCount: 0, totalBytes }
  } else {
    const { createReadStream } = await import('node:fs')
    const toolkit = await import('heap-snapshot-toolkit')
    cpuBefore = process.cpuUsage()
    const started = performance.now()
    // What our summary covers: parse and initialize (dominators, retained sizes, distances), statistics,
    // and the class aggregates with their retained sizes (the Summary view).
    const snapshot = await toolkit.parse(createReadStream(file, 'utf-8'))
    const statistics = (await snapshot.getStatistics()) as { total: number }
    // An empty filter, as the toolkit's README calls it (its types ask for a full NodeFilter).
    await snapshot.aggregatesWithFilter({} as Parameters<typeof snapshot.aggregatesWithFilter>[0])
    const wallMs = performance.now() - started
    const internals = snapshot as unknown as { nodeCount: number; containmentEdges: { length: number }; edgeFieldsCount: number }
    row = {
      tool,
      snapshotBytes,
      wallMs,
      nodeCount: internals.nodeCount,
      edgeCount: internals.containmentEdges.length / internals.edgeFieldsCount,
      totalBytes: statistics.total,
    }
  }
  const cpu = process.cpuUsage(cpuBefore)
  // maxRSS is in kilobytes and covers every thread of the process (our worker included).
  const peakRssBytes = process.resourceUsage().maxRSS * 1024
  process.stdout.write(
    JSON.stringify({ ...row, cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes, rssPerSnapshotByte: peakRssBytes / snapshotBytes }) +
      '\n',
  )
}

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const fmtMs = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'failed')
const fmtMb = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / MB).toFixed(0)} MB` : 'n/a')

/**
 * Measures both tools on the cached snapshot, alternating (ours, toolkit, ours, toolkit...) so drift in
 * machine load hits both, and reports medians and ratios. Goals are reported, not asserted.
 */
export async function benchHeapSnapshot(opts: HeapBenchOptions = {}): Promise<BenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`  ${line}\n`))
  const sizeBytes = opts.huge ? 1024 * MB : (opts.sizeBytes ?? 300 * MB)
  const tools = opts.tools ?? ['ours', 'toolkit', 'vscode']
  const rounds = opts.rounds ?? 5
  const file = ensureBenchSnapshot(sizeBytes, log)
  const snapshotBytes = statSync(file).size
  log(
    `snapshot: ${file} (${fmtMb(snapshotBytes)}), ${rounds} round(s), tools interleaved, each in its own child process (node ${process.versions.node})`,
  )
  const rows: HeapBenchRow[] = []
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no tool always runs first.
    const order = tools.map((_, k) => tools[(k + r) % tools.length] as Tool)
    for (const tool of order) {
      const row = await measureInChild(tool, file)
      row.round = r
      rows.push(row)
      const name = `round ${r + 1} ${tool === 'ours' ? 'hotpath' : tool === 'toolkit' ? 'heap-snapshot-toolkit' : '@vscode/v8-heap-parser'}`
      if (row.error) log(`${name.padEnd(31)} failed: ${row.error}`)
      else {
        log(
          `${name.padEnd(31)} ${fmtMs(row.wallMs).padStart(9)} (CPU ${fmtMs(row.cpuMs)})  peak RSS ${fmtMb(row.peakRssBytes).padStart(8)} ` +
            `(${row.rssPerSnapshotByte.toFixed(2)}x the file)  ${row.nodeCount.toLocaleString('en-US')} nodes, ${row.edgeCount.toLocaleString('en-US')} edges`,
        )
      }
    }
  }
  const of = (tool: Tool): HeapBenchRow[] => rows.filter((r) => r.tool === tool && !r.error)
  const ours = of('ours')
  const theirs = of('toolkit')
  const oursMs = median(ours.map((r) => r.wallMs))
  const toolkitMs = theirs.length > 0 ? median(theirs.map((r) => r.wallMs)) : null
  const oursCpuMs = median(ours.map((r) => r.cpuMs))
  const toolkitCpuMs = theirs.length > 0 ? median(theirs.map((r) => r.cpuMs)) : null
  const vscode = of('vscode')
  const vscodeMs = vscode.length > 0 ? median(vscode.map((r) => r.wallMs)) : null
  const vscodeRss = vscode.length > 0 ? median(vscode.map((r) => r.peakRssBytes)) : null
  const fastestOther = [toolkitMs, vscodeMs].filter((x): x is number => x !== null && Number.isFinite(x))
  const oursRss = median(ours.map((r) => r.peakRssBytes))
  const toolkitRss = theirs.length > 0 ? median(theirs.map((r) => r.peakRssBytes)) : null
  const a = ours[0]
  const b = theirs[0]
  const comparison: HeapBenchComparison = {
    tool: 'comparison',
    snapshotBytes,
    oursMs,
    toolkitMs,
    speedup: toolkitMs !== null ? toolkitMs / oursMs : null,
    oursCpuMs,
    toolkitCpuMs,
    cpuSpeedup: toolkitCpuMs !== null ? toolkitCpuMs / oursCpuMs : null,
    oursPeakRssBytes: oursRss,
    toolkitPeakRssBytes: toolkitRss,
    oursRssPerSnapshotByte: oursRss / snapshotBytes,
    agree: a && b ? a.nodeCount === b.nodeCount && a.edgeCount === b.edgeCount && a.totalBytes === b.totalBytes : null,
    vscodeAgrees: a && vscode[0] ? a.totalBytes === vscode[0].totalBytes : null,
    vscodeMs,
    vscodePeakRssBytes: vscodeRss,
    speedupOverFastestOther: fastestOther.length > 0 ? Math.min(...fastestOther) / oursMs : null,
    toolkitOverOursInterval: pairedToolRatio(rows, 'toolkit', 'ours'),
    vscodeOverOursInterval: pairedToolRatio(rows, 'vscode', 'ours'),
    fastestOtherOverOursInterval: pairedToolRatio(rows, ['toolkit', 'vscode'], 'ours'),
    oursMaxRssPerSnapshotByte: ours.length > 0 ? Math.max(...ours.map((r) => r.rssPerSnapshotByte)) : NaN,
  }
  const toolkitLine =
    toolkitMs !== null
      ? `heap-snapshot-toolkit: ${fmtMs(toolkitMs)} (median), peak RSS ${fmtMb(toolkitRss ?? NaN)}; over hotpath ${formatToolRatio(comparison.toolkitOverOursInterval)}`
      : 'heap-snapshot-toolkit: not measured'
  log(toolkitLine)
  if (vscodeMs !== null)
    log(
      `@vscode/v8-heap-parser: ${fmtMs(vscodeMs)} (median), peak RSS ${fmtMb(vscodeRss ?? NaN)}; over hotpath ${formatToolRatio(comparison.vscodeOverOursInterval)}`,
    )
  const fastest = comparison.fastestOtherOverOursInterval
  log(
    `hotpath: ${fmtMs(oursMs)} (median); ${fastest ? `the fastest other parser of each round takes ${formatToolRatio(fastest)} as long` : 'no other parser finished'} ` +
      `(goal >= 2.5x)${fastest ? formatVerdict(goalVerdict(fastest, 2.5, 'at least'), 2.5) : ''}`,
  )
  log(
    `hotpath: peak RSS ${fmtMb(oursRss)} (median) = ${comparison.oursRssPerSnapshotByte.toFixed(2)}x the file, at most ${comparison.oursMaxRssPerSnapshotByte.toFixed(2)}x over ${ours.length} process(es) (goal <= 2x)` +
      ` → ${comparison.oursMaxRssPerSnapshotByte <= 2 ? 'meets' : 'misses'} the goal`,
  )
  if (comparison.agree !== null)
    log(`node count, edge count and total size ${comparison.agree ? 'agree' : 'DISAGREE'} between hotpath and heap-snapshot-toolkit`)
  if (comparison.vscodeAgrees !== null)
    log(`total self size ${comparison.vscodeAgrees ? 'agrees' : 'DISAGREES'} between hotpath and @vscode/v8-heap-parser`)
  return [...rows, comparison]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      file: { type: 'string' },
      size: { type: 'string' },
      huge: { type: 'boolean' },
      rounds: { type: 'string' },
      tools: { type: 'string' },
    },
  })
  if (values.child) {
    if (values.child !== 'ours' && values.child !== 'toolkit' && values.child !== 'vscode')
      throw new Error(`--child ${values.child}: ours, toolkit or vscode`)
    if (!values.file) throw new Error('--child needs --file')
    await runChild(values.child, values.file)
    return
  }
  const size = values.size ? parseSize(values.size) : undefined
  const tools = values.tools ? (values.tools.split(',') as Tool[]) : undefined
  process.stdout.write('heap-snapshot\n')
  await benchHeapSnapshot({
    ...(size !== undefined ? { sizeBytes: size } : {}),
    ...(values.huge ? { huge: true } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(tools ? { tools } : {}),
  })
}

/** "300MB", "1GB", "50000000" → bytes (binary units). */
function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text)
  if (!m) throw new Error(`--size "${text}": use e.g. 300MB or 1GB`)
  const unit = ((m[2] ?? 'b').toLowerCase()[0] ?? 'b') as 'b' | 'k' | 'm' | 'g'
  return Math.round(Number(m[1]) * 1024 ** { b: 0, k: 1, m: 2, g: 3 }[unit])
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main().catch((err: unknown) => {
    process.stderr.write(`heap-snapshot bench: ${(err as Error).stack ?? String(err)}\n`)
    process.exitCode = 1
  })
}
