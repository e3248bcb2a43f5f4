/** `hotpath show <runId>`: one saved run, in full. */
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { parseFlags, printJson, parseRunIds } from '../shared.js'
import { describeRunText } from './run.js'

export const command: CliCommand = {
  name: 'show',
  summary: 'show one saved run (metrics, environment, artifacts, errors)',
  usage: `Usage: hotpath show <runId> [--json] [--store DIR]`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('show', args, { json: { type: 'boolean' }, store: { type: 'string' } })
    if (positionals.length !== 1) throw new UsageError('name exactly one run id (see `hotpath list`)')
    const run = await serviceFor(ctx, values.store, 'show').getRun(parseRunIds(positionals)[0]!)
    if (values.json) printJson(ctx, run)
    else ctx.stdout.write(describeRunText(run))
    return EXIT.ok
  },
}
