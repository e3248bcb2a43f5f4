/** `hotpath run`: runs one workload variant as a child process, measures it, captures profiles, saves the run. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { RunRequest } from '../../core/api/schemas.js'
import { profileKindSchema, type RunRecord } from '../../core/model/run.js'
import { isParamProblem, parseParamValue, type WorkloadDescriptor } from '../../core/model/workload.js'
import { applyLoadFlags, assertionsFailed, describeAssertionLines, describeLoadLines, loadFlagOptions, loadUsage } from '../load-flags.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { formatInteger } from '../../core/format/number.js'
import { describeProfilerOverhead } from '../../core/export/phrases.js'
import { describePeakRss, peakRssOf } from '../../core/analysis/peak-rss.js'
import { describeHeapLimit } from '../../core/model/heap-limit.js'
import { type WorkbenchService, serviceFor } from '../service.js'
import { type ParsedFlags, createProgressBar, parseBytes, formatCount, formatBytes, formatNs, parseDurationMs, parseFlags, parsePositiveInt, printJson } from '../shared.js'
import { DEFAULT_SAMPLING_INTERVAL_US } from '../../core/model/run-layout.js'
import { onFlagOptions, onFlagUsage, runCommandOnTargets } from '../remote-shared.js'

export const runUsage = `Usage: hotpath run <workload> [options]

Runs a built-in workload, or a workload file (./bench/orders.bench.ts, written with defineWorkload from
'hotpath/workload'; TypeScript runs without a build step), in a child process: warm-up, then a measured window; saves the run to the store.

Options:
  --variant V              variant to run (default: the workload's naive variant)
  --param k=v              set a parameter (repeatable); see \`hotpath workloads\`
  --seed N                 data generator seed (default 42): the same seed gives the same answer
  --iterations N           measure N iterations            } one of these;
  --duration 5s            measure for a duration          } default --duration 3s
  --warmup N | 500ms       warm-up iterations (a number) or time (with a unit); default 500ms
  --profile LIST           capture cpu,heap,alloc (comma-separated): a second, profiled pass runs after the
                           timing pass, and the profiler overhead is recorded
  --no-timing-pass         with --profile: skip the unprofiled timing pass
  --sampling-interval US   CPU profile sampling interval in µs (default ${DEFAULT_SAMPLING_INTERVAL_US})
  --heap-snapshots WHEN    end (default) or start,end: when to take heap snapshots (with --profile heap)
  --label L, --tag T       label and tags (repeatable) for the library
  --meta key=value         recorded with the run's provenance (repeatable), beside the git commit and branch
  --repeat N               measure N fresh child processes (each with its own warm-up) and save one run
                           holding each process's metrics and their aggregate; intervals in compare then
                           rest on the spread between processes (default 1; with --profile cpu, one
                           profile per process: cpu-1.cpuprofile, …)
  --timeout 60s            kill the workload after this long (default 10m)
  --runtime PATH           Node binary (>= 18) to run the workload with (default: the one running hotpath)
  --max-old-space-size MB  V8 heap limit for the child (to reproduce out-of-memory)
  --max-artifact-size 2GB  largest profile or snapshot a run may write (default 2GB); larger ones are
                           dropped with a warning saying so
${loadUsage}
${onFlagUsage}
  --store DIR              run store folder (default: HOTPATH_HOME or the app-data folder)
  --no-redact              keep host, user, home path, machine id, MAC and IP addresses in the saved run
                           (redacted by default; a salted machine fingerprint always groups runs)
  --json                   print the run record as one JSON document on stdout

Exit codes: 0 ok, 1 an --assert failed (the run is saved), 2 bad usage, 3 the workload failed, timed out or was cancelled.`

export const runFlagOptions = {
  variant: { type: 'string' },
  param: { type: 'string', multiple: true },
  seed: { type: 'string' },
  iterations: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  profile: { type: 'string' },
  'no-timing-pass': { type: 'boolean' },
  'sampling-interval': { type: 'string' },
  'heap-snapshots': { type: 'string' },
  label: { type: 'string' },
  tag: { type: 'string', multiple: true },
  meta: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  repeat: { type: 'string' },
  runtime: { type: 'string' },
  'max-old-space-size': { type: 'string' },
  'max-artifact-size': { type: 'string' },
  store: { type: 'string' },
  'no-redact': { type: 'boolean' },
  json: { type: 'boolean' },
  ...loadFlagOptions,
  ...onFlagOptions,
} as const

type RunFlagValues = ParsedFlags<typeof runFlagOptions>['values']

/**
 * The workload file a command line names (`./bench/x.bench.ts`), described by the service; undefined when
 * `spec` is a built-in id or not a file-like name. A missing file is a UsageError naming the built-ins.
 */
