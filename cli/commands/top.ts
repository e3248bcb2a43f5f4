/**
 * `hotpath top <runId|file.cpuprofile>`: the hottest functions of a CPU profile (or allocation profile),
 * by self or total. The profile is a run's artifact or a file, loaded by the service.
 */
import path from 'node:path'
import { type TopFunction, topFunctions } from '../../core/analysis/call-tree.js'
import { getTreeTotal } from '../../core/model/call-tree.js'
import { type CliCommand, type CliContext, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { formatTable, parseFlags, parsePositiveInt, printJson } from '../shared.js'
import type { LoadedProfile } from '../../service/index.js'

/**
 * A progress bar on stderr for files that take a while (over 32 MB, on a terminal): the service's import
 * reports bytes read every 8 MB.
 */
export function progressBar(ctx: CliContext, verb = 'reading'): { update: (done: number, total: number) => void; done: () => void } {
  let shown = false
  return {
    update(done, total) {
      if (!ctx.stderrIsTTY || total <= 32 * 1024 * 1024) return
      shown = true
      const width = 30
      const filled = Math.round((done / total) * width)
      ctx.stderr.write(`\r${verb} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((done / total) * 100).toFixed(0)}%`)
    },
    done() {
      if (shown) ctx.stderr.write('\r\x1b[K')
    },
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
    'Usage: hotpath top <runId|profile file> [--by self|total] [--limit N] [--alloc] [--profile P] [--json] [--store DIR]',
    '',
    'Lists the functions with the most self time (time spent in the function itself) or total time',
    '(time with the function anywhere on the stack, counted once per sample under recursion).',
    'Time attribution follows Chrome DevTools: each sample owns the interval to the next one.',
    '',
    '  --by self|total   sort by self (default) or total',
    '  --limit N         how many functions to list (default 20)',
    '  --alloc           for a run: its allocation profile (alloc.heapprofile) instead of its CPU profile',
    '  --profile P       which profile of a file with several: a trace thread (name, pid:tid or number; the',
    '                    main thread by default) or a speedscope profile (name or number)',
    '',
    'Files: .cpuprofile (modern and legacy layouts, any size: read in pieces), .heapprofile, Chrome/Edge',
    'trace JSON (DevTools Performance recordings), speedscope JSON, pprof (.pb.gz) and V8 --prof tick logs',
    'preprocessed with `node --prof-process --preprocess` (what 0x collects).',
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
      profile: { type: 'string' },
    })
    if (positionals.length !== 1) throw new UsageError('name one run id or profile file, e.g. `hotpath top cpu.cpuprofile`')
    const by = values.by ?? 'self'
    if (by !== 'self' && by !== 'total') throw new UsageError(`--by "${by}" must be self or total`)
    const limit = values.limit === undefined ? 20 : parsePositiveInt('limit', values.limit, 100_000)
    const progress = progressBar(ctx)
    let loaded: LoadedProfile
    try {
      loaded = await serviceFor(ctx, values.store, 'top').loadProfile(positionals[0] as string, {
        cwd: ctx.cwd,
        alloc: values.alloc,
        profile: values.profile,
        onProgress: progress.update,
      })
    } finally {
      progress.done()
    }
    const { tree } = loaded
    const top = topFunctions(tree, by, limit)
    const isTime = tree.unit === 'ms'
    const unitSuffix = isTime ? 'Ms' : 'Bytes'

    if (values.json) {
      printJson(ctx, {
        source: loaded.source,
        format: loaded.format,
        sourceFormat: loaded.sourceFormat,
        ...(loaded.choices.length > 1 ? { profile: loaded.chosen, profiles: loaded.choices } : {}),
        unit: tree.unit,
        by,
        [`profileTotal${unitSuffix}`]: getTreeTotal(tree),
        sampleCount: tree.meta.sampleCount,
        ...(tree.meta.negativeTimeDeltas ? { negativeTimeDeltas: tree.meta.negativeTimeDeltas } : {}),
        ...(tree.meta.absurdTimeDeltas ? { absurdTimeDeltas: tree.meta.absurdTimeDeltas } : {}),
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
    ctx.stdout.write(`${what} of ${from}: ${tree.meta.sampleCount} samples, ${totalText}; top ${top.length} by ${by}\n`)
    const { negativeTimeDeltas, absurdTimeDeltas } = tree.meta
    if (negativeTimeDeltas)
      ctx.stdout.write(`warning: ${negativeTimeDeltas} samples had negative time deltas; they were put back in time order\n`)
    if (absurdTimeDeltas)
      ctx.stdout.write(
        `warning: ${absurdTimeDeltas} gaps between samples are over a second and over 1,000 sampling intervals (a suspended process?)\n`,
      )
    if (loaded.choices.length > 1) {
      const chosen = loaded.choices.find((c) => c.key === loaded.chosen)
      ctx.stdout.write(
        `profile: ${chosen?.label ?? loaded.chosen} (1 of ${loaded.choices.length}; others with --profile: ${loaded.choices
          .filter((c) => c !== chosen)
          .map((c) => c.label)
          .join('; ')})\n`,
      )
    }
    ctx.stdout.write('\n')
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
