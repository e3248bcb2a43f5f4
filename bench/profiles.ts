/**
 * CPU profile import benchmark: on generated V8-shaped profiles of about 10 MB, 100 MB and 1 GB
 * (bench/profile-generator.ts: deep and wide trees, the 1 GB one with ~18M samples), side by side in one
 * run, each measurement in a fresh child process (so peak RSS is per tool), tools interleaved in every
 * round:
 *   json     `readFileSync(file, 'utf8')` + `JSON.parse` alone: the floor every JSON importer pays;
 *   hotpath  Hotpath's import from the file (service/profile-import.ts: the byte importer, read in 8 MB
 *            pieces, to a finished call tree with its sample timeline);
 *   object   the object path it replaces (`JSON.parse` + importCpuProfile), for reference;
 *   speedscope  speedscope's own importer in Chromium (its npm package ships only the built browser app,
 *            which reads `window` and the DOM as it loads, so it cannot be driven headless in Node): the
 *            page is opened with `#profileURL=` on a 127.0.0.1 server and its own `console.time("import")`
 *            figure is read (fetch + import, no rendering).
 * Figures are medians over the rounds, with min–max. Called by bench/index.ts, or alone:
 *
 *   node dist/bench/profiles.js [--sizes 10,100,1024] [--rounds N] [--tools json,hotpath,object,speedscope]
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { childFailureReason } from './child-failure.js'
import { syntheticSizeFor, writeSyntheticCpuProfile } from './profile-generator.js'
import { type ToolRatio, formatToolRatio, formatVerdict, goalVerdict, pairedToolRatio } from './tool-ratio.js'

export type ProfileTool = 'json' | 'hotpath' | 'object' | 'speedscope'

export interface ProfileBenchRow {
  tool: ProfileTool
  fileBytes: number
  wallMs: number
  cpuMs: number
  /** Peak RSS of the child (Node tools); the page's JS heap for speedscope. */
  peakRssBytes: number
  /** Call tree nodes (Hotpath) or samples counted, to check the tools read the same profile. */
  check: number
  error?: string
  /** Round of the measurement (set by benchProfiles; rounds pair the tools for the ratio intervals). */
  round?: number
}

export interface ProfileBenchSummary {
  tool: 'summary'
  fileBytes: number
  rounds: number
  json: Stat | null
  hotpath: Stat | null
  object: Stat | null
  speedscope: Stat | null
  /** Medians: hotpath / json wall (goal ≤ 1.3 at 10 and 100 MB). */
  hotpathOverJson: number | null
  objectOverJson: number | null
  speedscopeOverHotpath: number | null
  /**
   * The same ratios as geometric means of the per-round ratios with a paired Student-t 95% interval over
   * rounds (core/stats/between-process.ts pairedProcessInterval: each round runs every tool once, in its
   * own process, so the round's ratio is one between-process sample).
   */
  hotpathOverJsonInterval: ToolRatio | null
  objectOverJsonInterval: ToolRatio | null
  speedscopeOverHotpathInterval: ToolRatio | null
  hotpathPeakRssBytes: number | null
  jsonPeakRssBytes: number | null
}

interface Stat {
  medianMs: number
  minMs: number
  maxMs: number
  medianRssBytes: number
  n: number
  errors: string[]
}

const MB = 1024 * 1024
const here = fileURLToPath(import.meta.url)

function repoRoot(): string {
  let dir = path.dirname(here)
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return dir
}

/** The cached profile of about `mb` megabytes, generated on first use. */
export function ensureBenchProfile(mb: number, log: (line: string) => void): string {
  const dir = path.join(os.tmpdir(), 'hotpath-bench')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `cpu-${mb}MB-v1.cpuprofile`)
  if (existsSync(file)) return file
  log(`writing a ~${mb} MB CPU profile to ${file} (once; cached)...`)
  const tmp = `${file}.tmp-${process.pid}`
  const fd = openSync(tmp, 'w')
  try {
    writeSyntheticCpuProfile((s) => writeSync(fd, s), { ...syntheticSizeFor(mb * MB), seed: 1 })
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
  return file
}

function measureInChild(tool: Exclude<ProfileTool, 'speedscope'>, file: string): Promise<ProfileBenchRow> {
  const loader = here.endsWith('.ts') ? ['--import', 'tsx'] : []
  const args = ['--max-old-space-size=16384', ...loader, here, '--child', tool, '--file', file]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code, signal) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ProfileBenchRow)
      } catch {
        const reason = childFailureReason(code, signal, stderr)
        resolve({ tool, fileBytes: statSync(file).size, wallMs: NaN, cpuMs: NaN, peakRssBytes: NaN, check: 0, error: reason })
      }
    })
  })
}

