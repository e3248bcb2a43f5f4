/**
 * electron/main/ipc.ts with the `electron` module mocked (as Electron Fiddle and GitHub Desktop test
 * main): every channel registered once, untrusted senders refused before the service sees anything,
 * replies as envelopes, validation by the real service, and event forwarding to our pages only.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const handlers = vi.hoisted(() => new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>())
vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
      handlers.set(channel, fn)
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  },
}))

import { ipcMain } from 'electron'
import { type WorkbenchApi, apiChannel, apiMethods, eventChannel } from '../../../../core/api/contract.js'
import type { IpcResult } from '../../../../core/api/ipc-result.js'
import { createEventHub } from '../../../../service/event-hub.js'
import { WorkbenchError, createWorkbenchService } from '../../../../service/workbench-service.js'
import { openRunStore } from '../../../../store/run-store.js'
import { createSenderCheck, forwardEvents, isTrustedPageUrl, registerIpc } from '../../../../electron/main/ipc.js'

const APP_INDEX = 'file:///opt/Hotpath/resources/app.asar/dist/renderer/index.html'

function frameEvent(url: string | null, opts: { child?: boolean } = {}): unknown {
  return { senderFrame: url === null ? null : { url, parent: opts.child ? { url: APP_INDEX } : null } }
}

/** A service whose every method records its call and returns the method name. */
function recordingService(): { service: WorkbenchApi; calls: { method: string; args: unknown[] }[] } {
  const calls: { method: string; args: unknown[] }[] = []
  const service = Object.fromEntries(
    apiMethods.map((m) => [
      m,
      async (...args: unknown[]) => {
        calls.push({ method: m, args })
        return `result of ${m}`
      },
    ]),
  ) as unknown as WorkbenchApi
  return { service, calls }
}

const trusted = createSenderCheck({ appIndexUrl: APP_INDEX })

beforeEach(() => {
  handlers.clear()
  vi.mocked(ipcMain.handle).mockClear()
})

describe('registerIpc', () => {
  it('registers exactly one handler per apiChannel entry, and removes them all', () => {
    const { service } = recordingService()
    const unregister = registerIpc(service, trusted)
    expect([...handlers.keys()].sort()).toEqual(Object.values(apiChannel).sort())
    expect(ipcMain.handle).toHaveBeenCalledTimes(apiMethods.length)
    unregister()
    expect(handlers.size).toBe(0)
  })

  it('routes each channel to its own method with the arguments as sent, in an ok envelope', async () => {
    const { service, calls } = recordingService()
    registerIpc(service, trusted)
    for (const method of apiMethods) {
      const reply = await handlers.get(apiChannel[method])!(frameEvent(`${APP_INDEX}#/runs`), 'a', 2)
      expect(reply).toEqual({ ok: true, value: `result of ${method}` })
    }
    expect(calls.map((c) => c.method)).toEqual(apiMethods)
    expect(calls.every((c) => c.args.length === 2 && c.args[0] === 'a' && c.args[1] === 2)).toBe(true)
  })

  it('refuses senders that are not our page before the service is called', async () => {
    const { service, calls } = recordingService()
    const log: string[] = []
    registerIpc(service, trusted, (m) => log.push(m))
    const handler = handlers.get(apiChannel.deleteRun)!
    for (const event of [
      frameEvent('https://evil.example/'),
      frameEvent('file:///tmp/downloaded.html'),
      frameEvent(null),
      frameEvent(APP_INDEX, { child: true }),
      frameEvent('http://127.0.0.1:5173/'),
    ]) {
      await expect(handler(event, '20261123T070000000Z-orderbook-naive-zzzz')).rejects.toThrow(/Rejected deleteRun/)
    }
    expect(calls).toEqual([])
    expect(log).toHaveLength(5)
  })

  it('returns failures as error envelopes with code, message and issues', async () => {
    const { service } = recordingService()
    service.getRun = async () => {
      throw new WorkbenchError('not-found', 'No run x', [])
    }
    service.listRuns = async () => {
      throw new TypeError('boom')
    }
    registerIpc(service, trusted)
    expect(await handlers.get(apiChannel.getRun)!(frameEvent(APP_INDEX))).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No run x' },
    })
    expect(await handlers.get(apiChannel.listRuns)!(frameEvent(APP_INDEX))).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    })
  })

  describe('with the real service', () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-ipc-'))
    })
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it('validates arguments through the service: a bad run request never starts', async () => {
      const service = createWorkbenchService({ store: openRunStore(dir), deps: { listWorkloads: () => [] } })
      registerIpc(service, trusted)
      const reply = (await handlers.get(apiChannel.startRun)!(frameEvent(APP_INDEX), {
        workload: 'orderbook',
        iterations: -1,
        shell: 'rm -rf /',
      })) as IpcResult<unknown>
      expect(reply.ok).toBe(false)
      if (reply.ok) return
      expect(reply.error.code).toBe('bad-request')
      expect(reply.error.issues).toEqual(
        expect.arrayContaining([expect.stringMatching(/^0\.iterations/), expect.stringContaining('shell')]),
      )
      expect(service.activeRunIds()).toEqual([])
      const listed = (await handlers.get(apiChannel.listRuns)!(frameEvent(APP_INDEX))) as IpcResult<unknown>
      expect(listed).toEqual({ ok: true, value: [] })
    })
  })
})

