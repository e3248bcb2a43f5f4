/**
 * `hotpath heap <runId|file.heapsnapshot>`: the summary of a heap snapshot (totals, where the memory goes,
 * the classes that retain the most, and what keeps them alive). Also the progress bar heap-diff shares.
 */
import path from 'node:path'
import { formatRetainerPath } from '../../core/analysis/retainers.js'
import type { HeapStatistics, HeapSummary } from '../../core/analysis/heap-summary.js'
import type { HeapAnalysisOptions, HeapProgress, HeapSnapshotSource } from '../../service/index.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { createProgressBar, formatBytes, formatTable, parseFlags, parsePositiveInt, printJson } from '../shared.js'
import { formatInteger, formatPct } from '../../core/format/number.js'

/** Progress on stderr (TTY only) and cancellation by Ctrl-C; malformed files fail as the service's bad requests (exit 2). */
export async function withHeapProgress<T>(ctx: CliContext, work: (opts: HeapAnalysisOptions) => Promise<T>): Promise<T> {
  const bar = createProgressBar(ctx)
  const describe = (p: HeapProgress): string =>
    p.phase === 'reading' ? `reading ${path.basename(p.file)} (${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)})` : p.phase
  try {
    return await work({ signal: ctx.signal, onProgress: (p) => bar.update(p.fraction, describe(p)) })
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
    const service = serviceFor(ctx, values.store, 'heap')
    const source = await service.resolveHeapSnapshot(positionals[0] as string, { cwd: ctx.cwd })
    const summary = await withHeapProgress(ctx, (opts) =>
      service.analyzeHeapSnapshot(source, { ...opts, retainerPathCount: Math.min(limit, 50) }),
    )
    if (values.json) {
      const { classes, retainerPaths, ...totals } = summary
      printJson(ctx, {
        source,
        ...totals,
        classCount: classes.length,
        classes: classes.slice(0, limit).map(({ largestInstance, largestInstances, ...c }) => ({
          ...c,
          largestInstanceId: largestInstance.nodeId,
          largestInstanceRetainedBytes: largestInstance.retainedSizeBytes,
          ...(largestInstances ? { largestInstances: largestInstances.map((x) => ({ id: x.nodeId, retainedBytes: x.retainedSizeBytes })) } : {}),
        })),
        retainerPaths: retainerPaths.map(({ instances, ...p }) => ({
          ...p,
          text: formatRetainerPath(p.path),
          ...(instances ? { instances: instances.map((x) => ({ ...x, text: formatRetainerPath(x.path) })) } : {}),
        })),
      })
      return EXIT.ok
    }
    ctx.stdout.write(formatHeapSummaryText(summary, source, limit, ctx.cwd))
    return EXIT.ok
  },
}
