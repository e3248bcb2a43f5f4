/**
 * The harness self-test workload: a small arithmetic loop with injectable faults (throw, exit, abort,
 * hang, out-of-memory, slow start). Registered only when HOTPATH_SELFTEST=1, for the integration tests
 * of the launcher and executor; it never shows in `hotpath workloads`.
 */
import type { WorkloadDescriptor } from '../../core/model/workload.js'
import { intParam, stringParam, type WorkloadModule } from '../types.js'

const descriptor: WorkloadDescriptor = {
  id: 'selftest',
  title: 'Harness self-test',
  description: 'Sums a seeded arithmetic series; can fail on purpose to test failure handling.',
  operation: 'one pass over the series',
  variants: [
    { id: 'loop', title: 'Loop', description: 'A plain for loop.', role: 'naive' },
    { id: 'closed-form', title: 'Closed form', description: 'The arithmetic-series formula.', role: 'optimized' },
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
  },
  figureToBeat: 'none (test workload)',
}

/** Retained across iterations by the "leak" fault, so heap snapshots show a growing class. */
class SelftestLeak {
  constructor(
    readonly index: number,
    readonly payload: number[],
  ) {}
}
const leaked: SelftestLeak[] = []

function sumLoop(n: number, seed: number): number {
  let s = 0
  for (let i = 0; i < n; i++) s += (i + seed) % 1000
  return s
}

function sumClosedForm(n: number, seed: number): number {
  // Σ (i + seed) mod 1000 over i < n: whole cycles of 0..999 plus a partial run starting at seed mod 1000.
  const start = seed % 1000
  const cycles = Math.floor(n / 1000)
  let s = cycles * 499_500
  const rest = n % 1000
  for (let k = 0; k < rest; k++) s += (start + cycles * 1000 + k) % 1000
  return s
}

export const workload: WorkloadModule = {
  descriptor,
  create({ variant, params, seed }) {
    const n = intParam(params, 'n')
    const fault = stringParam(params, 'fault')
    const after = intParam(params, 'faultAfter')
    if (fault === 'throw-in-create') throw new Error('selftest: failure while creating the workload')
    const sum = variant === 'loop' ? sumLoop : sumClosedForm
    let iterations = 0
    let total = 0
    return {
      opsPerIteration: 1,
      iterate() {
        iterations++
        if (iterations > after) {
          if (fault === 'throw') throw new Error('selftest: planted exception')
          if (fault === 'exit') process.exit(7)
          if (fault === 'abort') process.abort()
          if (fault === 'hang') for (;;) total++
          if (fault === 'oom') {
            const hog: number[][] = []
            for (;;) hog.push(new Array(1_000_000).fill(iterations))
          }
        }
        if (fault === 'leak') leaked.push(new SelftestLeak(iterations, new Array(100).fill(iterations)))
        total += sum(n, seed)
      },
      answer: () => ({ sum: sum(n, seed) }),
    }
  },
}
