/**
 * The CI flow of a user's project, end to end, on a real temporary git repository: commit a workload file,
 * `suite --save-baseline main`; commit a slower version, `suite --baseline main --fail-on-regression 10%`
 * exits 1 and the report names the function that grew; revert, and identical code passes the same gate
 * measured as docs/perf-gate.yml measures a pull request (base and head in alternating rounds, then
 * `baseline compare`). The slower version is far slower than the ±10-30% between-process noise here.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, runCliProcess } from '../../helpers/cli.js'

/**
 * The slower fee schedule: a tiered square-root sum, long enough (well over V8's 460-byte inlining limit)
 * that it stays a frame of its own in the CPU profile instead of being inlined into its caller.
 */
const slowFee = [
  '  let f = 0',
  '  const base = o.qty * o.price',
  ...Array.from({ length: 16 }, (_, t) => `  for (let k = 0; k < 2; k++) f += Math.sqrt(base * ${t + 1} + k) * ${(t + 1) / 1e7} + (base > ${t * 100} ? ${t} * 1e-9 : 0)`),
  '  return Math.round(f * 1e3) / 1e3 + o.qty * 0.001',
].join('\n')

const workload = (slow: boolean): string => `import { defineWorkload } from 'hotpath/workload'

interface Order { price: number; qty: number }

function makeOrders(n: number, seed: number): Order[] {
  let s = seed >>> 0
  const rnd = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296
  return Array.from({ length: n }, () => ({ price: 100 + rnd() * 10, qty: 1 + Math.floor(rnd() * 100) }))
}

function feeFor(o: Order): number {
${slow ? slowFee : '  return o.qty * 0.001'}
}

function totals(orders: Order[]): number {
  let t = 0
  for (const o of orders) t += o.price * o.qty + feeFor(o)
  return t
}

function totalsUnrolled(orders: Order[]): number {
  let t = 0
  for (let i = 0; i < orders.length; i++) t += orders[i]!.price * orders[i]!.qty + feeFor(orders[i]!)
  return t
}

export default defineWorkload({
  id: 'orders',
  title: 'Order totals with fees',
  params: { orders: { type: 'int', default: 2000, min: 1, max: 1_000_000, description: 'orders per batch' } },
  variants: { naive: totals, optimized: totalsUnrolled },
  setup: ({ params, seed }) => makeOrders(params.orders, seed),
  run: (impl, orders) => impl(orders),
})
`

let dir: string
let baseDir: string
let store: string
const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } })
const suite = (...args: string[]) =>
  runCliProcess(['suite', '--workloads', './bench/orders.bench.ts', '--repeat', '3', '--duration', '300ms', '--warmup', '200ms', ...args], { store, cwd: dir })

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-ci-flow-'))
  baseDir = `${dir}-base`
  store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-ci-store-'))
  await mkdir(path.join(dir, 'bench'))
  await mkdir(path.join(dir, 'node_modules'))
  // The user's project depends on hotpath; here the package is this checkout.
  await symlink(repoRoot, path.join(dir, 'node_modules', 'hotpath'), 'dir')
  await writeFile(path.join(dir, '.gitignore'), 'node_modules\n')
  await writeFile(path.join(dir, 'bench', 'orders.bench.ts'), workload(false))
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('commit', '-qm', 'Add the orders workload file')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await rm(baseDir, { recursive: true, force: true })
  await rm(store, { recursive: true, force: true })
})

