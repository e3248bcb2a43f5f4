/** `hotpath list`: the saved runs, newest first, with filters. */
import { type RunFilter, runFilterSchema } from '../../core/api/schemas.js'
import { runStatusSchema as runStatusSchemaForCli } from '../../core/model/run.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { serviceFor } from '../service.js'
import { formatCount, formatNs, formatTable, parseFlags, parsePositiveInt, printJson } from '../shared.js'

/** Rows the table shows when no --limit or --all is given (a store can hold 100,000 runs). */
const DEFAULT_LIMIT = 100

function parseOffset(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--offset "${text}": give a whole number of runs to skip (0 or more)`)
  return Number(text)
}

export const command: CliCommand = {
  name: 'list',
  summary: 'list saved runs (filter by workload, variant, tag, label, status, machine, date)',
  usage: `Usage: hotpath list [--workload W] [--variant V] [--tag T] [--label TEXT] [--status ok|failed|cancelled|timeout|running|interrupted]
                    [--machine TEXT] [--group G] [--since DATE] [--until DATE] [--commit SHA] [--branch B]
                    [--limit N] [--offset N] [--all] [--json] [--store DIR]

Lists saved runs, newest first. The table shows the newest ${DEFAULT_LIMIT} (--limit N, --offset N to page,
--all for every run); --json prints every match unless --limit is given. Runs whose run.json cannot be
read are listed on stderr with the reason.`,
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
        offset: { type: 'string' },
        all: { type: 'boolean' },
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
    if (values.all && values.limit !== undefined) throw new UsageError('--all and --limit: give one of them')
    const limit = values.limit !== undefined ? parsePositiveInt('limit', values.limit, 1_000_000) : values.all || values.json ? undefined : DEFAULT_LIMIT
    const offset = values.offset !== undefined ? parseOffset(values.offset) : 0
    const service = serviceFor(ctx, values.store, 'list')
    const { runs: limited, total, problems } = await service.listRunsWithProblems(filter, { offset, ...(limit !== undefined ? { limit } : {}) })
    for (const p of problems) ctx.stderr.write(`hotpath list: skipped ${p.id}: ${p.message}\n`)
    if (values.json) {
      printJson(ctx, limited)
      return EXIT.ok
    }
    if (limited.length === 0 && total > 0) {
      ctx.stdout.write(`No runs after --offset ${offset}: ${formatCount(total)} match.\n`)
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
    if (offset > 0 || limited.length < total) {
      const next = offset + limited.length < total ? `; --offset ${offset + limited.length} for the next page, --all for every run` : ''
      ctx.stdout.write(`Runs ${offset + 1}-${offset + limited.length} of ${total} (newest first)${next}.\n`)
    }
    return EXIT.ok
  },
}
