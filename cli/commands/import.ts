/** `hotpath import FILE...`: adds runs from bundles (.tgz) or single profile files of any format Hotpath reads. */
import path from 'node:path'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { WorkbenchError, serviceFor } from '../service.js'
import { parseFlags, printJson } from '../shared.js'
import { progressBar } from './top.js'

export const command: CliCommand = {
  name: 'import',
  summary: 'import a bundle (.tgz) or a profile file (.cpuprofile, .heapsnapshot, .heapprofile, trace, speedscope, pprof)',
  usage: `Usage: hotpath import FILE... [--json] [--store DIR]

A bundle's runs are checked (paths, sizes, schema, artifact checksums) before anything lands in the
store; runs already in the store are left unchanged. A profile file becomes a run of kind "imported":
.cpuprofile (modern and legacy layouts), .heapsnapshot, .heapprofile, and, converted to a .cpuprofile
(the run keeps what it was converted from): Chrome/Edge trace JSON (its main thread), speedscope JSON,
pprof (.pb.gz) and V8 --prof tick logs preprocessed to JSON. Other files are refused, naming the format
detected.`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('import', args, { json: { type: 'boolean' }, store: { type: 'string' } })
    if (positionals.length === 0) throw new UsageError('name the files to import')
    const service = serviceFor(ctx, values.store, 'import')
    const results = []
    let failed = 0
    for (const file of positionals) {
      const abs = path.resolve(ctx.cwd, file)
      try {
        const progress = progressBar(ctx, 'checking')
        let result
        try {
          result = await service.importLocalFile(abs, { onProgress: progress.update })
        } finally {
          progress.done()
        }
        results.push({ file, ...result })
        if (!values.json) {
          for (const id of result.imported) ctx.stdout.write(`imported ${id}\n`)
          for (const s of result.skipped) ctx.stderr.write(`hotpath import: skipped ${s.id}: ${s.reason}\n`)
        }
      } catch (err) {
        failed++
        const message = err instanceof WorkbenchError && err.code !== 'internal' ? err.message : `${file}: ${(err as Error).message}`
        results.push({ file, error: message })
        ctx.stderr.write(`hotpath import: ${message}\n`)
      }
    }
    if (values.json) printJson(ctx, results)
    return failed > 0 ? EXIT.usage : EXIT.ok
  },
}
