/** `hotpath profile -- <command...>`: profiles any Node command and saves it as a run of kind "custom". */
import { profileKindSchema, type ProfileKind } from '../../core/model/run.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { DEFAULT_TIMEOUT_MS } from '../../service/index.js'
import { DEFAULT_SAMPLING_INTERVAL_US } from '../../core/model/run-layout.js'
import { serviceFor } from '../service.js'
import { parseDurationMs, parseFlags, parsePositiveInt, printJson } from '../shared.js'
import { describeRunText } from './run.js'

export const command: CliCommand = {
  name: 'profile',
  summary: 'profile any Node command (not only built-in workloads)',
  usage: `Usage: hotpath profile [--profile cpu,heap,alloc] [--sampling-interval US] [--label L] [--tag T]...
                       [--timeout 10m] [--no-redact] [--store DIR] [--json] -- <command...>

Runs the command with a preload (through NODE_OPTIONS, so every Node process it starts is profiled too)
that records a CPU profile, an allocation profile and/or a heap snapshot at exit; samples its CPU and
memory, and saves a run of kind "custom" (redacted like \`hotpath run\`; --no-redact keeps identifiers). Default --profile cpu. Example: hotpath profile -- node server-benchmark.js --requests 1000`,
  async run(args, ctx) {
    const split = args.indexOf('--')
    if (split < 0 || split === args.length - 1) throw new UsageError('put the command after --, e.g. hotpath profile -- node app.js')
    const { values, positionals } = parseFlags(
      'profile',
      args.slice(0, split),
      {
        profile: { type: 'string' },
        'sampling-interval': { type: 'string' },
        label: { type: 'string' },
        tag: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        store: { type: 'string' },
        'no-redact': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      false,
    )
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')} before --`)
    const kinds = (values.profile ?? 'cpu').split(',').map((s) => s.trim()).filter(Boolean)
    for (const k of kinds) {
      if (!profileKindSchema.safeParse(k).success || k === '0x') throw new UsageError(`--profile "${k}": use cpu, heap and/or alloc`)
    }
    const run = await serviceFor(ctx, values.store, 'profile').profileCommand({
      command: args.slice(split + 1),
      profile: kinds as ProfileKind[],
      samplingIntervalUs: values['sampling-interval'] ? parsePositiveInt('sampling-interval', values['sampling-interval'], 100_000) : DEFAULT_SAMPLING_INTERVAL_US,
      ...(values.label ? { label: values.label } : {}),
      ...(values.tag ? { tags: values.tag } : {}),
      ...(values['no-redact'] ? { redact: false } : {}),
      timeoutMs: values.timeout ? parseDurationMs('timeout', values.timeout) : DEFAULT_TIMEOUT_MS,
      cwd: ctx.cwd,
      env: ctx.env,
      signal: ctx.signal,
      ...(values.json ? {} : { stdout: ctx.stderr, stderr: ctx.stderr }),
    })
    if (values.json) printJson(ctx, run)
    else ctx.stdout.write(describeRunText(run))
    return run.status === 'ok' ? EXIT.ok : EXIT.workloadFailed
  },
}
