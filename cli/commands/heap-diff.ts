/**
 * `hotpath heap-diff <a> <b>`: what changed between two heap snapshots of one process, per class, as
 * Chrome DevTools' Comparison view shows it (objects matched by V8 object id).
 */
import { formatInteger } from '../../core/format/number.js'
import type { HeapDiff } from '../../core/compare/heap-diff.js'
import { runIdSchema } from '../../core/model/run.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import type { HeapSnapshotSource } from '../../service/index.js'
import { serviceFor } from '../service.js'
import { formatBytes, formatTable, parseFlags, parsePositiveInt, printJson } from '../shared.js'
import { describeSource, withHeapProgress } from './heap.js'

const signed = (n: number, text: string): string => (n > 0 ? `+${text}` : text)
const signedBytes = (n: number): string => signed(n, formatBytes(n))
const signedCount = (n: number): string => signed(n, formatInteger(n))

/** The text report: totals, then one row per changed class. */
export function formatHeapDiffText(
  diff: HeapDiff,
  base: HeapSnapshotSource,
  target: HeapSnapshotSource,
  limit: number,
  cwd: string,
): string {
  const out: string[] = []
  out.push(`Heap diff: ${describeSource(base, cwd)} → ${describeSource(target, cwd)}`)
  out.push(
    `  objects: ${formatInteger(diff.base.nodeCount)} → ${formatInteger(diff.target.nodeCount)} (${formatInteger(diff.matchedCount)} in both, ` +
      `${formatInteger(diff.totals.newCount)} new, ${formatInteger(diff.totals.deletedCount)} deleted)`,
  )
  out.push(
    `  size:    ${formatBytes(diff.base.totalSelfSizeBytes)} → ${formatBytes(diff.target.totalSelfSizeBytes)} (${signedBytes(diff.totals.deltaSizeBytes)})`,
  )
  for (const w of diff.warnings) out.push(`  warning: ${w}`)
  out.push('')
  const top = diff.classes.slice(0, limit)
  if (top.length === 0) {
    out.push('No object was allocated or freed between the two snapshots.', '')
    return out.join('\n')
  }
  out.push(`Top ${top.length} of ${formatInteger(diff.classes.length)} changed classes by size delta`)
  const rows = top.map((c) => [
    c.name.length > 60 ? `${c.name.slice(0, 57)}...` : c.name,
    formatInteger(c.newCount),
    formatInteger(c.deletedCount),
    signedCount(c.deltaCount),
    formatBytes(c.allocSizeBytes),
    formatBytes(c.freedSizeBytes),
    signedBytes(c.deltaSizeBytes),
  ])
  const table = formatTable(['class', '# new', '# deleted', '# delta', 'alloc size', 'freed size', 'size delta'], rows, [
    'l',
    'r',
    'r',
    'r',
    'r',
    'r',
    'r',
  ])
  out.push(...table.split('\n').map((l) => (l ? `  ${l}` : l)))
  return out.join('\n')
}

export const command: CliCommand = {
  name: 'heap-diff',
  summary: 'compare two heap snapshots: objects allocated and freed per class',
  usage: [
    'Usage: hotpath heap-diff <a> <b> [--limit N] [--json] [--store DIR]',
    '       hotpath heap-diff <runId> [--limit N] [--json] [--store DIR]',
    '',
    'Compares snapshot b (the target) with snapshot a (the base), per class, like the Comparison view of',
    'Chrome DevTools: # new (objects in b that were not in a), # deleted, # delta, alloc size, freed size',
    'and size delta, sorted by size delta. Objects are matched by their V8 object id, which is stable for',
    "the life of one process, so compare snapshots of the same process: a run's heap-start and heap-end",
    '(record both with `hotpath run <workload> --profile heap --heap-snapshots start,end`).',
    '',
    'a and b are .heapsnapshot files or run ids (a run id means its heap-end snapshot). A single run id',
    "means that run's heap-start vs its heap-end. Snapshots of different processes share no ids: then",
    '# new and # deleted are whole populations (a warning says so); the deltas are still right.',
    '',
    '  --limit N       classes to list (default 20)',
    '  --json          one JSON document: { base, target, baseTotals, targetTotals, matchedCount, totals,',
    '                  warnings[], classCount, classes[] (top N: name, newCount, deletedCount, deltaCount,',
    '                  allocSizeBytes, freedSizeBytes, deltaSizeBytes, baseCount, targetCount) }',
    '  --store DIR     the run store (default: HOTPATH_HOME, else the app-data folder)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseFlags('heap-diff', args, {
      limit: { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    })
    const limit = values.limit === undefined ? 20 : parsePositiveInt('limit', values.limit, 1_000_000)
    const service = serviceFor(ctx, values.store, 'heap-diff')
    let base: HeapSnapshotSource
    let target: HeapSnapshotSource
    if (positionals.length === 1) {
      const runId = positionals[0] as string
      if (!runIdSchema.safeParse(runId).success) {
        throw new UsageError(`with one argument, name a run id that has heap-start and heap-end snapshots; "${runId}" is not a run id`)
      }
      const found = await service.findRunHeapSnapshots(runId)
      if (!found.start || !found.end) {
        throw new UsageError(
          `run ${runId} needs both heap-start and heap-end snapshots (it has ${found.start ? 'only heap-start' : found.end ? 'only heap-end' : 'none'}); ` +
            `record them with \`hotpath run ${found.workload} --profile heap --heap-snapshots start,end\``,
        )
      }
      base = found.start
      target = found.end
    } else if (positionals.length === 2) {
      base = await service.resolveHeapSnapshot(positionals[0] as string, { cwd: ctx.cwd })
      target = await service.resolveHeapSnapshot(positionals[1] as string, { cwd: ctx.cwd })
    } else {
      throw new UsageError('name two snapshots (files or run ids), or one run id with start and end snapshots')
    }
    const diff = await withHeapProgress(ctx, (opts) => service.diffHeapSnapshotSources(base, target, opts))
    if (values.json) {
      printJson(ctx, {
        base,
        target,
        baseTotals: diff.base,
        targetTotals: diff.target,
        matchedCount: diff.matchedCount,
        totals: diff.totals,
        warnings: diff.warnings,
        classCount: diff.classes.length,
        classes: diff.classes.slice(0, limit),
      })
      return EXIT.ok
    }
    ctx.stdout.write(formatHeapDiffText(diff, base, target, limit, ctx.cwd))
    return EXIT.ok
  },
}
