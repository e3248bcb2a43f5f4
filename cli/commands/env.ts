/** `hotpath env`: the environment report a support engineer pastes into a ticket; redacted by default. */
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { parseFlags, printJson } from '../shared.js'

export const command: CliCommand = {
  name: 'env',
  summary: 'print the environment report (Markdown or JSON), redacted by default',
  usage: `Usage: hotpath env [--format md|json] [--no-redact] [--fresh]

Prints OS, CPU, cores, caches, memory, virtualization, power, load and runtime facts.
Redacted by default: host name, user name, machine id, serial numbers, UUIDs, MAC and IP addresses,
Wi-Fi SSIDs and home-directory paths. --no-redact keeps them (do not paste that publicly).
--fresh re-reads the static facts instead of using the per-boot cache.`,
  async run(args, ctx) {
    const { values } = parseFlags('env', args, { format: { type: 'string' }, 'no-redact': { type: 'boolean' }, fresh: { type: 'boolean' }, json: { type: 'boolean' } }, false)
    const format = values.json ? 'json' : (values.format ?? 'md')
    if (format !== 'md' && format !== 'json' && format !== 'markdown') throw new UsageError(`--format "${format}": use md or json`)
    const report = await serviceFor(ctx, undefined, 'env').getEnvironment({ redact: !values['no-redact'], ...(values.fresh ? { fresh: true } : {}) })
    if (format === 'json') printJson(ctx, report.environment)
    else ctx.stdout.write(report.markdown)
    return EXIT.ok
  },
}
