/**
 * Creates the variant's processor for one shard and drives it through a plan of event ranges: what the
 * calling thread (workers = 1) and each worker thread (workers > 1) execute.
 */
import type { EventStream } from './generate.js'
import { createNaiveProcessor } from './naive.js'
import { createColumnarProcessor } from './optimized.js'
import type { Shard, StreamProcessor, StreamSnapshot } from './processor.js'
import type { ComponentRecorder } from '../harness/components.js'

export const EVENT_STREAM_VARIANTS = ['naive', 'optimized'] as const
export type EventStreamVariant = (typeof EVENT_STREAM_VARIANTS)[number]

export function isEventStreamVariant(v: string): v is EventStreamVariant {
  return (EVENT_STREAM_VARIANTS as readonly string[]).includes(v)
}

/** A range of events to process, then optionally a reset (the stream wrapped around). */
export interface PlanStep {
  from: number
  to: number
  resetAfter: boolean
}

export function createProcessor(variant: EventStreamVariant, stream: EventStream, shard: Shard, components?: ComponentRecorder): StreamProcessor {
  return variant === 'naive' ? createNaiveProcessor(stream, shard, components) : createColumnarProcessor(stream, shard, components)
}

export function runPlan(processor: StreamProcessor, steps: readonly PlanStep[]): void {
  for (const step of steps) {
    processor.process(step.from, step.to)
    if (step.resetAfter) processor.reset()
  }
}

/** The whole stream from a fresh state; leaves the processor reset. */
export function snapshotWholeStream(processor: StreamProcessor, events: number): StreamSnapshot {
  processor.reset()
  processor.process(0, events)
  const snapshot = processor.snapshot()
  processor.reset()
  return snapshot
}

/**
 * The steps of the next `batch` events from `cursor`, wrapping to the start (with a reset, since the
 * sequence numbers start again) when the stream ends. Returns the steps and the new cursor.
 */
export function planBatch(cursor: number, batch: number, events: number): { steps: PlanStep[]; cursor: number } {
  const steps: PlanStep[] = []
  let remaining = batch
  let at = cursor
  while (remaining > 0) {
    const n = Math.min(remaining, events - at)
    const to = at + n
    steps.push({ from: at, to, resetAfter: to === events })
    remaining -= n
    at = to === events ? 0 : to
  }
  return { steps, cursor: at }
}
