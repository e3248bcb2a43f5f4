/** `hotpath workloads`: the built-in workloads with their variants and parameters (defaults and limits). */
import { describeParamRange, describeParamRule } from '../../core/model/workload.js'
import { type CliCommand, EXIT } from '../context.js'
import { serviceFor } from '../service.js'
import { parseFlags, printJson } from '../shared.js'

export const command: CliCommand = {
  name: 'workloads',
  summary: 'list workloads, variants, parameters with defaults and limits',
  usage: `Usage: hotpath workloads [--json]

Lists the built-in trading workloads: what one operation is, the variants (naive / optimized / leaky)
and every parameter with its default and limits. --json prints the descriptors as one JSON document.`,
  async run(args, ctx) {
    const { values } = parseFlags('workloads', args, { json: { type: 'boolean' } }, false)
    const descriptors = await serviceFor(ctx, undefined, 'workloads').listWorkloads()
    if (values.json) {
      printJson(ctx, descriptors)
      return EXIT.ok
    }
    const out: string[] = []
    for (const d of descriptors) {
      out.push(`${d.id} — ${d.title}`)
      out.push(`  ${d.description}`)
      out.push(`  operation: ${d.operation}`)
      out.push(`  variants:`)
      for (const v of d.variants) out.push(`    ${v.id.padEnd(12)} [${v.role}]${v.id === d.defaultVariant ? ' (default)' : ''} ${v.description}`)
      const params = Object.entries(d.params)
      if (params.length) {
        out.push(`  params:`)
        for (const [name, spec] of params) out.push(`    ${name.padEnd(18)} ${describeParamRange(spec)}, default ${String(spec.default)} — ${spec.description}`)
      }
      if (d.rules?.length) {
        out.push(`  rules:`)
        for (const rule of d.rules) out.push(`    ${describeParamRule(rule)}${rule.reason ? ` — ${rule.reason}` : ''}`)
      }
      out.push(`  figure to beat: ${d.figureToBeat}`, '')
    }
    ctx.stdout.write(out.join('\n'))
    return EXIT.ok
  },
}
