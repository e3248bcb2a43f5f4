/**
 * `hotpath heap <runId|file.heapsnapshot>`: the summary of a heap snapshot (totals, where the memory goes,
 * the classes that retain the most, and what keeps them alive). Also the snapshot lookup heap-diff shares.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { formatRetainerPath } from '../../core/analysis/retainers.js'
import type { HeapStatistics, HeapSummary } from '../../core/analysis/heap-summary.js'
import { ProfileFormatError } from '../../core/import/cpuprofile.js'
import { runIdSchema } from '../../core/model/run.js'
import { type HeapAnalysisOptions, type HeapProgress, analyzeHeapSnapshotFile } from '../../service/heap-analysis.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { createProgressBar, formatBytes, formatTable, parseFlags, parsePositiveInt, printJson, storeFromFlag } from '../shared.js'
import { formatInteger, formatPct } from '../../core/format/number.js'
import { heapSnapshotFile } from '../../core/model/run-layout.js'

/** Where a snapshot named on the command line lives. */
export interface HeapSnapshotSource {
  kind: 'run' | 'file'
  /** Absolute path of the .heapsnapshot file. */
  file: string
  runId?: string
  /** File size in bytes. */
  bytes: number
}

const fileSize = (file: string): Promise<number | undefined> =>
  stat(file).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  )

/** A run's snapshot files that exist: heap-start and heap-end. */
export async function findRunSnapshots(
  runId: string,
  store: string | undefined,
  ctx: CliContext,
): Promise<{ start?: HeapSnapshotSource; end?: HeapSnapshotSource; workload: string }> {
  const runs = storeFromFlag(store, ctx)
  const run = await runs.get(runId)
  const found: { start?: HeapSnapshotSource; end?: HeapSnapshotSource; workload: string } = { workload: run.workload.id }
  for (const which of ['start', 'end'] as const) {
    const file = runs.artifactPath(runId, heapSnapshotFile(which))
    const bytes = await fileSize(file)
    if (bytes !== undefined) found[which] = { kind: 'run', file, runId, bytes }
  }
  return found
}

/**
 * A snapshot named on the command line: an existing file, else a run id (its heap-end snapshot, or
 * heap-start when that is the only one).
 */
export async function resolveHeapSnapshotArg(arg: string, store: string | undefined, ctx: CliContext): Promise<HeapSnapshotSource> {
  const asFile = path.resolve(ctx.cwd, arg)
  const bytes = await fileSize(asFile)
  if (bytes !== undefined) return { kind: 'file', file: asFile, bytes }
  if (!runIdSchema.safeParse(arg).success)
    throw new UsageError(`"${arg}" is neither a heap snapshot file nor a run id (see \`hotpath list\`)`)
  const found = await findRunSnapshots(arg, store, ctx)
  const snapshot = found.end ?? found.start
  if (!snapshot) throw new UsageError(`run ${arg} has no heap snapshot; record one with \`hotpath run ${found.workload} --profile heap\``)
  return snapshot
}

/** Progress on stderr (TTY only), cancellation by Ctrl-C, and format errors as usage errors (exit 2). */
export async function withHeapProgress<T>(ctx: CliContext, work: (opts: HeapAnalysisOptions) => Promise<T>): Promise<T> {
  const bar = createProgressBar(ctx)
  const describe = (p: HeapProgress): string =>
    p.phase === 'reading' ? `reading ${path.basename(p.file)} (${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)})` : p.phase
  try {
    return await work({ signal: ctx.signal, onProgress: (p) => bar.update(p.fraction, describe(p)) })
  } catch (err) {
    if (err instanceof ProfileFormatError) throw new UsageError(err.message)
    throw err
  } finally {
    bar.done()
  }
}

