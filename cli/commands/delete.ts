/** `hotpath delete <runId>...`: removes saved runs (their folders) from the store. */
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { parseFlags, storeFromFlag } from '../shared.js'

export const command: CliCommand = {
  name: 'delete',
  summary: 'delete saved runs',
  usage: `Usage: hotpath delete <runId>... [--store DIR]`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('delete', args, { store: { type: 'string' } })
    if (positionals.length === 0) throw new UsageError('name the run ids to delete (see `hotpath list`)')
    const store = storeFromFlag(values.store, ctx)
    let missing = 0
    for (const id of positionals) {
      if (await store.delete(id)) ctx.stdout.write(`deleted ${id}\n`)
      else {
        missing++
        ctx.stderr.write(`hotpath delete: no run ${id} in ${store.root}\n`)
      }
    }
    return missing > 0 ? EXIT.usage : EXIT.ok
  },
}