export async function describeCliWorkloadFile(
  service: WorkbenchService,
  ctx: CliContext,
  spec: string | undefined,
  builtins: readonly WorkloadDescriptor[],
): Promise<{ descriptor?: WorkloadDescriptor; error?: string } | undefined> {
  if (!spec || builtins.some((d) => d.id === spec) || !/[\\/]|\.(m?[jt]s|c[jt]s)$/.test(spec)) return undefined
  if (!existsSync(path.resolve(ctx.cwd, spec)))
    throw new UsageError(`no workload file ${spec} (from ${ctx.cwd}); built-in workloads: ${builtins.map((d) => d.id).join(', ')}`)
  return service.describeWorkloadFile(spec)
}

/** Turns `hotpath run` flags into a RunRequest; every problem is a UsageError that says what is valid. */
export function buildRunRequest(
  descriptors: readonly WorkloadDescriptor[],
  workload: string | undefined,
  values: RunFlagValues,
  extraParams: Record<string, string> = {},
  fileDescriptor?: WorkloadDescriptor,
): RunRequest {
  const valid = descriptors.map((d) => d.id).join(', ')
  if (!workload) throw new UsageError(`name a workload: ${valid}, or a workload file (./bench/x.bench.ts)`)
  const descriptor = fileDescriptor ?? descriptors.find((d) => d.id === workload)
  if (!descriptor) throw new UsageError(`unknown workload "${workload}". Valid workloads: ${valid}`)
  if (values.variant && !descriptor.variants.some((v) => v.id === values.variant)) {
    throw new UsageError(`unknown variant "${values.variant}" for ${workload}. Valid variants: ${descriptor.variants.map((v) => v.id).join(', ')}`)
  }
  const params: Record<string, number | string | boolean> = {}
  const given: Record<string, string> = { ...extraParams }
  for (const kv of values.param ?? []) {
    const eq = kv.indexOf('=')
    if (eq <= 0) throw new UsageError(`--param "${kv}" must look like name=value`)
    given[kv.slice(0, eq).trim()] = kv.slice(eq + 1)
  }
  for (const [name, text] of Object.entries(given)) {
    const spec = descriptor.params[name]
    if (!spec) {
      throw new UsageError(`unknown parameter "${name}" for ${workload}. Valid parameters: ${Object.keys(descriptor.params).join(', ') || '(none)'}`)
    }
    const value = parseParamValue(name, spec, text)
    if (isParamProblem(value)) throw new UsageError(`--param ${name}: ${value.message}; expected ${value.valid}`)
    params[name] = value
  }
  if (values.iterations && values.duration) throw new UsageError('give --iterations or --duration, not both')
  const request: RunRequest = { workload, params }
  if (values.variant) request.variant = values.variant
  if (values.seed !== undefined) {
    if (!/^\d+$/.test(values.seed) || Number(values.seed) > 0xffffffff) throw new UsageError(`--seed "${values.seed}" must be a whole number from 0 to 4294967295`)
    request.seed = Number(values.seed)
  }
  if (values.iterations) request.iterations = parsePositiveInt('iterations', values.iterations, 100_000_000)
  if (values.duration) request.durationMs = parseDurationMs('duration', values.duration)
  if (values.warmup !== undefined) {
    if (/^\d+$/.test(values.warmup.trim())) request.warmupIterations = Number(values.warmup)
    else request.warmupMs = parseDurationMs('warmup', values.warmup)
  }
  if (values.profile) {
    const kinds = values.profile.split(',').map((s) => s.trim()).filter(Boolean)
    for (const k of kinds) {
      if (!profileKindSchema.safeParse(k).success) throw new UsageError(`--profile "${k}" is not a capture; valid: ${profileKindSchema.options.join(', ')}`)
    }
    request.profile = kinds as RunRequest['profile']
  }
  if (values['no-timing-pass']) {
    if (!request.profile?.length) throw new UsageError('--no-timing-pass only makes sense with --profile')
    request.timingPass = false
  }
  if (values['sampling-interval']) request.samplingIntervalUs = parsePositiveInt('sampling-interval', values['sampling-interval'], 100_000)
  if (values['heap-snapshots']) {
    const when = values['heap-snapshots'].split(',').map((s) => s.trim())
    for (const w of when) if (w !== 'start' && w !== 'end') throw new UsageError(`--heap-snapshots "${w}": use end or start,end`)
    request.heapSnapshots = when as ('start' | 'end')[]
  }
  if (values.label) request.label = values.label
  if (values.tag?.length) request.tags = values.tag
  if (values.meta?.length) request.meta = parseMeta(values.meta)
  if (values.timeout) request.timeoutMs = parseDurationMs('timeout', values.timeout)
  if (values.repeat !== undefined) request.repeat = parsePositiveInt('repeat', values.repeat, 100)
  if (values.runtime) request.runtime = values.runtime
  if (values['no-redact']) request.redact = false
  if (values['max-old-space-size']) request.nodeFlags = [`--max-old-space-size=${parsePositiveInt('max-old-space-size', values['max-old-space-size'], 1_000_000)}`]
  return applyLoadFlags(request, values)
}

