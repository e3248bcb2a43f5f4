/**
 * What `hotpath target` and the `--on` flag of run/sweep share: the service for a command (store from
 * --store, config and SSH settings from the environment), the targets progress display, and the closing
 * note with what each target did and how many bytes went to it.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunRequest } from '../core/api/schemas.js'
import { formatTargetComparisonText } from '../core/export/target-table.js'
import { formatBytes } from '../core/format/bytes.js'
import type { RemoteProgress, RunOnTargetsResult } from '../service/index.js'
import { serviceFor, type WorkbenchService, WorkbenchError } from './service.js'
import type { RunRecord } from '../core/model/run.js'
import { type CliContext, EXIT, UsageError } from './context.js'
import { formatCount, formatNs, parsePositiveInt, printJson } from './shared.js'

/** Bad requests from the service become usage errors (exit 2, one line); the rest propagate. */
export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof WorkbenchError && err.code !== 'internal') throw new UsageError(err.message.replace(/^./, (c) => c.toLowerCase()))
    throw err
  }
}

/** `--on a,b` → ["a", "b"]. */
export function parseOnFlag(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean)
  if (names.length === 0) throw new UsageError('--on needs target names: --on NAME[,NAME...] (see hotpath target list)')
  return [...new Set(names)]
}

export const onFlagOptions = {
  on: { type: 'string' },
  parallel: { type: 'string' },
  'ship-node': { type: 'boolean' },
} as const

export const onFlagUsage = `  --on NAME[,NAME...]      run on these targets over SSH (hotpath target add) instead of here; each
                           target's runs are pulled into the store, tagged target:NAME
  --parallel N             with --on: targets worked on at once (default: all)
  --ship-node              with --on: upload this machine's Node binary and run with it (same OS and
                           architecture only) instead of the target's Node`

/** Runs requests on targets with one progress line per target on stderr (TTY only), then a closing note. */
export async function runOnTargetsCli(
  ctx: CliContext,
  service: WorkbenchService,
  requests: RunRequest[],
  values: { on?: string | undefined; parallel?: string | undefined; 'ship-node'?: boolean | undefined },
): Promise<RunOnTargetsResult> {
  const targets = parseOnFlag(values.on ?? '')
  const parallel = values.parallel ? parsePositiveInt('parallel', values.parallel, 1000) : undefined
  const lines = new Map<string, string>()
  let lastDraw = 0
  const draw = (force = false): void => {
    if (!ctx.stderrIsTTY) return
    const now = Date.now()
    if (!force && now - lastDraw < 100) return
    lastDraw = now
    const text = targets.map((t) => `${t.padEnd(12)} ${lines.get(t) ?? 'waiting'}`)
    ctx.stderr.write(`\x1b[s${text.map((l) => `\r\x1b[2K${l.slice(0, 120)}`).join('\n')}\x1b[u`)
  }
  const onProgress = (p: RemoteProgress): void => {
    const pct = p.overall !== undefined ? `${Math.round(p.overall * 100).toString().padStart(3)}% ` : ''
    const rate = p.opsPerSec ? ` ${formatCount(p.opsPerSec)} ops/s` : ''
    const p99 = p.p99Ns ? ` p99 ${formatNs(p.p99Ns)}` : ''
    lines.set(p.target, `${pct}${p.stage}: ${p.message}${rate}${p99}`)
    draw(p.stage === 'done')
  }
  if (ctx.stderrIsTTY) ctx.stderr.write('\n'.repeat(targets.length) + `\x1b[${targets.length}A`)
  const result = await asUsage(() =>
    service.targets.runOnTargets({ targets, requests, ...(parallel ? { parallel } : {}), ...(values['ship-node'] ? { shipNode: true } : {}) }, { onProgress, signal: ctx.signal }),
  )
  if (ctx.stderrIsTTY) ctx.stderr.write(`\x1b[${targets.length}B\n`)
  return result
}

/** The closing note: one line per target with its runs or its failure, and the bytes sent to it. */
export function describeTargetsResult(result: RunOnTargetsResult): string {
  const out = [`targets (group ${result.group}):`]
  for (const t of result.targets) {
    const sent = `sent ${formatBytes(t.bytesSent)}${t.runner ? ` (runner ${t.runner.cached ? 'cached, nothing uploaded' : `${t.runner.uploadedObjects} files, ${formatBytes(t.runner.uploadedBytes)} uploaded`})` : ''}`
    if (t.ok) out.push(`  ${t.target}: ${t.runIds.length} run(s) ${t.runIds.join(' ')}; ${sent}${t.pullAttempts && t.pullAttempts > 1 ? `; pull resumed ${t.pullAttempts - 1} time(s)` : ''}`)
    else out.push(`  ${t.target}: FAILED (${t.failure?.kind}): ${t.failure?.message}; recorded as run ${t.failedRunId}; ${sent}`)
  }
  return out.join('\n') + '\n'
}

/** `hotpath run … --on`: the request on every target; prints each imported run and the closing note. */
export async function runCommandOnTargets(
  ctx: CliContext,
  service: WorkbenchService,
  requests: RunRequest[],
  values: { on?: string | undefined; parallel?: string | undefined; 'ship-node'?: boolean | undefined; store?: string | undefined; json?: boolean | undefined },
  describe: (run: RunRecord) => string,
): Promise<number> {
  const result = await runOnTargetsCli(ctx, service, requests, values)
  const runs: RunRecord[] = []
  for (const t of result.targets) for (const id of [...t.runIds, ...(t.failedRunId ? [t.failedRunId] : [])]) runs.push(await service.getRun(id))
  if (values.json) {
    printJson(ctx, { ...result, runs })
  } else {
    for (const run of runs) ctx.stdout.write(describe(run))
    ctx.stderr.write(describeTargetsResult(result))
  }
  return result.targets.every((t) => t.ok) && runs.every((r) => r.status === 'ok') ? EXIT.ok : EXIT.workloadFailed
}

/** `hotpath compare --by target`: one column per machine, as a table, Markdown, JSON or HTML. */
export async function compareByTargetCommand(
  ctx: CliContext,
  ids: string[],
  values: { by?: string | undefined; reference?: string | undefined; group?: string | undefined; workload?: string | undefined; format?: string | undefined; output?: string | undefined; json?: boolean | undefined; store?: string | undefined },
): Promise<number> {
  if (values.by !== 'target') throw new UsageError(`--by "${values.by}" is not supported; use --by target`)
  const format = values.json ? 'json' : (values.format ?? (values.output ? (path.extname(values.output).slice(1) || 'table') : 'table'))
  const formats = ['table', 'text', 'md', 'markdown', 'json', 'html']
  if (!formats.includes(format)) throw new UsageError(`--format "${format}" is not one of table, md, json, html`)
  const service = serviceFor(ctx, values.store, 'compare')
  const result = await asUsage(() =>
    service.compareByTarget({
      ...(ids.length ? { runIds: ids } : {}),
      ...(values.group ? { group: values.group } : {}),
      ...(values.workload ? { workload: values.workload } : {}),
      ...(values.reference ? { reference: values.reference } : {}),
    }),
  )
  const text =
    format === 'json' ? JSON.stringify(result.comparison, null, 2) + '\n' : format === 'md' || format === 'markdown' ? result.markdown : format === 'html' ? result.html : formatTargetComparisonText(result.comparison)
  if (values.output) {
    await writeFile(path.resolve(ctx.cwd, values.output), text)
    ctx.stdout.write(values.json ? text : formatTargetComparisonText(result.comparison))
  } else ctx.stdout.write(text)
  return EXIT.ok
}
