/**
 * `hotpath top <runId|file.cpuprofile>`: the hottest functions of a CPU profile (or allocation profile),
 * by self or total. Also the profile loading shared with export-profile: a run's artifact or a file.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { type TopFunction, topFunctions } from '../../core/analysis/call-tree.js'
import { type ImportedProfile, ProfileFormatError, importProfileText } from '../../core/import/index.js'
import { getTreeTotal } from '../../core/model/call-tree.js'
import { runIdSchema } from '../../core/model/run.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { formatTable, parseFlags, parsePositiveInt, printJson, storeFromFlag } from '../shared.js'
import { RUN_FILES } from '../../core/model/run-layout.js'

/** Where a loaded profile came from. */
export interface ProfileSource {
  kind: 'run' | 'file'
  /** Absolute path of the profile file. */
  file: string
  runId?: string
  /** Operations in the profiled window, from the run record (runs only). */
  operations?: number
}

export type LoadedProfile = ImportedProfile & { source: ProfileSource }

/**
 * Loads a profile named on the command line: an existing file (.cpuprofile, .heapprofile, or JSON
 * recognized by content), else a run id in the store (its cpu.cpuprofile, or alloc.heapprofile with
 * `alloc`). Files are parsed in this process, whatever their size: a worker thread for very large
 * profiles (service/workers) is not used here yet.
 */
export async function loadProfileArg(
  arg: string,
  opts: { store?: string | undefined; alloc?: boolean | undefined },
  ctx: CliContext,
): Promise<LoadedProfile> {
  const asFile = path.resolve(ctx.cwd, arg)
  const isFile = await stat(asFile).then(
    (s) => s.isFile(),
    () => false,
  )
  let source: ProfileSource
  if (isFile) {
    source = { kind: 'file', file: asFile }
  } else if (runIdSchema.safeParse(arg).success) {
    const store = storeFromFlag(opts.store, ctx)
    const run = await store.get(arg)
    const name = opts.alloc ? RUN_FILES.allocProfile : RUN_FILES.cpuProfile
    const file = store.artifactPath(arg, name)
    const exists = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    )
    if (!exists) {
      const kind = opts.alloc ? 'alloc' : 'cpu'
      throw new UsageError(`run ${arg} has no ${name}; record one with \`hotpath run ${run.workload.id} --profile ${kind}\``)
    }
    source = { kind: 'run', file, runId: arg, ...(run.metrics ? { operations: run.metrics.operations } : {}) }
  } else {
    throw new UsageError(`"${arg}" is neither a profile file nor a run id (see \`hotpath list\`)`)
  }
  const text = await readFile(source.file, 'utf8')
  try {
    return { ...importProfileText(source.file, text), source }
  } catch (err) {
    if (err instanceof ProfileFormatError) throw new UsageError(err.message)
    throw err
  }
}

/** A script url shown compactly: file urls and paths under the working folder become relative. */
export function displayLocation(url: string, line: number, column: number, cwd: string): string {
  if (url === '') return ''
  let shown = url
  if (shown.startsWith('file://')) {
    try {
      shown = decodeURIComponent(new URL(shown).pathname)
    } catch {
      // Not a parseable URL: show it as written.
    }
  }
  if (path.isAbsolute(shown)) {
    const rel = path.relative(cwd, shown)
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) shown = rel
  }
  return line > 0 ? `${shown}:${line}:${column}` : shown
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toFixed(0)} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`
}

const pct = (share: number): string => `${(share * 100).toFixed(1)}%`

export const command: CliCommand = {
  name: 'top',
  summary: 'hottest functions of a CPU profile (a saved run or a .cpuprofile file)',
  usage: [
    'Usage: hotpath top <runId|file.cpuprofile|file.heapprofile> [--by self|total] [--limit N] [--alloc] [--json] [--store DIR]',
    '',
    'Lists the functions with the most self time (time spent in the function itself) or total time',
    '(time with the function anywhere on the stack, counted once per sample under recursion).',
    'Time attribution follows Chrome DevTools: each sample owns the interval to the next one.',
    '',
    '  --by self|total   sort by self (default) or total',
    '  --limit N         how many functions to list (default 20)',
    '  --alloc           for a run: its allocation profile (alloc.heapprofile) instead of its CPU profile',
    '  --json            one JSON document: { source, format, unit, profileTotalMs|profileTotalBytes, functions[] }',
    '  --store DIR       the run store (default: HOTPATH_HOME, else the app-data folder)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseFlags('top', args, {
      by: { type: 'string' },
      limit: { type: 'string' },
      alloc: { type: 'boolean' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    })
    if (positionals.length !== 1) throw new UsageError('name one run id or profile file, e.g. `hotpath top cpu.cpuprofile`')
    const by = values.by ?? 'self'
    if (by !== 'self' && by !== 'total') throw new UsageError(`--by "${by}" must be self or total`)
    const limit = values.limit === undefined ? 20 : parsePositiveInt('limit', values.limit, 100_000)
    const loaded = await loadProfileArg(positionals[0] as string, { store: values.store, alloc: values.alloc }, ctx)
    const { tree } = loaded
    const top = topFunctions(tree, by, limit)
    const isTime = tree.unit === 'ms'
    const unitSuffix = isTime ? 'Ms' : 'Bytes'

    if (values.json) {
      printJson(ctx, {
        source: loaded.source,
        format: loaded.format,
        unit: tree.unit,
        by,
        [`profileTotal${unitSuffix}`]: getTreeTotal(tree),
        sampleCount: tree.meta.sampleCount,
        functions: top.map((f: TopFunction, i) => ({
          rank: i + 1,
          name: f.name || '(anonymous)',
          url: f.url,
          line: f.line,
          column: f.column,
          category: f.category,
          [`self${unitSuffix}`]: f.self,
          selfPct: f.selfShare * 100,
          [`total${unitSuffix}`]: f.total,
          totalPct: f.totalShare * 100,
          selfSamples: f.selfSamples,
          totalSamples: f.totalSamples,
        })),
      })
      return EXIT.ok
    }

    const value = (v: number): string => (isTime ? v.toFixed(2) : formatBytes(v))
    const rows = top.map((f) => [
      value(f.self),
      pct(f.selfShare),
      value(f.total),
      pct(f.totalShare),
      f.category,
      f.name || '(anonymous)',
      displayLocation(f.url, f.line, f.column, ctx.cwd),
    ])
    const what = isTime ? 'CPU profile' : 'allocation profile'
    const totalText = isTime ? `${getTreeTotal(tree).toFixed(1)} ms` : formatBytes(getTreeTotal(tree))
    const from = loaded.source.runId ? `run ${loaded.source.runId}` : path.relative(ctx.cwd, loaded.source.file) || loaded.source.file
    ctx.stdout.write(`${what} of ${from}: ${tree.meta.sampleCount} samples, ${totalText}; top ${top.length} by ${by}\n\n`)
    const unit = isTime ? ' ms' : ''
    ctx.stdout.write(
      formatTable([`self${unit}`, 'self %', `total${unit}`, 'total %', 'category', 'function', 'location'], rows, [
        'r',
        'r',
        'r',
        'r',
        'l',
        'l',
        'l',
      ]),
    )
    return EXIT.ok
  },
}