/** `--meta key=value` pairs; keys are letters, digits, _ . - */
export function parseMeta(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const kv of pairs) {
    const eq = kv.indexOf('=')
    const key = eq > 0 ? kv.slice(0, eq).trim() : ''
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(key)) throw new UsageError(`--meta "${kv}" must look like key=value (key: letters, digits, _ . -, at most 40)`)
    out[key] = kv.slice(eq + 1)
  }
  return out
}

/**
 * Runs one request through the service with a progress bar on a TTY (the service's runProgress events)
 * and Ctrl-C as cancelRun; returns the saved record.
 */
export async function executeWithProgress(service: WorkbenchService, request: RunRequest, ctx: CliContext, prefix = ''): Promise<RunRecord> {
  const bar = createProgressBar(ctx)
  // The run id is known only once startRun answers; until then this invocation's only run is the one starting.
  let runId: string | undefined
  const unsubscribe = service.on('runProgress', (p) => {
    if (runId !== undefined && p.runId !== runId) return
    const rate = p.opsPerSec ? ` ${formatCount(p.opsPerSec)} ops/s` : ''
    const p99 = p.p99Ns ? ` p99 ${formatNs(p.p99Ns)}` : ''
    bar.update(p.overall, `${prefix}${p.phase}${rate}${p99}${p.message ? ` ${p.message}` : ''}`)
  })
  let onAbort: (() => void) | undefined
  try {
    runId = (await service.startRun(request)).runId
    const id = runId
    onAbort = (): void => void service.cancelRun(id)
    if (ctx.signal.aborted) onAbort()
    else ctx.signal.addEventListener('abort', onAbort, { once: true })
    return await service.waitForRun(id)
  } finally {
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort)
    unsubscribe()
    bar.done()
  }
}

