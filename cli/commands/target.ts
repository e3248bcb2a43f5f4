/** `hotpath target add|list|remove|check|pull`: machines to run workloads on over SSH. */
import { formatBytes } from '../../core/format/bytes.js'
import { describeTargetAddress } from '../../core/model/target.js'
import { type CliCommand, EXIT, UsageError } from '../context.js'
import { formatTable, parseFlags, printJson } from '../shared.js'
import { asUsage } from '../remote-shared.js'
import { serviceFor } from '../service.js'

const usage = `Usage: hotpath target <add|list|remove|check|pull> ...

  hotpath target add NAME ssh://[user@]host[:port] [--identity FILE] [--node PATH] [--jump HOST] [--cache-dir DIR]
  hotpath target list [--json]
  hotpath target remove NAME
  hotpath target check NAME [--json]     reachability, the target's Node (or that there is none), free disk
  hotpath target pull NAME               fetch runs whose pull broke off, without re-running them

Targets are kept in the app's config folder (HOTPATH_CONFIG, else ~/.config/hotpath), not in run stores.
Authentication is your SSH's: keys, ssh-agent, ~/.ssh/config and known_hosts. Hotpath calls the system
ssh client with BatchMode=yes and StrictHostKeyChecking=yes: it never asks for or stores a password and
never accepts an unknown or changed host key. HOTPATH_SSH_CONFIG=FILE passes -F FILE to every call.

  --identity FILE   private key on this machine (ssh -i)
  --node PATH       Node binary on the target (default: node on the target's PATH)
  --jump HOST       reach the target through a jump host (ssh -J [user@]host[:port])
  --cache-dir DIR   runner cache on the target (default ~/.cache/hotpath)

Then: hotpath run <workload> --on NAME[,NAME...]   and   hotpath compare --by target`

export const command: CliCommand = {
  name: 'target',
  summary: 'machines to run on over SSH: add, list, remove, check, pull',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args
    const { values, positionals } = parseFlags(`target`, rest, {
      identity: { type: 'string' },
      node: { type: 'string' },
      jump: { type: 'string' },
      'cache-dir': { type: 'string' },
      json: { type: 'boolean' },
      store: { type: 'string' },
    })
    const service = serviceFor(ctx, values.store, 'target')
    const remote = service.targets
    const needName = (what: string): string => {
      const name = positionals[0]
      if (!name) throw new UsageError(`name the target: hotpath target ${what} NAME`)
      if (positionals.length > (what === 'add' ? 2 : 1)) throw new UsageError(`unexpected arguments: ${positionals.slice(what === 'add' ? 2 : 1).join(' ')}`)
      return name
    }
    switch (sub) {
      case 'add': {
        const name = needName('add')
        const url = positionals[1]
        if (!url) throw new UsageError('give the target\'s address: hotpath target add NAME ssh://[user@]host[:port]')
        const target = await asUsage(() =>
          remote.addTarget({
            name,
            url,
            ...(values.identity ? { identity: values.identity } : {}),
            ...(values.node ? { node: values.node } : {}),
            ...(values.jump ? { jump: values.jump } : {}),
            ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}),
          }),
        )
        if (values.json) printJson(ctx, target)
        else ctx.stdout.write(`added target ${target.name} (${target.url}); check it with: hotpath target check ${target.name}\n`)
        return EXIT.ok
      }
      case 'list': {
        const targets = await asUsage(() => remote.listTargets())
        if (values.json) printJson(ctx, targets)
        else if (targets.length === 0) ctx.stdout.write('no targets; add one with: hotpath target add NAME ssh://[user@]host[:port]\n')
        else ctx.stdout.write(formatTable(['NAME', 'ADDRESS', 'NODE', 'JUMP', 'IDENTITY'], targets.map((t) => [t.name, t.url, t.node ?? '(PATH)', t.jump ?? '-', t.identity ?? '-'])))
        return EXIT.ok
      }
      case 'remove': {
        const name = needName('remove')
        await asUsage(() => remote.removeTarget(name))
        if (!values.json) ctx.stdout.write(`removed target ${name}\n`)
        else printJson(ctx, { removed: name })
        return EXIT.ok
      }
      case 'check': {
        const name = needName('check')
        const check = await asUsage(() => remote.checkTarget(name, ctx.signal))
        if (values.json) {
          printJson(ctx, check)
        } else {
          const where = describeTargetAddress(check.target)
          if (!check.reachable) {
            ctx.stdout.write(`${name}  reachable  no: ${check.error}\n`)
            return EXIT.workloadFailed
          }
          ctx.stdout.write(`${name}  reachable  yes: ${where}, ${check.os?.platform} ${check.os?.arch}, ${Math.round(check.latencyMs ?? 0)} ms round trip\n`)
          ctx.stdout.write(`${name}  node       ${check.node && !check.nodeProblem ? `${check.node.version} at ${check.node.path}` : `none: ${check.nodeProblem ?? 'not found'} (give --node PATH, or run with --ship-node)`}\n`)
          ctx.stdout.write(`${name}  disk       ${check.disk ? `${formatBytes(check.disk.freeBytes)} free in ${check.disk.path} (runner cache ${check.cacheDir})` : 'unknown (df gave no answer)'}\n`)
        }
        return check.reachable ? EXIT.ok : EXIT.workloadFailed
      }
      case 'pull': {
        const name = needName('pull')
        const result = await asUsage(() => remote.pullPending(name))
        if (values.json) printJson(ctx, result)
        else ctx.stdout.write(result.jobs === 0 ? `nothing to pull from ${name}\n` : `pulled ${result.imported.length} run(s) from ${name}: ${result.imported.join(' ')}\n`)
        return EXIT.ok
      }
      default:
        throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'name a subcommand'}: add, list, remove, check or pull`)
    }
  },
}
