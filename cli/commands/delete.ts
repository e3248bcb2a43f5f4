/** `hotpath delete <runId>...`: removes saved runs (their folders) from the store. */
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { parseFlags, parseRunIds } from '../shared.js'

export const command: CliCommand = {
  name: 'delete',
  summary: 'delete saved runs',
  usage: `Usage: hotpath delete <runId>... [--store DIR]`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('delete', args, { store: { type: 'string' } })
    if (positionals.length === 0) throw new UsageError('name the run ids to delete (see `hotpath list`)')
    // Every id is checked before any is deleted: `delete good bad` deletes nothing and says why.
    const { deleted } = await serviceFor(ctx, values.store, 'delete').deleteRuns(parseRunIds(positionals))
    for (const id of deleted) ctx.stdout.write(`deleted ${id}\n`)
    return EXIT.ok
  },
}
