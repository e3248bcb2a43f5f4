/**
 * Entry point of the workload child process: receives its config over IPC, creates the workload,
 * measures it (capturing profiles when asked), reports progress and the result, and exits.
 * Started by profilers/launch.ts with `child_process.fork` and the chosen Node runtime.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import { digestAnswer } from '../data/digest.js'
import { getWorkloadModule } from '../registry.js'
import { describeFileError, loadWorkloadFile } from './file-workload.js'
import type { WorkloadInstance } from '../types.js'
import { ArtifactTooLargeError, type Capture, openCapture } from './capture.js'
import { measure } from './measure.js'
import { measurePaired } from './paired.js'
import { createComponentCollector } from './components.js'
import { LEAK_START_SNAPSHOT, failedLeakChecks, removeStartSnapshot } from './leak-check.js'
import { type ChildMessage, type ChildPhase, childConfigSchema, parentMessageSchema } from './protocol.js'
import { RUN_FILES, heapSnapshotFile } from '../../core/model/run-layout.js'
import { maxOldSpaceSizeOf } from '../../core/model/heap-limit.js'
import type { HeapLimit } from '../../core/model/run.js'
import { recordGcMarks } from './gc-marks.js'

let stopRequested = false

function send(message: ChildMessage): void {
  if (process.send) process.send(message)
}

function main(): void {
  if (!process.send) {
    // Standalone mode: under 0x (which spawns its own node with no IPC channel) the config comes from
    // the environment and progress is not reported; the flamegraph is the only output.
    const fromEnv = process.env.HOTPATH_CHILD_CONFIG
    if (!fromEnv) {
      process.stderr.write('hotpath: this is the workload child; it is started by `hotpath run`, not by hand.\n')
      process.exit(2)
    }
    process.on('SIGTERM', () => {
      stopRequested = true
    })
    run(JSON.parse(fromEnv)).catch((err: unknown) => {
      process.stderr.write(`hotpath: ${(err as Error)?.stack ?? String(err)}\n`)
      process.exitCode = 1
    })
    return
  }
  process.on('SIGTERM', () => {
    // Cancel: stop at the next iteration boundary, flush what was captured, then exit.
    stopRequested = true
  })
  // The parent is gone (killed with -9): stop too, rather than measure for nobody.
  process.on('disconnect', () => {
    stopRequested = true
  })
  process.on('message', (raw: unknown) => {
    const parsed = parentMessageSchema.safeParse(raw)
    if (!parsed.success) {
      send({ type: 'error', message: `bad message from parent: ${parsed.error.message}` })
      return
    }
    if (parsed.data.type === 'stop') stopRequested = true
    else {
      // Every GC from here on, for the marks on the run's timeline; the last batch goes before the disconnect.
      const gcMarks = recordGcMarks(send)
      run(parsed.data.config).then(
        () => {
          gcMarks.stop()
          process.disconnect?.()
        },
        (err: unknown) => {
          gcMarks.stop()
          // A workload file's errors name the file and line ("bench/x.bench.ts:12:5: run() threw: ...").
          const file = (parsed.data as { config?: { workloadFile?: string } }).config?.workloadFile
          const original = err instanceof Error ? err : new Error(String(err))
          const e = file ? describeFileError(err, file) : original
          send({ type: 'error', message: e.message, ...(original.stack ? { stack: original.stack } : {}) })
          process.exitCode = 1
          process.disconnect?.()
        },
      )
    }
  })
  send({ type: 'ready', node: process.versions.node, v8: process.versions.v8, pid: process.pid, heapLimit: heapLimit() })
}

/** This process's V8 heap limit, and the --max-old-space-size (Node flags or NODE_OPTIONS) that set it. */
function heapLimit(): HeapLimit {
  const flag = maxOldSpaceSizeOf(process.execArgv, process.env.NODE_OPTIONS)
  return { bytes: v8.getHeapStatistics().heap_size_limit, ...(flag ? { maxOldSpaceSizeMb: flag.mb, from: flag.from } : {}) }
}

