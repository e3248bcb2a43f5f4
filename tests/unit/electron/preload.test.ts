/**
 * The preload with `electron` mocked: it exposes exactly the contract's methods plus `on`, each method
 * invokes its own channel, errors come back as plain objects (their fields survive contextBridge), and
 * events subscribe on their own channels. The built CommonJS bundle is checked the same way inside a
 * sandbox-like context whose require() knows only "electron".
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}))
vi.mock('electron', () => electron)

import { apiChannel, apiMethods, eventChannel, eventNames } from '../../../core/api/contract.js'
import '../../../electron/preload/index.js'

type Exposed = Record<string, (...args: unknown[]) => unknown>

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const exposedCall = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Exposed] | undefined

beforeEach(() => {
  electron.ipcRenderer.invoke.mockReset()
  electron.ipcRenderer.on.mockReset()
  electron.ipcRenderer.removeListener.mockReset()
})

/** The checks shared by the TypeScript module and the built bundle. */
function checkBridge(get: () => { name: string; api: Exposed }, ipc: typeof electron.ipcRenderer): void {
  it('exposes window.workbench with exactly the contract’s methods and on()', () => {
    const { name, api } = get()
    expect(name).toBe('workbench')
    expect(Object.keys(api).sort()).toEqual([...apiMethods, 'on'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('invokes each method on its own channel with its arguments, unwrapping the envelope', async () => {
    const { api } = get()
    for (const method of apiMethods) {
      ipc.invoke.mockResolvedValueOnce({ ok: true, value: `value of ${method}` })
      await expect(api[method]!('x', 7)).resolves.toBe(`value of ${method}`)
      expect(ipc.invoke).toHaveBeenLastCalledWith(apiChannel[method], 'x', 7)
    }
    expect(ipc.invoke).toHaveBeenCalledTimes(apiMethods.length)
  })

  it('rejects with a plain {name, code, message, issues} object on an error envelope', async () => {
    const { api } = get()
    ipc.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'bad-request', message: 'Invalid arguments for startRun', issues: ['0.iterations: Too small'] },
    })
    const err = await (api.startRun!({}) as Promise<unknown>).catch((e: unknown) => e)
    expect(err).toEqual({
      name: 'WorkbenchError',
      code: 'bad-request',
      message: 'Invalid arguments for startRun',
      issues: ['0.iterations: Too small'],
    })
    expect(err instanceof Error).toBe(false)
  })

  it('subscribes each event on its own channel, hides the IPC event object, and unsubscribes', () => {
    const { api } = get()
    for (const name of eventNames) {
      const listener = vi.fn()
      const off = api.on!(name, listener) as () => void
      const [channel, handler] = ipc.on.mock.calls.at(-1) as [string, (...a: unknown[]) => void]
      expect(channel).toBe(eventChannel[name])
      handler({ sender: 'secret ipc object' }, { reason: 'x' })
      expect(listener).toHaveBeenCalledWith({ reason: 'x' })
      expect(listener.mock.calls[0]).toHaveLength(1)
      off()
      expect(ipc.removeListener).toHaveBeenLastCalledWith(channel, handler)
    }
    expect(() => api.on!('__proto__', vi.fn())).toThrow(/Unknown event/)
    expect(() => api.on!('ipc-internal', vi.fn())).toThrow(/Unknown event/)
  })
}

describe('electron/preload/index.ts', () => {
  checkBridge(() => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    return { name: exposedCall![0], api: exposedCall![1] }
  }, electron.ipcRenderer)
})

describe('dist/electron/preload/index.cjs (the bundle Electron loads)', () => {
  const bundle = path.join(root, 'dist', 'electron', 'preload', 'index.cjs')
  const ipc = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() }
  let exposed: { name: string; api: Exposed } | undefined
  const load = (): { name: string; api: Exposed } => {
    if (exposed) return exposed
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` (scripts/build-preload.mjs) first; npm test does`)
    const required: string[] = []
    const sandboxRequire = (name: string): unknown => {
      required.push(name)
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`)
      return { contextBridge: { exposeInMainWorld: (n: string, api: Exposed) => (exposed = { name: n, api }) }, ipcRenderer: ipc }
    }
    const module = { exports: {} }
    vm.runInNewContext(readFileSync(bundle, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console, Promise })
    expect(required).toEqual(['electron'])
    if (!exposed) throw new Error('the bundle did not call exposeInMainWorld')
    return exposed
  }
  beforeEach(() => {
    ipc.invoke.mockReset()
    ipc.on.mockReset()
    ipc.removeListener.mockReset()
  })
  checkBridge(load, ipc)
})
