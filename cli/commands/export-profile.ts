/**
 * `hotpath export-profile <runId|file> --format folded|speedscope|pprof -o FILE`: converts a run's CPU
 * profile (or any .cpuprofile/.heapprofile) for other tools, with home-directory paths redacted by default.
 */
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { type FoldedWeight, toFoldedStacks } from '../../core/export/folded.js'
import { toPprof } from '../../core/export/pprof.js'
import { redactPaths } from '../../core/export/redact-paths.js'
import { toSpeedscope } from '../../core/export/speedscope.js'
import { type CpuProfileRaw, importCpuProfile } from '../../core/import/cpuprofile.js'
import { type HeapProfileRaw, importHeapProfile } from '../../core/import/heap-profile.js'
import type { CallTree } from '../../core/model/call-tree.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { parseFlags, printJson } from '../shared.js'
import { serviceFor } from '../service.js'

const FORMATS = ['folded', 'speedscope', 'pprof'] as const
type ExportFormat = (typeof FORMATS)[number]

const WEIGHTS: Record<string, FoldedWeight> = { us: 'microseconds', microseconds: 'microseconds', samples: 'samples', bytes: 'bytes' }

export const command: CliCommand = {
  name: 'export-profile',
  summary: 'export a CPU or allocation profile as folded stacks, speedscope JSON or pprof',
  usage: [
    'Usage: hotpath export-profile <runId|file.cpuprofile> --format folded|speedscope|pprof -o FILE',
    '                              [--weight us|samples|bytes] [--alloc] [--no-redact] [--json] [--store DIR]',
    '',
    '  --format folded      `a;b;c 123` lines for flamegraph.pl, speedscope, inferno (weights: µs of CPU time)',
    '  --format speedscope  a speedscope JSON file (sampled, in time order for CPU profiles)',
    '  --format pprof       gzipped pprof protobuf for go tool pprof, Pyroscope, Grafana (cpu/nanoseconds, samples/count)',
    '  -o, --output FILE    where to write',
    '  --weight             folded only: us (CPU default), samples, or bytes (allocation profiles, default)',
    '  --alloc              for a run: its allocation profile (alloc.heapprofile) instead of its CPU profile',
    '  --no-redact          keep home-directory paths (/home/<user>/, /Users/<user>/, C:\\Users\\<user>\\) in script urls',
    '  --json               print { file, format, bytes, redacted } instead of a sentence',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseFlags('export-profile', args, {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      weight: { type: 'string' },
      alloc: { type: 'boolean' },
      'no-redact': { type: 'boolean' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    })
    if (positionals.length !== 1) throw new UsageError('name one run id or profile file to export')
    const format = values.format as ExportFormat | undefined
    if (!format || !FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
    if (!values.output) throw new UsageError('-o FILE is required: where to write the exported profile')
    let weight: FoldedWeight | undefined
    if (values.weight !== undefined) {
      if (format !== 'folded') throw new UsageError('--weight applies to --format folded only')
      weight = WEIGHTS[values.weight]
      if (!weight) throw new UsageError(`--weight "${values.weight}" must be us, samples or bytes`)
    }

    const service = serviceFor(ctx, values.store, 'export-profile')
    const redact = !values['no-redact']
    // Redaction rewrites the profile's JSON objects, which the byte importer does not build: ask for them.
    const loaded = await service.loadProfile(positionals[0] as string, { cwd: ctx.cwd, alloc: values.alloc, keepRaw: redact })
    let tree: CallTree = loaded.tree
    if (redact && loaded.raw) {
      tree =
        loaded.format === 'cpuprofile'
          ? importCpuProfile(redactPaths(loaded.raw as CpuProfileRaw, os.homedir()))
          : importHeapProfile(redactPaths(loaded.raw as HeapProfileRaw, os.homedir()))
    }
    if (weight === 'microseconds' && tree.unit !== 'ms') throw new UsageError('--weight us needs a CPU profile; use bytes or samples')
    if (weight === 'bytes' && tree.unit !== 'bytes') throw new UsageError('--weight bytes needs an allocation profile; use us or samples')

    let data: string | Uint8Array
    if (format === 'folded') data = toFoldedStacks(tree, weight ? { weight } : {})
    else if (format === 'speedscope') {
      const name = loaded.source.runId ?? path.basename(loaded.source.file)
      data = JSON.stringify(toSpeedscope(tree, { name, exporter: 'hotpath' }))
    } else data = gzipSync(toPprof(tree))

    const { file: out } = await service.writeOutputFile(path.resolve(ctx.cwd, values.output), data)
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    if (values.json) printJson(ctx, { file: out, format, bytes, redacted: redact })
    else {
      const rel = path.relative(ctx.cwd, out)
      const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : out
      ctx.stdout.write(`wrote ${format} to ${shown} (${bytes} bytes${redact ? ', home paths redacted' : ''})\n`)
    }
    return EXIT.ok
  },
}
