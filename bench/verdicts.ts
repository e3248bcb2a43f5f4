/**
 * `npm run bench -- --only verdicts`: how often Hotpath's verdicts are wrong on this machine, measured the
 * way a user meets them: the `hotpath ab` command with its default settings, one invocation after another.
 *
 * - A/A: the same build, workload, variant and seed on both sides (orderbook optimized vs optimized)
 *   with `--fail-on-regression 5%`. Every exit 1 is a false alarm; every "regressed"/"improved" verdict at
 *   the default ±2% band too.
 * - Planted: the self-test loop with n 10% larger on side B (`--param n=100000 --param-b n=110000`), a
 *   slowdown of exactly 10% of the work. Every exit 1 is a detection.
 * - Planted 3%: the same with n 3% larger and `--noise 1%`; every "regressed" verdict is a detection.
 * - ABBA (`--mode abba`, process-level, what different runtimes get): A/A orderbook and the planted 10%
 *   with the 5% gate, at ABBA's defaults (22 rounds of 0.5 s processes).
 * - Baselines, the suite flow of CI (orderbook optimized on both sides, 4 processes a side, 10% gate):
 *   "session" saves a baseline of 4 processes and gates 4 more against it right after (two sessions, as
 *   `suite --baseline main` on a branch); "rounds" alternates one base and one head process 4 times
 *   (`suite --repeat 1 --save-baseline NAME --append`) and gates with `baseline compare`, as
 *   docs/perf-gate.yml does. Every exit 1 is a false alarm: the cost of the drift between sessions.
 * - Single-process floor: pairs of single-process `hotpath run`s of identical code; the 95th percentile
 *   of |log ratio| of throughput is the noise a single process per side cannot see past
 *   (core/stats/between-process.ts SINGLE_PROCESS_NOISE_FLOOR).
 *
 * Each rate comes with its Wilson 95% interval (core/stats/significance.ts) and the number of trials:
 * 0 false alarms in 20 trials still allows a true rate up to 16%. Trials alternate A/A and planted so
 * machine drift hits both. Runs go to a temporary store.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { wilsonInterval } from '../core/stats/significance.js'

export interface VerdictBenchOptions {
  log(line: string): void
  storeDir: string
  /** A/A and planted trials each (default 20). */
  trials: number
  /** Single-process A/A pairs for the noise floor (default 20; 0 skips it). */
  floorPairs: number
  /** Planted 3% trials (paired, `--noise 1%`) and ABBA trials (A/A and planted 10%), each (default 10; 0 skips). */
  extraTrials: number
  /** Run only these kinds (default all): aa, planted, planted3, abba-aa, abba-planted, session-aa, rounds-aa, floor. */
  kinds?: readonly string[]
}

interface Invocation {
  code: number
  seconds: number
  json: unknown
  stderr: string
}

const BIN = fileURLToPath(new URL('../../bin/hotpath.js', import.meta.url))

function hotpath(args: string[], storeDir: string): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [BIN, ...args, '--store', storeDir, '--json'], { env: { ...process.env, HOTPATH_SELFTEST: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      let json: unknown
      try {
        json = JSON.parse(out)
      } catch {
        json = undefined
      }
      resolve({ code: code ?? -1, seconds: (performance.now() - t0) / 1000, json, stderr: err.slice(-2000) })
    })
  })
}

interface HeadlineMetric {
  ratio: number | null
  ciLow: number | null
  ciHigh: number | null
  verdict: string
  mde: number | null
}

function headline(json: unknown): HeadlineMetric | undefined {
  const doc = json as { comparison?: { candidates?: { metrics?: (HeadlineMetric & { name: string })[] }[] } } | undefined
  return doc?.comparison?.candidates?.[0]?.metrics?.find((m) => m.name === 'opsPerSec')
}

