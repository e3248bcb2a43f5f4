/**
 * The contract between a workload and the harness that times it inside the child process.
 * Each workload folder exports one `WorkloadModule` from its index.ts.
 */
import type { ParamValues, WorkloadDescriptor } from '../core/model/workload.js'
import type { ComponentRecorder } from './harness/components.js'

export interface WorkloadContext {
  /** A variant id from the descriptor. */
  variant: string
  /** Parameters already validated against the descriptor, defaults filled in. */
  params: ParamValues
  /** Seed of the data generator: the same seed gives the same data and the same answer. */
  seed: number
  /** Where stages listed in the descriptor's `components` record their timings (inactive outside the measured window). */
  components?: ComponentRecorder
}

export interface WorkloadInstance {
  /**
   * Operations performed by one `iterate()` call (>= 1). Per-operation latency is the iteration's
   * time divided by this. Workloads whose operation takes well under a microsecond batch
   * operations here so that timer resolution does not dominate (the run then says it was batched).
   */
  readonly opsPerIteration: number
  /** Domain units (the descriptor's `unit`) per operation, when not 1: symbols per collection, bytes per message. */
  readonly unitsPerOperation?: number
  /** Performs `opsPerIteration` operations on the seeded data, cycling through it as needed. */
  iterate(): void | Promise<void>
  /**
   * The answer for the seeded input, computed afresh (independent of how many iterations ran).
   * Must be identical across variants of the workload: it is hashed into the run's checksum and
   * compared by the tests. Plain JSON data; floats rounded where summation order differs.
   */
  answer(): unknown | Promise<unknown>
  /** Releases threads, servers and sockets. */
  close?(): void | Promise<void>
}

export interface WorkloadModule {
  descriptor: WorkloadDescriptor
  create(ctx: WorkloadContext): WorkloadInstance | Promise<WorkloadInstance>
}

/** Reads a typed parameter; the descriptor has validated it already, so a wrong type is a bug. */
export function intParam(params: ParamValues, name: string): number {
  const v = params[name]
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`parameter ${name} is not an integer: ${String(v)}`)
  return v
}
export function numberParam(params: ParamValues, name: string): number {
  const v = params[name]
  if (typeof v !== 'number') throw new Error(`parameter ${name} is not a number: ${String(v)}`)
  return v
}
export function stringParam(params: ParamValues, name: string): string {
  const v = params[name]
  if (typeof v !== 'string') throw new Error(`parameter ${name} is not a string: ${String(v)}`)
  return v
}
export function boolParam(params: ParamValues, name: string): boolean {
  const v = params[name]
  if (typeof v !== 'boolean') throw new Error(`parameter ${name} is not a boolean: ${String(v)}`)
  return v
}
