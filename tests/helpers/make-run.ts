/**
 * Builds valid RunRecords for tests: realistic defaults that pass runRecordSchema, overridable per field.
 */
import type { EnvironmentSnapshot } from '../../core/model/environment.js'
import { type RunRecord, makeRunId } from '../../core/model/run.js'
import { createRunRecord } from '../../core/model/run-record.js'

export const testEnvironment: EnvironmentSnapshot = {
  capturedAt: '2026-11-23T07:00:00.000Z',
  os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1.0', arch: 'x64', hostname: 'build-host-7' },
  cpu: { brand: 'AMD EPYC 7B13', manufacturer: 'AMD', cores: 2, physicalCores: 2, speedGHz: 2.45 },
  memory: { totalBytes: 24 * 1024 ** 3, freeBytes: 20 * 1024 ** 3 },
  runtime: { node: '20.20.2', v8: '11.3.244.8-node.33', execPath: '/usr/local/bin/node', name: 'node' },
  machine: { virtual: true, hypervisor: 'KVM', serial: 'SN-123456', uuid: '3d1219c7-c4c5-404a-aa1f-6d2a48adfda4' },
  network: [{ iface: 'eth0', mac: '02:fc:00:00:00:01', ip4: '192.0.2.2', ip6: 'fd00::2' }],
  user: { name: 'alice', home: '/home/alice' },
  loadAvg: [0.1, 0.2, 0.3],
  power: { hasBattery: false },
  redacted: false,
}

let counter = 0

/** A successful run of `workload` with latency samples drawn around `meanNs` (deterministic). */
export function makeRun(overrides: Partial<RunRecord> & { meanNs?: number; at?: Date } = {}): RunRecord {
  const { meanNs = 1000, at = new Date(Date.UTC(2026, 10, 23, 7, 0, 0, counter++)), ...rest } = overrides
  const samples = Array.from({ length: 200 }, (_, i) => Math.round(meanNs * (1 + 0.02 * Math.sin(i * 1.7))))
  const workload = rest.workload ?? { id: 'orderbook', variant: 'naive', params: { levels: 500 }, seed: 42 }
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  return createRunRecord({
    id: makeRunId(at, `${workload.id}-${workload.variant}`, (counter * 7919).toString(36)),
    kind: 'workload',
    createdAt: at.toISOString(),
    finishedAt: at.toISOString(),
    label: `${workload.id} ${workload.variant}`,
    tags: [],
    notes: '',
    workload,
    measure: { durationMs: 1000, timeoutMs: 60_000 },
    capture: { profile: [], samplingIntervalUs: 1000, heapSnapshots: [], timingPass: true },
    runtime: { path: '/usr/local/bin/node', node: '20.20.2', v8: '11.3.244.8-node.33' },
    status: 'ok',
    exit: { code: 0, signal: null },
    stderrTail: '',
    wallMs: 1500,
    checksum: '0123456789abcdef',
    env: testEnvironment,
    metrics: {
      opsPerSec: 1e9 / mean,
      iterations: samples.length,
      operations: samples.length,
      opsPerIteration: 1,
      batched: false,
      measuredMs: (mean * samples.length) / 1e6,
      warmupIterations: 10,
      latencyNs: { mean, stddev: mean * 0.014, min: Math.min(...samples), p50: mean, p90: mean * 1.02, p95: mean * 1.02, p99: mean * 1.02, p999: mean * 1.02, max: Math.max(...samples) },
      outliers: { low: 0, high: 0 },
      gc: { count: 3, pauseMs: 1.5, major: 0, minor: 3 },
      peakRssBytes: 80 * 1024 ** 2,
      peakHeapUsedBytes: 20 * 1024 ** 2,
      cpu: { userMs: 900, systemMs: 50 },
      eventLoopUtilization: 1,
    },
    samplesNs: samples,
    timeline: [],
    warnings: [],
    artifacts: [],
    ...rest,
  })
}