async function runChild(tool: Exclude<ProfileTool, 'speedscope'>, file: string): Promise<void> {
  const fileBytes = statSync(file).size
  let check = 0
  let run: () => void
  if (tool === 'json') {
    run = () => {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { samples: unknown[] }
      check = parsed.samples.length
    }
  } else if (tool === 'object') {
    const { importCpuProfile } = await import('../core/import/cpuprofile.js')
    run = () => {
      check = importCpuProfile(JSON.parse(readFileSync(file, 'utf8'))).nodes.length
    }
  } else {
    const { importProfileFile } = await import('../service/profile-import.js')
    run = () => {
      check = importProfileFile(file, { availableBytes: Number.POSITIVE_INFINITY }).tree.nodes.length
    }
  }
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  run()
  const wallMs = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const row: ProfileBenchRow = {
    tool,
    fileBytes,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    check,
  }
  process.stdout.write(`${JSON.stringify(row)}\n`)
}

/** speedscope's own import timing in Chromium (fetch + import, read from its console.time("import")). */
async function measureSpeedscope(file: string, timeoutMs: number): Promise<ProfileBenchRow> {
  const fileBytes = statSync(file).size
  const fail = (error: string): ProfileBenchRow => ({
    tool: 'speedscope',
    fileBytes,
    wallMs: NaN,
    cpuMs: NaN,
    peakRssBytes: NaN,
    check: 0,
    error,
  })
  let chromium: typeof import('playwright-core').chromium
  try {
    ;({ chromium } = await import('playwright-core'))
  } catch {
    return fail('playwright-core is not installed')
  }
  if (!existsSync('/usr/bin/chromium')) return fail('no /usr/bin/chromium')
  const release = path.join(repoRoot(), 'node_modules', 'speedscope', 'dist', 'release')
  const { createReadStream } = await import('node:fs')
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const target = url.pathname === '/profile.cpuprofile' ? file : path.join(release, path.normalize(url.pathname).replace(/^[/\\]+/, ''))
    if (!target.startsWith(release) && target !== file) {
      res.writeHead(404).end()
      return
    }
    if (!existsSync(target)) {
      res.writeHead(404).end()
      return
    }
    const type = target.endsWith('.html')
      ? 'text/html'
      : target.endsWith('.js')
        ? 'text/javascript'
        : target.endsWith('.css')
          ? 'text/css'
          : 'application/octet-stream'
    res.writeHead(200, { 'content-type': type })
    createReadStream(target).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--js-flags=--max-old-space-size=16384'],
  })
  try {
    const page = await browser.newPage()
    const importMs = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no import timing within ${timeoutMs / 1000} s`)), timeoutMs)
      page.on('console', (msg) => {
        const m = /^import: ([\d.]+) ?ms/.exec(msg.text())
        if (m) {
          clearTimeout(timer)
          resolve(Number(m[1]))
        }
        if (/Failed to load format/.test(msg.text())) {
          clearTimeout(timer)
          reject(new Error(`speedscope: ${msg.text()}`))
        }
      })
      page.on('crash', () => reject(new Error('the page crashed (out of memory?)')))
    })
    await page.goto(`http://127.0.0.1:${port}/index.html#profileURL=${encodeURIComponent(`http://127.0.0.1:${port}/profile.cpuprofile`)}`)
    const wallMs = await importMs
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
    const heap = metrics.find((m) => m.name === 'JSHeapTotalSize')?.value ?? NaN
    return { tool: 'speedscope', fileBytes, wallMs, cpuMs: NaN, peakRssBytes: heap, check: 0 }
  } catch (err) {
    return fail((err as Error).message)
  } finally {
    await browser.close()
    server.close()
  }
}

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

function stat(rows: ProfileBenchRow[]): Stat | null {
  if (rows.length === 0) return null
  const ok = rows.filter((r) => !r.error)
  const ms = ok.map((r) => r.wallMs)
  return {
    medianMs: median(ms),
    minMs: ms.length ? Math.min(...ms) : NaN,
    maxMs: ms.length ? Math.max(...ms) : NaN,
    medianRssBytes: median(ok.map((r) => r.peakRssBytes)),
    n: ok.length,
    errors: [...new Set(rows.filter((r) => r.error).map((r) => r.error as string))],
  }
}

export interface ProfileBenchOptions {
  log?: (line: string) => void
  sizesMb?: number[]
  /** Rounds per size; default 5 for ≤ 10 MB, 3 for ≤ 100 MB, 2 above. */
  rounds?: number
  tools?: ProfileTool[]
}

const fmtMs = (s: Stat | null): string =>
  !s
    ? '-'
    : s.n === 0
      ? `failed (${s.errors[0]?.slice(0, 60) ?? ''})`
      : `${s.medianMs.toFixed(0)} ms [${s.minMs.toFixed(0)}–${s.maxMs.toFixed(0)}] n=${s.n}`
const fmtMb = (bytes: number | null | undefined): string =>
  bytes !== null && bytes !== undefined && Number.isFinite(bytes) ? `${(bytes / MB).toFixed(0)} MB` : '-'

const fmtRatio = (r: ToolRatio | null): string => (r ? `${formatToolRatio(r)},` : '-')

