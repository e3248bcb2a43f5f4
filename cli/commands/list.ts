/** `hotpath list`: the saved runs, newest first, with filters. */
import { type RunFilter, runFilterSchema } from '../../core/api/schemas.js'
import { runStatusSchema as runStatusSchemaForCli } from '../../core/model/run.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { formatCount, formatNs, formatTable, parseFlags, parsePositiveInt, printJson } from '../shared.js'

export const command: CliCommand = {
  name: 'list',
  summary: 'list saved runs (filter by workload, variant, tag, label, status, machine, date)',
  usage: `Usage: hotpath list [--workload W] [--variant V] [--tag T] [--label TEXT] [--status ok|failed|cancelled|timeout|running|interrupted]
                    [--machine TEXT] [--group G] [--since DATE] [--until DATE] [--commit SHA] [--branch B]
                    [--limit N] [--json] [--store DIR]

Lists saved runs, newest first. Runs whose run.json cannot be read are listed on stderr with the reason.`,
  async run(args, ctx) {
    const { values } = parseFlags(
      'list',
      args,
      {
        workload: { type: 'string' },
        variant: { type: 'string' },
        tag: { type: 'string' },
        label: { type: 'string' },
        status: { type: 'string' },
        machine: { type: 'string' },
        group: { type: 'string' },
        commit: { type: 'string' },
        branch: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        store: { type: 'string' },
      },
      false,
    )
    if (values.status && !runStatusSchemaForCli.safeParse(values.status).success) {
      throw new UsageError(`--status "${values.status}": use one of ${runStatusSchemaForCli.options.join(', ')}`)
    }
    for (const flag of ['since', 'until'] as const) {
      if (values[flag] && Number.isNaN(Date.parse(values[flag]!))) throw new UsageError(`--${flag} "${values[flag]}" is not a date (use e.g. 2026-11-23)`)
    }
    if (values.commit && !/^[0-9a-f]{4,64}$/i.test(values.commit)) throw new UsageError(`--commit "${values.commit}": give at least 4 hex digits of a commit`)
    const filter: RunFilter = runFilterSchema.parse({
      ...(values.workload ? { workload: values.workload } : {}),
      ...(values.variant ? { variant: values.variant } : {}),
      ...(values.tag ? { tag: values.tag } : {}),
      ...(values.label ? { label: values.label } : {}),
      ...(values.status ? { status: values.status } : {}),
      ...(values.machine ? { machine: values.machine } : {}),
      ...(values.group ? { group: values.group } : {}),
      ...(values.commit ? { commit: values.commit.toLowerCase() } : {}),
      ...(values.branch ? { branch: values.branch } : {}),
      ...(values.since ? { since: new Date(values.since).toISOString() } : {}),
      ...(values.until ? { until: new Date(values.until).toISOString() } : {}),
    })
    const limit = values.limit !== undefined ? parsePositiveInt('limit', values.limit, 1_000_000) : undefined
    const service = serviceFor(ctx, values.store, 'list')
    const { runs, problems } = await service.listRunsWithProblems(filter)
    const limited = limit !== undefined ? runs.slice(0, limit) : runs
    for (const p of problems) ctx.stderr.write(`hotpath list: skipped ${p.id}: ${p.message}\n`)
    if (values.json) {
      printJson(ctx, limited)
      return EXIT.ok
    }
    if (limited.length === 0) {
      ctx.stdout.write(`No runs in ${service.storeRoot}${Object.keys(filter).length ? ' match the filter' : ''}. Start one with: hotpath run orderbook\n`)
      return EXIT.ok
    }
    const rows = limited.map((r) => [
      r.id,
      r.workload.id,
      r.workload.variant,
      r.status,
      r.opsPerSec !== undefined ? formatCount(r.opsPerSec) : '-',
      r.p99Ns !== undefined ? formatNs(r.p99Ns) : '-',
      r.git ? `${r.git.commit.slice(0, 7)}${r.git.dirty ? '+' : ''}` : '-',
      r.git?.branch ?? '-',
      r.label,
      r.tags.join(','),
    ])
    ctx.stdout.write(formatTable(['ID', 'WORKLOAD', 'VARIANT', 'STATUS', 'OPS/S', 'P99', 'COMMIT', 'BRANCH', 'LABEL', 'TAGS'], rows, ['l', 'l', 'l', 'l', 'r', 'r', 'l', 'l', 'l', 'l']))
    return EXIT.ok
  },
}