async function run(rawConfig: unknown): Promise<void> {
  const config = childConfigSchema.parse(rawConfig)
  const module = config.workloadFile ? await loadWorkloadFile(config.workloadFile) : await getWorkloadModule(config.workload)
  if (!module) throw new Error(`unknown workload ${config.workload}`)
  const progress = (phase: ChildPhase, fraction: number, message?: string): void =>
    send({ type: 'progress', phase, fraction, opsDone: 0, opsPerSec: 0, heapUsedBytes: v8.getHeapStatistics().used_heap_size, ...(message ? { message } : {}) })

  progress('setup', 0)
  if (config.pair) {
    const pair = config.pair
    const createA = async (): Promise<WorkloadInstance> => module.create({ variant: config.variant, params: config.params, seed: config.seed })
    const createB = async (): Promise<WorkloadInstance> => module.create({ variant: pair.variant, params: pair.params, seed: config.seed })
    let a: WorkloadInstance
    let b: WorkloadInstance
    if (pair.createFirst === 'B') {
      b = await createB()
      a = await createA()
    } else {
      a = await createA()
      b = await createB()
    }
    await runPaired(config, a, b)
    return
  }
  const components = config.components ? createComponentCollector() : undefined
  const instance = await module.create({ variant: config.variant, params: config.params, seed: config.seed, ...(components ? { components } : {}) })
  const wants = new Set(config.profile)
  const profiling = wants.has('cpu') || wants.has('alloc') || wants.has('heap')
  let capture: Capture | undefined
  const artifact = (kind: 'cpuprofile' | 'heapsnapshot' | 'heapprofile', file: string, label: string): void =>
    send({ type: 'artifact', kind, file, label })
  const guarded = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn()
    } catch (err) {
      if (err instanceof ArtifactTooLargeError) send({ type: 'warning', kind: 'artifact-too-large', message: err.message })
      else send({ type: 'warning', kind: 'capture-failed', message: `${what} failed: ${(err as Error).message}` })
    }
  }
  const snapshot = async (which: 'start' | 'end', announce = true, purpose: 'heap' | 'leak' = 'heap'): Promise<void> => {
    const file = purpose === 'leak' ? (which === 'start' ? RUN_FILES.leakStart : RUN_FILES.leakEnd) : heapSnapshotFile(which)
    await guarded(`heap snapshot (${which})`, async () => {
      capture ??= openCapture()
      let lastSent = 0
      // Snapshots run about as large as the used heap: a fair estimate for a progress fraction.
      const estimate = Math.max(1, v8.getHeapStatistics().used_heap_size)
      progress('snapshot', 0, `generating ${file}`)
      await capture.writeHeapSnapshot(path.join(config.outDir, file), config.maxArtifactBytes, (written) => {
        const now = Date.now()
        if (now - lastSent > 100) {
          lastSent = now
          progress('snapshot', Math.min(0.95, written / estimate), `writing ${file}: ${(written / 1048576).toFixed(1)} MB`)
        }
      })
      if (announce) artifact('heapsnapshot', file, `heap snapshot at the ${which} of the measured window`)
    })
  }

  let leakStart = false
  try {
    const phase: ChildPhase = profiling ? 'profiling' : 'timing'
    const result = await measure(
      instance,
      {
        warmupIterations: config.warmupIterations,
        warmupMs: config.warmupMs,
        iterations: config.iterations,
        durationMs: config.durationMs,
        maxSamples: config.maxSamples,
        openLoop: config.openLoop ? { ...config.openLoop, seed: config.seed } : undefined,
        soakEveryMs: config.soakEveryMs,
        components,
      },
      {
        shouldStop: () => stopRequested,
        onProgress: (p) =>
          send({
            type: 'progress',
            phase: p.phase === 'warmup' ? 'warmup' : phase,
            fraction: p.fraction,
            opsDone: p.opsDone,
            opsPerSec: p.opsPerSec,
            heapUsedBytes: p.heapUsedBytes,
            ...(p.p99Ns !== undefined ? { p99Ns: p.p99Ns } : {}),
            ...(p.eventLoopDelayMs !== undefined ? { eventLoopDelayMs: p.eventLoopDelayMs } : {}),
          }),
        beforeMeasure: async () => {
          if (config.heapSnapshots.includes('start') && wants.has('heap')) await snapshot('start')
          else if (config.leakCheck?.length) {
            leakStart = true
            await snapshot('start', false, 'leak')
          }
          if (wants.has('alloc')) {
            capture ??= openCapture()
            await guarded('allocation sampling', () => capture!.startAllocationSampling(config.allocSamplingBytes))
          }
          if (wants.has('cpu')) {
            capture ??= openCapture()
            await guarded('CPU profiler', () => capture!.startCpuProfile(config.samplingIntervalUs))
            // Tags the run's timeline from the profiler's start, so the profile can be placed on it (core/analysis/time-range.ts).
            progress(phase, 0)
          }
        },
        afterMeasure: async () => {
          if (wants.has('cpu') && capture) {
            await guarded('CPU profile', async () => {
              await capture!.stopCpuProfile(path.join(config.outDir, config.cpuProfileFile), config.maxArtifactBytes)
              artifact('cpuprofile', config.cpuProfileFile, 'V8 CPU profile of the measured window')
            })
          }
          if (wants.has('alloc') && capture) {
            await guarded('allocation profile', async () => {
              await capture!.stopAllocationSampling(path.join(config.outDir, RUN_FILES.allocProfile), config.maxArtifactBytes)
              artifact('heapprofile', RUN_FILES.allocProfile, 'sampling heap profile of the measured window')
            })
          }
          if (wants.has('heap') && config.heapSnapshots.includes('end')) await snapshot('end')
        },
      },
    )
    // A failed leak check keeps the start snapshot and adds one at the end; a passed one drops the start.
    if (leakStart && result.soak) {
      if (failedLeakChecks(config.leakCheck ?? [], result.soak).length > 0) {
        if (existsSync(path.join(config.outDir, LEAK_START_SNAPSHOT))) artifact('heapsnapshot', LEAK_START_SNAPSHOT, 'heap snapshot at the start of the soak, kept because a leak assertion failed')
        await snapshot('end', true, 'leak')
      } else await removeStartSnapshot(config.outDir)
    }
    let checksum: string | undefined
    if (config.computeChecksum && !result.stoppedEarly) {
      progress('checksum', 0)
      // A workload file without a checksum() answers undefined: no checksum rather than a meaningless one.
      const answer = await instance.answer()
      if (answer !== undefined) checksum = digestAnswer(answer)
    }
    const componentTimings = components?.summarize()
    send({
      type: 'result',
      metrics: result.metrics,
      histogram: result.histogram,
      samplesNs: result.samplesNs,
      stoppedEarly: result.stoppedEarly,
      ...(checksum ? { checksum } : {}),
      ...(result.load ? { load: result.load } : {}),
      ...(result.soak ? { soak: result.soak } : {}),
      ...(componentTimings?.length ? { components: componentTimings } : {}),
      ...(instance.unitsPerOperation !== undefined ? { unitsPerOperation: instance.unitsPerOperation } : {}),
    })
  } finally {
    capture?.close()
    await instance.close?.()
  }
}