/** Whether the goals hold, judged on the interval: met when its upper end is within the goal. */
function goalLine(s: ProfileBenchSummary, mb: number): string {
  if (mb > 200) {
    const peak = s.hotpathPeakRssBytes
    return peak === null ? '' : ` → peak ${peak < 2.5 * 1024 * MB ? 'meets' : 'misses'} the 2.5 GB goal`
  }
  const verdict = goalVerdict(s.hotpathOverJsonInterval, 1.3, 'at most')
  return verdict === 'no interval' ? '' : formatVerdict(verdict, 1.3)
}

export async function benchProfiles(opts: ProfileBenchOptions = {}): Promise<(ProfileBenchRow | ProfileBenchSummary)[]> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`  ${line}\n`))
  const sizes = opts.sizesMb ?? [10, 100, 1024]
  const tools = opts.tools ?? ['json', 'hotpath', 'object', 'speedscope']
  const out: (ProfileBenchRow | ProfileBenchSummary)[] = []
  for (const mb of sizes) {
    const file = ensureBenchProfile(mb, log)
    const fileBytes = statSync(file).size
    const rounds = opts.rounds ?? (mb <= 10 ? 5 : mb <= 100 ? 3 : 2)
    log(`${fmtMb(fileBytes)} profile, ${rounds} round(s), tools interleaved, each in its own process (node ${process.versions.node})`)
    const rows: ProfileBenchRow[] = []
    for (let r = 0; r < rounds; r++) {
      // Rotate the order each round so no tool always runs first.
      const order = tools.map((_, k) => tools[(k + r) % tools.length] as ProfileTool)
      for (const tool of order) {
        // The object path and JSON.parse cannot read past V8's string limit: skip them over 512 MB after one try.
        if ((tool === 'json' || tool === 'object') && fileBytes > 512 * MB && r > 0) continue
        const row = tool === 'speedscope' ? await measureSpeedscope(file, mb > 200 ? 600_000 : 180_000) : await measureInChild(tool, file)
        row.round = r
        rows.push(row)
        out.push(row)
        log(
          `  round ${r + 1} ${tool}: ${row.error ? `failed: ${row.error.slice(0, 120)}` : `${row.wallMs.toFixed(0)} ms, peak ${fmtMb(row.peakRssBytes)}`}`,
        )
      }
    }
    const by = (t: ProfileTool): Stat | null => stat(rows.filter((x) => x.tool === t))
    const json = by('json')
    const hotpath = by('hotpath')
    const object = by('object')
    const speedscope = by('speedscope')
    const ratio = (a: Stat | null, b: Stat | null): number | null => (a && b && a.n > 0 && b.n > 0 ? a.medianMs / b.medianMs : null)
    const pairedRatio = (a: ProfileTool, b: ProfileTool): ToolRatio | null => pairedToolRatio(rows, a, b)
    const summary: ProfileBenchSummary = {
      tool: 'summary',
      fileBytes,
      rounds,
      json,
      hotpath,
      object,
      speedscope,
      hotpathOverJson: ratio(hotpath, json),
      objectOverJson: ratio(object, json),
      speedscopeOverHotpath: ratio(speedscope, hotpath),
      hotpathOverJsonInterval: pairedRatio('hotpath', 'json'),
      objectOverJsonInterval: pairedRatio('object', 'json'),
      speedscopeOverHotpathInterval: pairedRatio('speedscope', 'hotpath'),
      hotpathPeakRssBytes: hotpath?.medianRssBytes ?? null,
      jsonPeakRssBytes: json?.medianRssBytes ?? null,
    }
    out.push(summary)
    log(`${fmtMb(fileBytes)}: JSON.parse ${fmtMs(json)} (peak ${fmtMb(json?.medianRssBytes)})`)
    log(
      `${fmtMb(fileBytes)}: hotpath  ${fmtMs(hotpath)} (peak ${fmtMb(hotpath?.medianRssBytes)})  = ${fmtRatio(summary.hotpathOverJsonInterval)} JSON.parse (goal ≤ 1.3 at 10/100 MB; < 2.5 GB peak at 1 GB)${goalLine(summary, mb)}`,
    )
    log(
      `${fmtMb(fileBytes)}: object   ${fmtMs(object)} (peak ${fmtMb(object?.medianRssBytes)})  = ${fmtRatio(summary.objectOverJsonInterval)} JSON.parse`,
    )
    log(
      `${fmtMb(fileBytes)}: speedscope ${fmtMs(speedscope)} (page JS heap ${fmtMb(speedscope?.medianRssBytes)})  = ${fmtRatio(summary.speedscopeOverHotpathInterval)} hotpath`,
    )
  }
  return out
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      file: { type: 'string' },
      sizes: { type: 'string' },
      rounds: { type: 'string' },
      tools: { type: 'string' },
    },
  })
  if (values.child) {
    await runChild(values.child as Exclude<ProfileTool, 'speedscope'>, values.file as string)
    return
  }
  const rows = await benchProfiles({
    ...(values.sizes ? { sizesMb: values.sizes.split(',').map(Number) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values.tools ? { tools: values.tools.split(',') as ProfileTool[] } : {}),
  })
  process.stdout.write(`${JSON.stringify(rows.filter((r) => r.tool === 'summary'))}\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`)
    process.exit(1)
  })
}
