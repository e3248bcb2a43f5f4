/**
 * The workload-file API, exported by the package as `hotpath/workload`:
 *
 *   // bench/orders.bench.ts
 *   import { defineWorkload } from 'hotpath/workload'
 *   export default defineWorkload({
 *     id: 'orders', title: 'Order totals',
 *     params: { orders: { type: 'int', default: 10_000, min: 1, max: 1_000_000, description: 'orders per batch' } },
 *     variants: { naive: totalsNaive, optimized: totalsFast },
 *     setup: ({ params, seed }) => makeOrders(params.orders, seed),
 *     run: (totals, orders) => totals(orders),
 *     checksum: (totals, orders) => totals(orders),
 *   })
 *
 * `hotpath run ./bench/orders.bench.ts --variant optimized` then measures `run` like a built-in workload,
 * with the same parameter validation and every capture. This module is loaded by the user's file: it
 * imports nothing at run time, so it works from any project that depends on hotpath. The definition is
 * checked (ids, variants, parameter specs) when the harness loads the file (harness/file-workload.ts).
 */

/** A parameter of a workload file, as in the built-in descriptors (core/model/workload.ts). */
export type WorkloadParamSpec =
  | { type: 'int'; description: string; default: number; min: number; max: number; unit?: string }
  | { type: 'number'; description: string; default: number; min: number; max: number; unit?: string }
  | { type: 'enum'; description: string; default: string; values: readonly string[] }
  | { type: 'boolean'; description: string; default: boolean }

/** The typed values `setup`, `run` and `checksum` receive for a parameter table. */
export type ParamValuesOf<P extends Record<string, WorkloadParamSpec>> = {
  [K in keyof P]: P[K]['type'] extends 'int' | 'number' ? number : P[K]['type'] extends 'boolean' ? boolean : string
}

export interface WorkloadFileContext<P extends Record<string, WorkloadParamSpec>> {
  /** The variant being measured (a key of `variants`). */
  variant: string
  /** Parameters, validated against `params` with defaults filled in. */
  params: ParamValuesOf<P>
  /** Seed for the data generator (`--seed`, default 42): the same seed should give the same data. */
  seed: number
}

/** A variant: an implementation passed to `run`, with an optional title, description and role. */
export interface VariantDetails<F> {
  impl: F
  title?: string
  description?: string
  /** Its role in a before/after comparison; default from its name (naive, optimized, leaky, else alternative). */
  role?: 'naive' | 'optimized' | 'leaky' | 'alternative'
}

export interface WorkloadFileDefinition<P extends Record<string, WorkloadParamSpec>, F, S> {
  /** Lower-case id (letters, digits, dashes), shown in `hotpath list` and used for trends and baselines. */
  id: string
  title: string
  description?: string
  /** What one call of `run` is, e.g. "one batch of 10,000 orders". Latency is reported per operation. */
  operation?: string
  params?: P
  /**
   * Rules between numeric parameters that their ranges cannot say, checked before a run starts (the Launch
   * form, the engine): each side is the product of parameter names and numbers, e.g.
   * `{ left: ['exitZ'], op: '<', right: ['entryZ'] }`. Names must be int or number parameters.
   */
  rules?: readonly { left: readonly (Extract<keyof P, string> | number)[]; op: '<' | '<=' | '>' | '>='; right: readonly (Extract<keyof P, string> | number)[]; reason?: string }[]
  /** At least two implementations of the same thing (a "before" and an "after"). The first is the default. */
  variants: Record<string, F | VariantDetails<F>>
  /** Builds the input once per process, outside the measured window. */
  setup?: (ctx: WorkloadFileContext<P>) => S | Promise<S>
  /** One measured operation (or `opsPerIteration` of them): calls the variant's implementation on the input. */
  run: (impl: F, state: S, ctx: WorkloadFileContext<P>) => unknown
  /**
   * The answer for the input, computed outside the measured window; it must be equal across variants (plain
   * JSON data, floats rounded). Hashed into the run's checksum so a wrong "optimization" is caught.
   */
  checksum?: (impl: F, state: S, ctx: WorkloadFileContext<P>) => unknown
  /** Releases what `setup` opened (servers, workers). */
  teardown?: (state: S, ctx: WorkloadFileContext<P>) => void | Promise<void>
  /** Operations one `run` call performs (default 1): batch sub-microsecond operations for timer resolution. */
  opsPerIteration?: number
}

/** The brand the harness recognises a definition by (a string key: it survives copies across module instances). */
export const WORKLOAD_FILE_BRAND = '__hotpathWorkloadFile' as const

export type DefinedWorkload<P extends Record<string, WorkloadParamSpec> = Record<string, WorkloadParamSpec>, F = unknown, S = unknown> =
  WorkloadFileDefinition<P, F, S> & { readonly [WORKLOAD_FILE_BRAND]: 1 }

/** Declares a workload file; export the result (`export default defineWorkload({...})`). */
export function defineWorkload<F, S = undefined, P extends Record<string, WorkloadParamSpec> = Record<never, WorkloadParamSpec>>(
  definition: WorkloadFileDefinition<P, F, S>,
): DefinedWorkload<P, F, S> {
  return { ...definition, [WORKLOAD_FILE_BRAND]: 1 }
}