/** Paired mode: both instances measured alternately in this process (harness/paired.ts). */
async function runPaired(config: ReturnType<typeof childConfigSchema.parse>, a: WorkloadInstance, b: WorkloadInstance): Promise<void> {
  try {
    const result = await measurePaired(
      a,
      b,
      {
        warmupIterations: config.warmupIterations,
        warmupMs: config.warmupMs,
        iterations: config.iterations,
        durationMs: config.durationMs,
        maxSamples: config.maxSamples,
      },
      {
        shouldStop: () => stopRequested,
        onProgress: (p) =>
          send({ type: 'progress', phase: p.phase === 'warmup' ? 'warmup' : 'timing', fraction: p.fraction, opsDone: p.opsDone, opsPerSec: p.opsPerSec, heapUsedBytes: p.heapUsedBytes }),
      },
      config.seed,
    )
    let checksumA: string | undefined
    let checksumB: string | undefined
    if (config.computeChecksum && !result.a.stoppedEarly) {
      send({ type: 'progress', phase: 'checksum', fraction: 0, opsDone: 0, opsPerSec: 0, heapUsedBytes: v8.getHeapStatistics().used_heap_size })
      // As in a single-side run: a workload file without checksum() answers undefined, so no checksum.
      const [answerA, answerB] = [await a.answer(), await b.answer()]
      if (answerA !== undefined) checksumA = digestAnswer(answerA)
      if (answerB !== undefined) checksumB = digestAnswer(answerB)
    }
    send({
      type: 'result',
      metrics: result.a.metrics,
      histogram: result.a.histogram,
      samplesNs: result.a.samplesNs,
      stoppedEarly: result.a.stoppedEarly,
      ...(checksumA ? { checksum: checksumA } : {}),
      paired: {
        metrics: result.b.metrics,
        histogram: result.b.histogram,
        samplesNs: result.b.samplesNs,
        ...(checksumB ? { checksum: checksumB } : {}),
        pairedLogRatio: result.pairedLogRatio,
        pairs: result.pairs,
      },
    })
  } finally {
    await a.close?.()
    await b.close?.()
  }
}

main()
