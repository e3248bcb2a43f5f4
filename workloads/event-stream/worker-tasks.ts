/**
 * Task module of event-stream's worker threads: each worker is one symbol shard. `setup` receives the
 * shared stream once; `run` processes a plan of event ranges; `wholeStream` returns the shard's snapshot
 * of a fresh pass over every event.
 */
import type { WorkerTaskContext } from '../harness/worker-pool.js'
import { type EventStreamVariant, type PlanStep, createProcessor, runPlan, snapshotWholeStream } from './engine.js'
import type { EventStream } from './generate.js'
import type { StreamProcessor, StreamSnapshot } from './processor.js'

let processor: StreamProcessor | undefined
let events = 0

export const tasks = {
  setup(payload: { variant: EventStreamVariant; stream: EventStream }, ctx: WorkerTaskContext): void {
    processor = createProcessor(payload.variant, payload.stream, { index: ctx.index, count: ctx.size })
    events = payload.stream.events
  },
  run(steps: PlanStep[], _ctx: WorkerTaskContext): void {
    if (!processor) throw new Error('event-stream worker: run before setup')
    runPlan(processor, steps)
  },
  wholeStream(_payload: undefined, _ctx: WorkerTaskContext): StreamSnapshot {
    if (!processor) throw new Error('event-stream worker: wholeStream before setup')
    return snapshotWholeStream(processor, events)
  },
}
