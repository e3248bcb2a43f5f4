/** `hotpath baseline list|show|delete`: the named baselines saved by `hotpath suite --save-baseline`. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMetricName, METRIC_NAMES } from '../../core/compare/metrics.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { formatTable, parseFlags, parsePercent, printJson } from '../shared.js'
import { reportSuite } from './suite.js'
import { callService, openCliService } from '../workbench.js'

export const command: CliCommand = {
  name: 'baseline',
  summary: 'list, show or delete named baselines (plain files in the store)',
  usage: `Usage: hotpath baseline list [--json] [--store DIR]
       hotpath baseline show NAME [--json] [--store DIR]
       hotpath baseline delete NAME [--store DIR]
       hotpath baseline compare BASE CANDIDATE [--metric M] [--fail-on-regression PCT] [--noise PCT]
                                [-o report.md] [--notes FILE] [--json] [--store DIR]

Baselines are saved by \`hotpath suite --save-baseline NAME\` as <store>/baselines/NAME.json: the runs of
each member, the suite's group and the git commit they were measured at. \`compare\` judges CANDIDATE's runs
against BASE's as \`suite --baseline\` does (one table, the suite score, exit 1 when the gate trips): the CI
flow where base and head are measured in alternating rounds with \`suite --save-baseline NAME --append\`.`,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('baseline', args, {
      json: { type: 'boolean' },
      store: { type: 'string' },
      metric: { type: 'string' },
      'fail-on-regression': { type: 'string' },
      noise: { type: 'string' },
      output: { type: 'string', short: 'o' },
      notes: { type: 'string' },
    })
    const [action, name, ...rest] = positionals
    if (action === 'compare') {
      const candidate = rest[0]
      if (!name || !candidate || rest.length > 1)
        throw new UsageError('name the base and the candidate baselines: hotpath baseline compare base head')
      const metricText = values.metric ?? 'opsPerSec'
      if (!isMetricName(metricText)) throw new UsageError(`--metric "${metricText}" is not one of ${METRIC_NAMES.join(', ')}`)
      const notes = values.notes
        ? await readFile(path.resolve(ctx.cwd, values.notes), 'utf8').catch(() => {
            throw new UsageError(`--notes ${values.notes}: no such file`)
          })
        : undefined
      const service = openCliService(values.store, ctx)
      const result = await callService(
        service.compareBaselines(name, candidate, {
          metric: metricText,
          ...(values['fail-on-regression'] !== undefined
            ? { maxRegression: parsePercent('fail-on-regression', values['fail-on-regression']) }
            : {}),
          ...(values.noise !== undefined ? { noise: parsePercent('noise', values.noise) } : {}),
        }),
      )
      const git = (await callService(service.getBaseline(candidate))).git
      return reportSuite(result, ctx, {
        metric: metricText,
        ...(values.output ? { output: values.output } : {}),
        ...(values.json ? { json: true } : {}),
        ...(notes ? { notes } : {}),
        ...(git ? { candidateGit: git } : {}),
      })
    }
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`)
    const service = openCliService(values.store, ctx)
    switch (action) {
      case 'list': {
        if (name) throw new UsageError('baseline list takes no name')
        const list = await callService(service.listBaselines())
        if (values.json) printJson(ctx, list)
        else if (list.length === 0)
          ctx.stdout.write(
            `No baselines in ${service.storeRoot}. Save one with: hotpath suite --workloads orderbook --repeat 5 --save-baseline main\n`,
          )
        else
          ctx.stdout.write(
            formatTable(
              ['NAME', 'CREATED', 'COMMIT', 'BRANCH', 'MEMBERS', 'RUNS'],
              list.map((b) => [
                b.name,
                b.createdAt.slice(0, 19).replace('T', ' '),
                b.git ? `${b.git.commit.slice(0, 7)}${b.git.dirty ? '+' : ''}` : '-',
                b.git?.branch ?? '-',
                String(b.members),
                String(b.runs),
              ]),
              ['l', 'l', 'l', 'l', 'r', 'r'],
            ),
          )
        return EXIT.ok
      }
      case 'show': {
        if (!name) throw new UsageError('name a baseline (see hotpath baseline list)')
        const b = await callService(service.getBaseline(name))
        if (values.json) printJson(ctx, b)
        else {
          ctx.stdout.write(
            `${b.name}  saved ${b.createdAt}  group ${b.group}${b.git ? `  at ${b.git.commit.slice(0, 10)}${b.git.branch ? ` on ${b.git.branch}` : ''}${b.git.subject ? ` "${b.git.subject}"` : ''}` : ''}\n`,
          )
          ctx.stdout.write(
            formatTable(
              ['MEMBER', 'FILE', 'RUNS'],
              b.members.map((m) => [m.key, m.file ?? '-', m.runIds.join(' ')]),
            ),
          )
        }
        return EXIT.ok
      }
      case 'delete': {
        if (!name) throw new UsageError('name a baseline to delete')
        const { deleted } = await callService(service.deleteBaseline(name))
        if (!deleted) throw new UsageError(`no baseline "${name}" in ${service.storeRoot} (see hotpath baseline list)`)
        ctx.stdout.write(`Deleted baseline ${name} (its runs stay in the store).\n`)
        return EXIT.ok
      }
      default:
        throw new UsageError(`${action ? `unknown action "${action}"; ` : ''}use list, show NAME, delete NAME or compare BASE CANDIDATE`)
    }
  },
}
