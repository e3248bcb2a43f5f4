/**
 * Parameter sweeps as data: the axes (a parameter and its values), their cartesian product in the order
 * given, the labels and group id of the runs, and which parameters mean parallelism (where speedup over
 * ideal linear scaling says something). The service runs sweeps (service/sweep.ts) for the CLI's
 * `hotpath sweep` and the Launch form alike; the form and the Sweep view read the same rules from here.
 */
import { z } from 'zod'
import type { ParamValue } from './workload.js'

/** One swept parameter and its values, in the order they run. */
export const sweepAxisSchema = z
  .object({
    param: z.string().min(1).max(100),
    values: z.array(z.union([z.number(), z.string().max(200), z.boolean()])).min(1).max(200),
  })
  .strict()
export type SweepAxis = z.infer<typeof sweepAxisSchema>

/** The most runs one sweep makes. */
export const MAX_SWEEP_RUNS = 200

/** One run's parameter values in a sweep. */
export type SweepSet = Record<string, ParamValue>

export type SweepExpansion = { ok: true; swept: string[]; sets: SweepSet[] } | { ok: false; message: string }

/**
 * The cartesian product of the axes, the first axis varying slowest ("workers 1,2 × pairs 4,8" gives
 * 1/4, 1/8, 2/4, 2/8). Axes with one value set that parameter in every run; at least one axis must have
 * several values, and the product at most MAX_SWEEP_RUNS runs.
 */
export function expandSweep(axes: readonly SweepAxis[]): SweepExpansion {
  const names = axes.map((a) => a.param)
  const repeated = names.find((n, i) => names.indexOf(n) !== i)
  if (repeated !== undefined) return { ok: false, message: `parameter ${repeated} is swept twice: give its values once, e.g. ${repeated}=1,2,4` }
  const empty = axes.find((a) => a.values.length === 0)
  if (empty) return { ok: false, message: `parameter ${empty.param} has no values` }
  const swept = axes.filter((a) => new Set(a.values).size > 1).map((a) => a.param)
  if (swept.length === 0) return { ok: false, message: 'a sweep needs at least one parameter with several values, e.g. workers=1,2,4' }
  const count = axes.reduce((n, a) => n * a.values.length, 1)
  if (count > MAX_SWEEP_RUNS) return { ok: false, message: `the sweep would make ${count} runs; at most ${MAX_SWEEP_RUNS}` }
  let sets: SweepSet[] = [{}]
  for (const axis of axes) sets = sets.flatMap((s) => axis.values.map((v) => ({ ...s, [axis.param]: v })))
  return { ok: true, swept, sets }
}

/**
 * The values of a sweep as typed in a form field: "1, 2, 4" gives ["1", "2", "4"]; a text without a comma
 * is one value (returned as is, so it is checked like any single value).
 */
export function splitSweepValues(text: string): string[] {
  if (!text.includes(',')) return [text]
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/** "workers=2 pairs=8": what tells a sweep's runs apart, after the sweep's label. */
export function sweepSetLabel(set: SweepSet): string {
  return Object.entries(set)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ')
}

/** "sweep-20261204T175123-6a2b": the group a sweep's runs are saved under (time, then 4 hex digits). */
export function sweepGroupId(now: Date, hex4: string): string {
  return `sweep-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${hex4}`
}

/**
 * Parameters that set how much runs in parallel. Scaling efficiency against ideal linear scaling means
 * something only for these; for a data size (symbols, levels, paths) a larger value is more work, not
 * more workers, and memory per value is shown instead.
 */
export const PARALLELISM_PARAMS: ReadonlySet<string> = new Set(['workers', 'threads', 'concurrency', 'parallel', 'parallelism'])

export function isParallelismParam(param: string): boolean {
  return PARALLELISM_PARAMS.has(param)
}