export function describeRunText(run: RunRecord): string {
  const lines = [`${run.id}  ${run.label}  [${run.status}]`, ...describeAssertionLines(run)]
  lines.push(`  workload ${run.workload.id} / ${run.workload.variant}  seed ${run.workload.seed}  params ${JSON.stringify(run.workload.params)}${run.workload.file ? `  file ${run.workload.file}` : ''}`)
  const git = run.provenance?.git
  if (git) lines.push(`  git        ${git.commit.slice(0, 10)}${git.branch ? ` on ${git.branch}` : ''}${git.dirty ? ' (dirty)' : ''}${git.subject ? `  "${git.subject}"` : ''}${git.commitTime ? `  ${git.commitTime}` : ''}`)
  const meta = Object.entries(run.provenance?.meta ?? {})
  if (meta.length > 0) lines.push(`  meta       ${meta.map(([k, v]) => `${k}=${v}`).join('  ')}`)
  if (run.provenance?.nodeFlags.length) lines.push(`  node flags ${run.provenance.nodeFlags.join(' ')}`)
  if (run.metrics) {
    const m = run.metrics
    const l = m.latencyNs
    lines.push(`  throughput ${formatCount(m.opsPerSec)} ops/s over ${m.iterations} iterations (${formatInteger(m.operations)} ops${m.batched ? `, timed in batches of ${m.opsPerIteration}` : ''})`)
    lines.push(`  latency    mean ${formatNs(l.mean)} ± ${formatNs(l.stddev)}  min ${formatNs(l.min)}  p50 ${formatNs(l.p50)}  p90 ${formatNs(l.p90)}  p95 ${formatNs(l.p95)}  p99 ${formatNs(l.p99)}  p99.9 ${formatNs(l.p999)}  max ${formatNs(l.max)}`)
    lines.push(`  outliers   ${m.outliers.low} low, ${m.outliers.high} high   GC ${m.gc.count} (${m.gc.major} major) ${m.gc.pauseMs.toFixed(1)} ms   CPU user ${m.cpu.userMs.toFixed(0)} ms sys ${m.cpu.systemMs.toFixed(0)} ms`)
    const peak = peakRssOf(run)
    lines.push(`  memory     peak RSS ${peak ? describePeakRss(peak) : formatBytes(m.peakRssBytes)}  peak heap ${formatBytes(m.peakHeapUsedBytes)}   ELU ${(m.eventLoopUtilization * 100).toFixed(0)}%`)
  }
  lines.push(...describeLoadLines(run))
  if (run.profilerOverhead) lines.push(`  profiler overhead ${describeProfilerOverhead(run.profilerOverhead)}`)
  if (run.checksum) lines.push(`  checksum   ${run.checksum}`)
  lines.push(`  machine    ${run.env.cpu.brand} (${run.env.cpu.cores} cores), ${formatBytes(run.env.memory.totalBytes)} RAM, ${run.env.os.distro} ${run.env.os.release}, node ${run.runtime.node}`)
  if (run.status !== 'ok') {
    lines.push(`  error      ${run.error ?? 'unknown'}   exit code ${run.exit.code ?? '-'} signal ${run.exit.signal ?? '-'}`)
    if (run.heapLimit) lines.push(`  heap limit ${describeHeapLimit(run.heapLimit)}`)
    if (run.stderrTail.trim()) lines.push('  stderr (tail):', ...run.stderrTail.trimEnd().split('\n').slice(-15).map((l) => `    ${l}`))
  }
  for (const a of run.artifacts) lines.push(`  artifact   ${a.file} (${formatBytes(a.bytes)}) ${a.label ?? ''}`)
  for (const w of run.warnings) lines.push(`  warning    ${w.message}`)
  return lines.join('\n') + '\n'
}

export const command: CliCommand = {
  name: 'run',
  summary: 'run a workload variant in a child process, measure it, save the run',
  usage: runUsage,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('run', args, runFlagOptions)
    if (positionals.length > 1) throw new UsageError(`one workload at a time; got ${positionals.join(', ')}`)
    const maxArtifactBytes = values['max-artifact-size'] ? parseBytes('max-artifact-size', values['max-artifact-size']) : undefined
    const service = serviceFor(ctx, values.store, 'run', maxArtifactBytes !== undefined ? { maxArtifactBytes } : {})
    const spec = positionals[0]
    const builtins = await service.listWorkloads()
    let request: RunRequest
    const described = await describeCliWorkloadFile(service, ctx, spec, builtins)
    if (spec && described) {
      // A file that does not load still runs (and is saved as a failed run naming the file and line).
      request = described.descriptor ? buildRunRequest(builtins, spec, values, {}, described.descriptor) : { workload: spec, ...(values.meta?.length ? { meta: parseMeta(values.meta) } : {}) }
    } else request = buildRunRequest(builtins, spec, values)
    if (values.on) return runCommandOnTargets(ctx, service, [request], values, describeRunText)
    const run = await executeWithProgress(service, request, ctx)
    if (values.json) printJson(ctx, run)
    else ctx.stdout.write(describeRunText(run))
    if (run.status !== 'ok' && !values.json) ctx.stderr.write(`hotpath run: ${run.status}: ${run.error ?? ''}\n`)
    if (run.status === 'ok' && assertionsFailed(run)) {
      if (!values.json) ctx.stderr.write(`hotpath run: ${(run.assertions ?? []).filter((a) => !a.pass).length} assertion(s) failed; the run is saved as ${run.id}\n`)
      return EXIT.regression
    }
    return run.status === 'ok' ? EXIT.ok : EXIT.workloadFailed
  },
}