function rate(label: string, hits: number, trials: number): Record<string, unknown> {
  const w = wilsonInterval(hits, trials)
  return { label, hits, trials, rate: w.rate, ciLow: w.low, ciHigh: w.high }
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

/** The suite flow's processes: orderbook optimized, 0.5 s each, no profile (the gate reads only throughput). */
const SUITE = ['suite', '--workloads', 'orderbook:optimized', '--duration', '500ms', '--warmup', '200ms', '--profile', 'none']
const SUITE_PROCESSES = 4

/** Baseline of 4 processes, then 4 more gated against it: two sessions. The gate's invocation's result. */
async function sessionBaselineTrial(name: string, storeDir: string): Promise<Invocation> {
  const t0 = performance.now()
  const saved = await hotpath([...SUITE, '--repeat', String(SUITE_PROCESSES), '--save-baseline', name], storeDir)
  if (saved.code !== 0) return saved
  const gated = await hotpath([...SUITE, '--repeat', String(SUITE_PROCESSES), '--baseline', name, '--fail-on-regression', '10%'], storeDir)
  return { ...gated, seconds: (performance.now() - t0) / 1000 }
}

/** 4 alternating rounds of one base and one head process, then `baseline compare`, as docs/perf-gate.yml. */
async function roundsBaselineTrial(name: string, storeDir: string): Promise<Invocation> {
  const t0 = performance.now()
  for (let r = 0; r < SUITE_PROCESSES; r++) {
    for (const side of ['base', 'head']) {
      const round = await hotpath([...SUITE, '--repeat', '1', '--save-baseline', `${name}-${side}`, '--append'], storeDir)
      if (round.code !== 0) return round
    }
  }
  const gated = await hotpath(['baseline', 'compare', `${name}-base`, `${name}-head`, '--fail-on-regression', '10%'], storeDir)
  return { ...gated, seconds: (performance.now() - t0) / 1000 }
}

function suiteHeadline(json: unknown): { ratio: number; low: number; high: number; verdict: string } | undefined {
  const doc = json as { members?: { comparison?: { ratio: { ratio: number; low: number | null; high: number | null }; verdict: string } }[] } | undefined
  const c = doc?.members?.[0]?.comparison
  return c ? { ratio: c.ratio.ratio, low: c.ratio.low ?? Number.NaN, high: c.ratio.high ?? Number.NaN, verdict: c.verdict } : undefined
}

export async function benchVerdicts(opts: VerdictBenchOptions): Promise<Record<string, unknown>[]> {
  const aa = ['ab', 'orderbook', '--variant', 'optimized', '--variant', 'optimized', '--fail-on-regression', '5%']
  const planted = ['ab', 'selftest', '--variant', 'loop', '--variant', 'loop', '--param', 'n=100000', '--param-b', 'n=110000', '--fail-on-regression', '5%']
  const planted3 = ['ab', 'selftest', '--variant', 'loop', '--variant', 'loop', '--param', 'n=100000', '--param-b', 'n=103000', '--noise', '1%']
  const abbaAa = [...aa, '--mode', 'abba']
  const abbaPlanted = [...planted, '--mode', 'abba']
  const results = {
    aa: [] as Invocation[],
    planted: [] as Invocation[],
    planted3: [] as Invocation[],
    'abba-aa': [] as Invocation[],
    'abba-planted': [] as Invocation[],
    'session-aa': [] as Invocation[],
    'rounds-aa': [] as Invocation[],
  }
  const wanted = (kind: string): boolean => !opts.kinds || opts.kinds.includes(kind)
  const rounds = Math.max(opts.trials, opts.extraTrials)
  for (let i = 0; i < rounds; i++) {
    // Kinds alternate within every round, so the machine's drift over the section hits all of them.
    const kinds = (
      [
        ['aa', aa, opts.trials],
        ['planted', planted, opts.trials],
        ['planted3', planted3, opts.extraTrials],
        ['abba-aa', abbaAa, opts.extraTrials],
        ['abba-planted', abbaPlanted, opts.extraTrials],
      ] as const
    ).filter(([kind, , n]) => i < n && wanted(kind))
    for (const kind of (['session-aa', 'rounds-aa'] as const).filter((k) => i < opts.extraTrials && wanted(k))) {
      const r = kind === 'session-aa' ? await sessionBaselineTrial(`s${i}`, opts.storeDir) : await roundsBaselineTrial(`r${i}`, opts.storeDir)
      results[kind].push(r)
      const m = suiteHeadline(r.json)
      opts.log(
        `${kind.padEnd(12)} ${String(i + 1).padStart(2)}/${opts.extraTrials}: exit ${r.code} in ${r.seconds.toFixed(1)} s` +
          (m ? `, ratio ${m.ratio.toFixed(4)} [${m.low.toFixed(4)}, ${m.high.toFixed(4)}] ${m.verdict}` : `, ${r.stderr.trim().split('\n').pop() ?? ''}`),
      )
    }
    for (const [kind, args, n] of kinds) {
      const r = await hotpath([...args], opts.storeDir)
      results[kind].push(r)
      const m = headline(r.json)
      opts.log(
        `${kind.padEnd(12)} ${String(i + 1).padStart(2)}/${n}: exit ${r.code} in ${r.seconds.toFixed(1)} s` +
          (m ? `, ratio ${m.ratio?.toFixed(4)} [${m.ciLow?.toFixed(4)}, ${m.ciHigh?.toFixed(4)}] ${m.verdict}` : `, ${r.stderr.trim().split('\n').pop() ?? ''}`),
      )
    }
  }
  const failed = (rs: Invocation[]): number => rs.filter((r) => r.code !== 0 && r.code !== 1).length
  const seconds = (rs: Invocation[]): number => (rs.length ? rs.reduce((s, r) => s + r.seconds, 0) / rs.length : Number.NaN)
  const rows: Record<string, unknown>[] = [
    { ...rate('A/A gate false alarms (exit 1, 5% gate)', results.aa.filter((r) => r.code === 1).length, results.aa.length - failed(results.aa)), meanSeconds: seconds(results.aa), errors: failed(results.aa) },
    rate(
      'A/A verdict false alarms (improved/regressed at ±2%)',
      results.aa.filter((r) => ['improved', 'regressed'].includes(headline(r.json)?.verdict ?? '')).length,
      results.aa.filter((r) => headline(r.json)).length,
    ),
    { ...rate('planted 10% slowdown detected (exit 1, 5% gate)', results.planted.filter((r) => r.code === 1).length, results.planted.length - failed(results.planted)), meanSeconds: seconds(results.planted), errors: failed(results.planted) },
    {
      ...rate('planted 3% slowdown reported regressed (--noise 1%)', results.planted3.filter((r) => headline(r.json)?.verdict === 'regressed').length, results.planted3.filter((r) => headline(r.json)).length),
      meanSeconds: seconds(results.planted3),
      errors: failed(results.planted3),
    },
    { ...rate('ABBA A/A gate false alarms (exit 1, 5% gate)', results['abba-aa'].filter((r) => r.code === 1).length, results['abba-aa'].length - failed(results['abba-aa'])), meanSeconds: seconds(results['abba-aa']), errors: failed(results['abba-aa']) },
    {
      ...rate('ABBA planted 10% slowdown detected (exit 1, 5% gate)', results['abba-planted'].filter((r) => r.code === 1).length, results['abba-planted'].length - failed(results['abba-planted'])),
      meanSeconds: seconds(results['abba-planted']),
      errors: failed(results['abba-planted']),
    },
    {
      ...rate('baseline saved just before, A/A gate false alarms (exit 1, 10%)', results['session-aa'].filter((r) => r.code === 1).length, results['session-aa'].length - failed(results['session-aa'])),
      meanSeconds: seconds(results['session-aa']),
      errors: failed(results['session-aa']),
    },
    rate(
      'baseline saved just before, A/A verdict false alarms (±2%)',
      results['session-aa'].filter((r) => ['improved', 'regressed'].includes(suiteHeadline(r.json)?.verdict ?? '')).length,
      results['session-aa'].filter((r) => suiteHeadline(r.json)).length,
    ),
    rate(
      'alternating rounds, A/A verdict false alarms (±2%)',
      results['rounds-aa'].filter((r) => ['improved', 'regressed'].includes(suiteHeadline(r.json)?.verdict ?? '')).length,
      results['rounds-aa'].filter((r) => suiteHeadline(r.json)).length,
    ),
    {
      ...rate('alternating rounds, A/A gate false alarms (exit 1, 10%)', results['rounds-aa'].filter((r) => r.code === 1).length, results['rounds-aa'].length - failed(results['rounds-aa'])),
      meanSeconds: seconds(results['rounds-aa']),
      errors: failed(results['rounds-aa']),
    },
  ].filter((row) => (row.trials as number) > 0)
  if (opts.floorPairs > 0 && wanted('floor')) {
    const logs: number[] = []
    for (let i = 0; i < opts.floorPairs; i++) {
      const one = async (): Promise<number | undefined> => {
        const r = await hotpath(['run', 'orderbook', '--variant', 'optimized', '--duration', '1s'], opts.storeDir)
        return (r.json as { metrics?: { opsPerSec?: number } } | undefined)?.metrics?.opsPerSec
      }
      const a = await one()
      const b = await one()
      if (a && b) logs.push(Math.abs(Math.log(b / a)))
    }
    logs.sort((x, y) => x - y)
    const p95 = logs[Math.min(logs.length - 1, Math.ceil(0.95 * logs.length) - 1)] ?? Number.NaN
    const max = logs[logs.length - 1] ?? Number.NaN
    rows.push({ label: 'single-process A/A |ratio − 1|, 95th percentile', pairs: logs.length, p95: Math.expm1(p95), max: Math.expm1(max) })
  }
  for (const r of rows) {
    if ('rate' in r) {
      opts.log(`${String(r.label).padEnd(54)} ${r.hits}/${r.trials} = ${pct(r.rate as number)} (95% CI ${pct(r.ciLow as number)} … ${pct(r.ciHigh as number)})${r.meanSeconds !== undefined ? `, ${(r.meanSeconds as number).toFixed(1)} s each` : ''}`)
    } else {
      opts.log(`${String(r.label).padEnd(54)} ${pct(r.p95 as number)} over ${r.pairs} pairs (largest ${pct(r.max as number)})`)
    }
  }
  return rows
}