describe('isTrustedPageUrl', () => {
  it('accepts our built index.html with any route, and nothing else', () => {
    expect(isTrustedPageUrl(APP_INDEX, { appIndexUrl: APP_INDEX })).toBe(true)
    expect(isTrustedPageUrl(`${APP_INDEX}?x=1#/compare/a/b`, { appIndexUrl: APP_INDEX })).toBe(true)
    expect(isTrustedPageUrl('file:///opt/Hotpath/resources/app.asar/dist/renderer/other.html', { appIndexUrl: APP_INDEX })).toBe(false)
    expect(
      isTrustedPageUrl('file:///opt/Hotpath/resources/app.asar/dist/renderer/index.html/../../../evil.html', { appIndexUrl: APP_INDEX }),
    ).toBe(false)
    expect(isTrustedPageUrl('file://evil-host/opt/Hotpath/resources/app.asar/dist/renderer/index.html', { appIndexUrl: APP_INDEX })).toBe(
      false,
    )
    expect(isTrustedPageUrl('not a url', { appIndexUrl: APP_INDEX })).toBe(false)
  })

  it('accepts the dev server only when it is configured, and only its origin', () => {
    const dev = { appIndexUrl: APP_INDEX, devServerOrigin: 'http://127.0.0.1:5173' }
    expect(isTrustedPageUrl('http://127.0.0.1:5173/index.html', dev)).toBe(true)
    expect(isTrustedPageUrl('http://127.0.0.1:5174/', dev)).toBe(false)
    expect(isTrustedPageUrl('http://localhost:5173/', dev)).toBe(false)
    expect(isTrustedPageUrl('http://127.0.0.1:5173/', { appIndexUrl: APP_INDEX })).toBe(false)
  })
})

describe('forwardEvents', () => {
  it('sends each event on its own channel to live windows showing our page', () => {
    const hub = createEventHub()
    const make = (url: string, destroyed = false) => ({ send: vi.fn(), isDestroyed: () => destroyed, getURL: () => url })
    const ours = make(`${APP_INDEX}#/runs`)
    const gone = make(APP_INDEX, true)
    const foreign = make('https://evil.example/')
    const off = forwardEvents(
      hub,
      () => [ours, gone, foreign] as never,
      (url) => isTrustedPageUrl(url, { appIndexUrl: APP_INDEX }),
    )
    hub.emit('runsChanged', { reason: 'test' })
    hub.emit('runProgress', { runId: '20261123T070000000Z-orderbook-naive-zzzz', phase: 'timing', fraction: 0.5, overall: 0.5 })
    expect(ours.send.mock.calls).toEqual([
      [eventChannel.runsChanged, { reason: 'test' }],
      [eventChannel.runProgress, expect.objectContaining({ phase: 'timing' })],
    ])
    expect(gone.send).not.toHaveBeenCalled()
    expect(foreign.send).not.toHaveBeenCalled()
    off()
    hub.emit('runsChanged', { reason: 'after' })
    expect(ours.send).toHaveBeenCalledTimes(2)
  })
})
