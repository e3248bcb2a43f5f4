/**
 * The harness self-test workload: a small arithmetic loop with injectable faults (throw, exit, abort,
 * hang, out-of-memory, slow start). Registered only when HOTPATH_SELFTEST=1, for the integration tests
 * of the launcher and executor; it never shows in `hotpath workloads`.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { performance } from 'node:perf_hooks'
import { intParam, numberParam, stringParam, type WorkloadModule } from '../types.js'

const descriptor: WorkloadDescriptor = {
  id: 'selftest',
  title: 'Harness self-test',
  description: 'Sums a seeded arithmetic series; can fail on purpose to test failure handling.',
  operation: 'one pass over the series',
  variants: [
    { id: 'loop', title: 'Loop', description: 'A plain for loop.', role: 'naive' },
    { id: 'closed-form', title: 'Closed form', description: 'The arithmetic-series formula.', role: 'optimized' },
    {
      id: 'stall',
      title: 'Loop with planted stalls',
      description: 'The loop, plus a busy stall of stallMs every stallEveryMs of wall time (for the open-loop tests).',
      role: 'alternative',
    },
  ],
  defaultVariant: 'loop',
  params: {
    n: { type: 'int', description: 'series length', default: 10_000, min: 1, max: 100_000_000 },
    fault: {
      type: 'enum',
      description: 'what goes wrong',
      default: 'none',
      values: ['none', 'throw', 'exit', 'abort', 'hang', 'oom', 'throw-in-create', 'leak'],
    },
    faultAfter: { type: 'int', description: 'iterations before the fault', default: 5, min: 0, max: 1_000_000 },
    stallMs: { type: 'number', description: 'length of each planted stall (stall variant)', default: 5, min: 0, max: 10_000, unit: 'ms' },
    stallEveryMs: { type: 'number', description: 'wall time between planted stalls (stall variant)', default: 100, min: 1, max: 600_000, unit: 'ms' },
  },
  figureToBeat: 'none (test workload)',
  unit: 'passes',
  openLoop: { request: 'one pass over the series' },
}

/** Retained across iterations by the "leak" fault, so heap snapshots show a growing class. */
class SelftestLeak {
  constructor(
    readonly index: number,
    readonly payload: number[],
  ) {}
}
const leaked: SelftestLeak[] = []

/** Where iterations put their result, exported so the engine cannot treat the work as dead code. */
export let selftestSink = 0

/** A prime modulus: for most n the sum depends on the seed (with 1000 and n = 10,000 it would not). */
const M = 997

function sumLoop(n: number, seed: number): number {
  let s = 0
  for (let i = 0; i < n; i++) s += (i + seed) % M
  return s
}

function sumClosedForm(n: number, seed: number): number {
  // Σ (i + seed) mod M over i < n: whole cycles of 0..M-1, plus a partial run starting at (seed + cycles·M) mod M.
  const cycles = Math.floor(n / M)
  let s = (cycles * (M * (M - 1))) / 2
  const start = seed % M
  for (let k = 0; k < n % M; k++) s += (start + k) % M
  return s
}

export const workload: WorkloadModule = {
  descriptor,
  create({ variant, params, seed }) {
    const n = intParam(params, 'n')
    const fault = stringParam(params, 'fault')
    const after = intParam(params, 'faultAfter')
    if (fault === 'throw-in-create') throw new Error('selftest: failure while creating the workload')
    const sum = variant === 'closed-form' ? sumClosedForm : sumLoop
    const stallMs = variant === 'stall' ? numberParam(params, 'stallMs') : 0
    const stallEveryMs = numberParam(params, 'stallEveryMs')
    let nextStallAt = performance.now() + stallEveryMs
    let iterations = 0
    return {
      opsPerIteration: 1,
      iterate() {
        iterations++
        if (iterations > after) {
          if (fault === 'throw') throw new Error('selftest: planted exception')
          if (fault === 'exit') process.exit(7)
          if (fault === 'abort') process.abort()
          if (fault === 'hang') for (;;) selftestSink++
          if (fault === 'oom') {
            const hog: number[][] = []
            for (;;) hog.push(new Array(1_000_000).fill(iterations))
          }
        }
        if (stallMs > 0) {
          const now = performance.now()
          if (now >= nextStallAt) {
            // A busy stall (a GC pause or a lock in real code): nothing else runs meanwhile.
            while (performance.now() - now < stallMs) selftestSink++
            nextStallAt = now + stallEveryMs
          }
        }
        if (fault === 'leak') leaked.push(new SelftestLeak(iterations, new Array(100).fill(iterations)))
        selftestSink += sum(n, seed)
      },
      answer: () => ({ sum: sum(n, seed) }),
    }
  },
}