export function describeSource(source: HeapSnapshotSource, cwd: string): string {
  if (source.runId) return `run ${source.runId} (${path.basename(source.file)})`
  const relative = path.relative(cwd, source.file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : source.file
}

/** The Statistics view's rows, DevTools' order. */
function statisticsRows(s: HeapStatistics): [string, number][] {
  return [
    ['Code', s.codeBytes],
    ['Strings', s.stringsBytes],
    ['JS arrays', s.jsArraysBytes],
    ['Typed arrays', s.typedArraysBytes],
    ['System objects', s.systemBytes],
    ['Other JS objects', s.otherJsBytes],
    ['Other non-JS objects', s.otherNonJsBytes],
  ]
}

/** The text report: totals, statistics, top classes, retaining paths. */
export function formatHeapSummaryText(summary: HeapSummary, source: HeapSnapshotSource, limit: number, cwd: string): string {
  const out: string[] = []
  const total = summary.statistics.totalBytes
  out.push(
    `Heap snapshot of ${describeSource(source, cwd)}, ${formatBytes(source.bytes)} on disk: ${formatInteger(summary.nodeCount)} objects, ` +
      `${formatInteger(summary.edgeCount)} references, ${formatBytes(total)} in total`,
  )
  if (summary.unreachableNodeCount > 0)
    out.push(`${formatInteger(summary.unreachableNodeCount)} objects are held only by weak references or by each other`)
  out.push('', 'Statistics')
  const stats = statisticsRows(summary.statistics).map(([name, bytes]) => [
    name,
    formatBytes(bytes),
    formatPct(total > 0 ? bytes / total : 0),
  ])
  stats.push(['Total', formatBytes(total), formatPct(total > 0 ? 1 : 0)])
  out.push(indent(formatTable(['kind', 'size', 'share'], stats, ['l', 'r', 'r'])))
  const top = summary.classes.slice(0, limit)
  out.push(`Top ${top.length} of ${formatInteger(summary.classes.length)} classes by retained size`)
  const rows = top.map((c) => [
    c.name.length > 60 ? `${c.name.slice(0, 57)}...` : c.name,
    formatInteger(c.count),
    formatBytes(c.shallowSizeBytes),
    formatPct(total > 0 ? c.shallowSizeBytes / total : 0),
    formatBytes(c.retainedSizeBytes),
    formatPct(total > 0 ? c.retainedSizeBytes / total : 0),
  ])
  out.push(indent(formatTable(['class', 'count', 'shallow', 'shallow %', 'retained', 'retained %'], rows, ['l', 'r', 'r', 'r', 'r', 'r'])))
  const paths = summary.retainerPaths.filter((p) => top.some((c) => c.name === p.className))
  if (paths.length > 0) {
    out.push('What keeps the largest instance of each top class alive (shortest path from a root)')
    for (const p of paths)
      out.push(`  ${p.className} @${p.nodeId} (retains ${formatBytes(p.retainedSizeBytes)}):`, `    ${formatRetainerPath(p.path)}`)
    out.push('')
  }
  return out.join('\n')
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')

export const command: CliCommand = {
  name: 'heap',
  summary: 'summary of a heap snapshot: statistics, classes by retained size, retaining paths',
  usage: [
    'Usage: hotpath heap <runId|file.heapsnapshot[.gz]> [--limit N] [--json] [--store DIR]',
    '',
    "Summarizes a V8 heap snapshot: a run's heap-end.heapsnapshot (heap-start when it has only that), or any",
    '.heapsnapshot file of any size, gzip-compressed or not. It shows object and reference counts, where the',
    "memory goes (the split of Chrome DevTools' Statistics view), the classes that retain the most (count,",
    'shallow size, retained size), and the shortest path from a GC root that keeps the largest instance of',
    'each top class alive.',
    '',
    'Sizes are V8\'s own self sizes. "Retained" is what freeing the objects would free (dominator tree,',
    'Lengauer-Tarjan, weak references ignored); for a class, nested instances are counted once.',
    'The snapshot is parsed in a worker thread; Ctrl-C cancels.',
    '',
    '  --limit N       classes to list (default 20)',
    '  --json          one JSON document: { source, nodeCount, edgeCount, totalSelfSizeBytes, statistics,',
    '                  unreachableNodeCount, classCount, classes[] (top N), retainerPaths[] }',
    '  --store DIR     the run store (default: HOTPATH_HOME, else the app-data folder)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseFlags('heap', args, {
      limit: { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    })
    if (positionals.length !== 1) throw new UsageError('name one run id or .heapsnapshot file, e.g. `hotpath heap heap-end.heapsnapshot`')
    const limit = values.limit === undefined ? 20 : parsePositiveInt('limit', values.limit, 1_000_000)
    const source = await resolveHeapSnapshotArg(positionals[0] as string, values.store, ctx)
    const summary = await withHeapProgress(ctx, (opts) =>
      analyzeHeapSnapshotFile(source.file, { ...opts, retainerPathCount: Math.min(limit, 50) }),
    )
    if (values.json) {
      const { classes, retainerPaths, ...totals } = summary
      printJson(ctx, {
        source,
        ...totals,
        classCount: classes.length,
        classes: classes.slice(0, limit).map(({ largestInstance, ...c }) => ({
          ...c,
          largestInstanceId: largestInstance.nodeId,
          largestInstanceRetainedBytes: largestInstance.retainedSizeBytes,
        })),
        retainerPaths: retainerPaths.map((p) => ({ ...p, text: formatRetainerPath(p.path) })),
      })
      return EXIT.ok
    }
    ctx.stdout.write(formatHeapSummaryText(summary, source, limit, ctx.cwd))
    return EXIT.ok
  },
}
