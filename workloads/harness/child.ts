/**
 * Entry point of the workload child process: receives its config over IPC, creates the workload,
 * measures it (capturing profiles when asked), reports progress and the result, and exits.
 * Started by profilers/launch.ts with `child_process.fork` and the chosen Node runtime.
 */
import path from 'node:path'
import v8 from 'node:v8'
import { digestAnswer } from '../data/digest.js'
import { getWorkloadModule } from '../registry.js'
import { ArtifactTooLargeError, type Capture, openCapture } from './capture.js'
import { measure } from './measure.js'
import { type ChildMessage, type ChildPhase, childConfigSchema, parentMessageSchema } from './protocol.js'

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
    else
      run(parsed.data.config).then(
        () => process.disconnect?.(),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err))
          send({ type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) })
          process.exitCode = 1
          process.disconnect?.()
        },
      )
  })
  send({ type: 'ready', node: process.versions.node, v8: process.versions.v8, pid: process.pid })
}

async function run(rawConfig: unknown): Promise<void> {
  const config = childConfigSchema.parse(rawConfig)
  const module = await getWorkloadModule(config.workload)
  if (!module) throw new Error(`unknown workload ${config.workload}`)
  const progress = (phase: ChildPhase, fraction: number, message?: string): void =>
    send({ type: 'progress', phase, fraction, opsDone: 0, opsPerSec: 0, heapUsedBytes: v8.getHeapStatistics().used_heap_size, ...(message ? { message } : {}) })

  progress('setup', 0)
  const instance = await module.create({ variant: config.variant, params: config.params, seed: config.seed })
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
  const snapshot = async (which: 'start' | 'end'): Promise<void> => {
    const file = `heap-${which}.heapsnapshot`
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
      artifact('heapsnapshot', file, `heap snapshot at the ${which} of the measured window`)
    })
  }

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
          if (wants.has('alloc')) {
            capture ??= openCapture()
            await guarded('allocation sampling', () => capture!.startAllocationSampling(config.allocSamplingBytes))
          }
          if (wants.has('cpu')) {
            capture ??= openCapture()
            await guarded('CPU profiler', () => capture!.startCpuProfile(config.samplingIntervalUs))
          }
        },
        afterMeasure: async () => {
          if (wants.has('cpu') && capture) {
            await guarded('CPU profile', async () => {
              await capture!.stopCpuProfile(path.join(config.outDir, 'cpu.cpuprofile'), config.maxArtifactBytes)
              artifact('cpuprofile', 'cpu.cpuprofile', 'V8 CPU profile of the measured window')
            })
          }
          if (wants.has('alloc') && capture) {
            await guarded('allocation profile', async () => {
              await capture!.stopAllocationSampling(path.join(config.outDir, 'alloc.heapprofile'), config.maxArtifactBytes)
              artifact('heapprofile', 'alloc.heapprofile', 'sampling heap profile of the measured window')
            })
          }
          if (wants.has('heap') && config.heapSnapshots.includes('end')) await snapshot('end')
        },
      },
    )
    let checksum: string | undefined
    if (config.computeChecksum && !result.stoppedEarly) {
      progress('checksum', 0)
      checksum = digestAnswer(await instance.answer())
    }
    send({ type: 'result', metrics: result.metrics, histogram: result.histogram, samplesNs: result.samplesNs, stoppedEarly: result.stoppedEarly, ...(checksum ? { checksum } : {}) })
  } finally {
    capture?.close()
    await instance.close?.()
  }
}

main()
