/** `hotpath export <runId>... -o FILE.tgz`: a bundle of runs to carry to another machine or store. */
import path from 'node:path'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { parseFlags, parseRunIds } from '../shared.js'

export const command: CliCommand = {
  name: 'export',
  summary: 'export runs as a .tgz bundle',
  usage: `Usage: hotpath export <runId>... -o FILE.tgz [--redact-heap] [--store DIR]

Writes the runs' folders (run.json and every artifact, byte for byte) and a manifest into one .tgz.
\`hotpath import FILE.tgz\` on another machine adds them to its store.
Runs are stored redacted (unless captured with --no-redact), but heap snapshots hold the measured
process's strings as V8 wrote them, home paths included; the manifest says so.
  --redact-heap   rewrite home paths (/home/<user>, ~) in heap snapshot strings as they are bundled`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('export', args, { output: { type: 'string', short: 'o' }, store: { type: 'string' }, 'redact-heap': { type: 'boolean' } })
    if (positionals.length === 0) throw new UsageError('name the run ids to export (see `hotpath list`)')
    if (!values.output) throw new UsageError('say where to write the bundle: -o runs.tgz')
    const { file: out } = await serviceFor(ctx, values.store, 'export').exportRunsToFile(
      parseRunIds(positionals),
      path.resolve(ctx.cwd, values.output),
      { redactHeap: values['redact-heap'] === true },
    )
    ctx.stdout.write(`wrote ${positionals.length} run${positionals.length === 1 ? '' : 's'} to ${out}\n`)
    return EXIT.ok
  },
}