describe('CI flow on a temporary git repository', () => {
  it('saves a baseline, fails the gate on a slower commit naming the grown function, passes after the revert', async () => {
    const saved = await suite('--save-baseline', 'main')
    expect(saved.stderr).not.toMatch(/Error|at .*\.js:\d+/)
    expect(saved.code).toBe(0)
    expect(existsSync(path.join(store, 'baselines', 'main.json'))).toBe(true)
    const baseline = JSON.parse(await readFile(path.join(store, 'baselines', 'main.json'), 'utf8')) as { git: { commit: string; branch: string }; members: { runIds: string[] }[] }
    expect(baseline.git.branch).toBe('main')
    expect(baseline.members[0]!.runIds).toHaveLength(3)

    await writeFile(path.join(dir, 'bench', 'orders.bench.ts'), workload(true))
    git('commit', '-qam', 'Compute fees with the square-root schedule')
    const slower = await suite('--baseline', 'main', '--fail-on-regression', '10%', '-o', 'report.md')
    expect(slower.code, slower.stdout + slower.stderr).toBe(1)
    expect(slower.stderr).toMatch(/gate failed/)
    const report = await readFile(path.join(dir, 'report.md'), 'utf8')
    for (const section of ['## Hotpath suite', '- Date:', '- Baseline: `main`', '- Candidate:', '### Summary', 'Suite score:', '### Detailed results', 'functions that explain the change', '### Environment differences', '### Notes / next steps']) {
      expect(report).toContain(section)
    }
    expect(report).toMatch(/Gate failed/)
    expect(report).toContain('Compute fees with the square-root schedule')
    // The function whose self time grew is named (in the gate's reason and in the functions table).
    expect(report).toMatch(/`feeFor`/)
    expect(slower.stderr).toMatch(/grown most: feeFor/)

    // Against a baseline saved minutes earlier, the interval covers the noise between processes but not the
    // machine's drift between the two sessions, and the report says so.
    expect(slower.stdout).toMatch(/warning: baseline main and these runs were measured in separate sessions, not in interleaved rounds/)

    git('revert', '--no-edit', 'HEAD')
    // Identical code must pass the 10% gate, measured as docs/perf-gate.yml does in CI: base (main's commit)
    // checked out beside head, rounds alternating one base and one head process, one comparison at the end.
    // Gating identical code against the baseline saved minutes earlier instead tripped the 10% gate in 3 of
    // 36 trials on this 2-core VM (drift between sessions); alternating rounds hit both sides alike.
    const baseCommit = git('rev-list', '--max-parents=0', 'HEAD').trim()
    git('worktree', 'add', '-q', '--detach', baseDir, baseCommit)
    await mkdir(path.join(baseDir, 'node_modules'))
    await symlink(repoRoot, path.join(baseDir, 'node_modules', 'hotpath'), 'dir')
    const rounds = 4
    const measureInterleaved = async (attempt: number) => {
      for (let r = 0; r < rounds; r++) {
        for (const [cwd, side] of [[baseDir, 'base'], [dir, 'head']] as const) {
          const round = await runCliProcess(
            ['suite', '--workloads', './bench/orders.bench.ts', '--repeat', '1', '--duration', '300ms', '--warmup', '200ms', '--save-baseline', `${side}-${attempt}`, '--append'],
            { store, cwd },
          )
          expect(round.code, round.stdout + round.stderr).toBe(0)
          expect(round.stdout).not.toMatch(/--repeat 1: with fewer than 3/)
        }
      }
      return runCliProcess(['baseline', 'compare', `base-${attempt}`, `head-${attempt}`, '--fail-on-regression', '10%'], { store, cwd: dir })
    }
    // One re-measurement is allowed, as a user would rerun: at 95% a 4-round A/A comparison may still miss.
    let attempts = 1
    let reverted = await measureInterleaved(attempts)
    if (reverted.code === 1) reverted = await measureInterleaved(++attempts)
    expect(reverted.code, reverted.stdout + reverted.stderr).toBe(0)
    expect(reverted.stdout).toMatch(/4 vs 4/)
    expect(reverted.stdout).not.toMatch(/separate sessions/)

    // The history of the workload now spans three commits; list filters on them.
    const head = git('rev-parse', 'HEAD').trim()
    const listed = await runCliProcess(['list', '--commit', head.slice(0, 8), '--json'], { store, cwd: dir })
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(rounds * attempts)
  }, 900_000)

  it('runs hotpath ab on the workload file: two runs named by its id, with the file and the commit they measured', async () => {
    const r = await runCliProcess(
      ['ab', './bench/orders.bench.ts', '--variant', 'naive', '--variant', 'optimized', '--rounds', '2', '--duration', '200ms', '--warmup', '100ms', '--json'],
      { store, cwd: dir },
    )
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as { mode: string; runs: { A: string; B: string } }
    expect(doc.mode).toBe('paired')
    const head = git('rev-parse', 'HEAD').trim()
    for (const id of [doc.runs.A, doc.runs.B]) {
      const run = JSON.parse(await readFile(path.join(store, 'runs', id, 'run.json'), 'utf8')) as {
        workload: { id: string; file?: string }
        provenance?: { git?: { commit: string } }
        processes: unknown[]
      }
      expect(run.workload).toMatchObject({ id: 'orders', file: 'bench/orders.bench.ts' })
      expect(run.provenance?.git?.commit).toBe(head)
      expect(run.processes).toHaveLength(2)
    }
    const abba = await runCliProcess(
      ['ab', './bench/orders.bench.ts', '--variant', 'naive', '--variant', 'optimized', '--mode', 'abba', '--rounds', '2', '--duration', '200ms', '--json'],
      { store, cwd: dir },
    )
    expect(abba.code, abba.stderr).toBe(0)
    expect((JSON.parse(abba.stdout) as { mode: string }).mode).toBe('abba')
  }, 300_000)

  it('refuses hotpath ab on a broken workload file with its file and line, and on a variant it does not define', async () => {
    await writeFile(path.join(dir, 'bench', 'broken.bench.ts'), 'export default {\n  id: "broken",,\n}\n')
    const broken = await runCliProcess(['ab', './bench/broken.bench.ts', '--variant', 'naive', '--variant', 'optimized'], { store, cwd: dir })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/broken\.bench\.ts:2/)
    const variant = await runCliProcess(['ab', './bench/orders.bench.ts', '--variant', 'naive', '--variant', 'fast'], { store, cwd: dir })
    expect(variant.code).toBe(2)
    expect(variant.stderr).toMatch(/unknown variant "fast".*naive, optimized/)
  }, 120_000)
})
