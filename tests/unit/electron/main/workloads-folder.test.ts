/**
 * The desktop Workloads folder setting over IPC, with `electron` mocked: the Launch view's Choose… sends
 * chooseWorkloadFolder, main opens the folder dialog (mocked), the service checks the folder, saves it to
 * settings.json (atomically) and lists its files from then on; a cancelled dialog changes nothing; a new
 * service started from the saved settings lists the same folder. Untrusted senders never reach the dialog.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const handlers = vi.hoisted(() => new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>())
const picks = vi.hoisted(() => ({ next: [] as ({ canceled: boolean; filePaths: string[] })[], asked: [] as unknown[] }))
vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => handlers.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  },
  dialog: {
    showOpenDialog: vi.fn(async (...args: unknown[]) => {
      picks.asked.push(args.at(-1))
      return picks.next.shift() ?? { canceled: true, filePaths: [] }
    }),
  },
}))

import { apiChannel } from '../../../../core/api/contract.js'
import type { IpcResult } from '../../../../core/api/ipc-result.js'
import type { WorkloadFolder } from '../../../../core/api/schemas.js'
import { createSenderCheck, registerIpc } from '../../../../electron/main/ipc.js'
import { savedWorkloadsFolder, workloadFolderSetting } from '../../../../electron/main/workloads-folder.js'
import { createWorkbenchService } from '../../../../service/workbench-service.js'
import { openRunStore } from '../../../../store/run-store.js'

const APP_INDEX = 'file:///opt/Hotpath/resources/app.asar/dist/renderer/index.html'
const fromApp = { senderFrame: { url: APP_INDEX, parent: null } }
const trusted = createSenderCheck({ appIndexUrl: APP_INDEX })

let dir: string
beforeEach(async () => {
  handlers.clear()
  picks.next = []
  picks.asked = []
  dir = await mkdtemp(path.join(os.tmpdir(), 'hotpath-desktop-folder-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function invoke<T>(channel: string, event: unknown = fromApp): Promise<IpcResult<T>> {
  return (await handlers.get(channel)!(event)) as IpcResult<T>
}

describe('the desktop workloads folder setting', () => {
  it('is chosen with the folder dialog over IPC, saved to settings.json and used for listing', async () => {
    const userData = path.join(dir, 'userData')
    await mkdir(userData)
    const settingsFile = path.join(userData, 'settings.json')
    const folder = path.join(dir, 'benches')
    await mkdir(folder)
    await writeFile(path.join(folder, 'broken.bench.ts'), 'export default defineWorkload({ id: "x", \n  oops oops\n')
    const service = createWorkbenchService({
      store: openRunStore(path.join(dir, 'store')),
      log: () => undefined,
      workloadFiles: { allowOutside: false },
      workloadFolderSetting: workloadFolderSetting(settingsFile, () => undefined),
    })
    registerIpc(service, trusted)

    const before = await invoke<WorkloadFolder>(apiChannel.getWorkloadFolder)
    expect(before).toEqual({ ok: true, value: { folder: null, problems: [], canChoose: true } })

    // Cancelled: nothing saved, nothing changed.
    picks.next.push({ canceled: true, filePaths: [] })
    const cancelled = await invoke<WorkloadFolder>(apiChannel.chooseWorkloadFolder)
    expect(cancelled.ok && cancelled.value.folder).toBe(null)
    expect(await readdir(userData)).toEqual([])

    picks.next.push({ canceled: false, filePaths: [folder] })
    const chosen = await invoke<WorkloadFolder>(apiChannel.chooseWorkloadFolder)
    expect(chosen.ok).toBe(true)
    if (!chosen.ok) return
    expect(chosen.value.folder).toBe(path.resolve(folder))
    expect(chosen.value.problems).toHaveLength(1)
    expect(chosen.value.problems[0]).toMatchObject({ file: 'broken.bench.ts', line: expect.any(Number) as number })
    expect(picks.asked.at(-1)).toMatchObject({ properties: ['openDirectory', 'createDirectory'] })
    // Saved atomically: the settings file and no temp file beside it.
    expect(await readdir(userData)).toEqual(['settings.json'])
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toEqual({ schemaVersion: 1, workloadsFolder: path.resolve(folder) })
    // The next dialog opens on the saved folder.
    await invoke(apiChannel.chooseWorkloadFolder)
    expect(picks.asked.at(-1)).toMatchObject({ defaultPath: path.resolve(folder) })

    // A restart reads it back.
    expect(await savedWorkloadsFolder(settingsFile, () => undefined)).toBe(path.resolve(folder))
    await service.dispose()
  }, 60_000)

  it('refuses a chosen path that is not a folder, keeping the old setting, and ignores a broken settings file at startup', async () => {
    const settingsFile = path.join(dir, 'settings.json')
    const service = createWorkbenchService({
      store: openRunStore(path.join(dir, 'store')),
      log: () => undefined,
      workloadFolderSetting: workloadFolderSetting(settingsFile, () => undefined),
    })
    registerIpc(service, trusted)
    const file = path.join(dir, 'a-file.txt')
    await writeFile(file, 'x')
    picks.next.push({ canceled: false, filePaths: [file] })
    const reply = await invoke<WorkloadFolder>(apiChannel.chooseWorkloadFolder)
    expect(reply).toEqual({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('is not a folder') as string } })
    await expect(readFile(settingsFile)).rejects.toThrow(/ENOENT/)

    await writeFile(settingsFile, '{ not json')
    const log: string[] = []
    expect(await savedWorkloadsFolder(settingsFile, (m) => log.push(m))).toBeUndefined()
    expect(log[0]).toMatch(/settings ignored: .*not JSON/)
    await service.dispose()
  })

  it('never opens the dialog for a sender that is not our page', async () => {
    const service = createWorkbenchService({
      store: openRunStore(path.join(dir, 'store')),
      log: () => undefined,
      workloadFolderSetting: workloadFolderSetting(path.join(dir, 'settings.json'), () => undefined),
    })
    registerIpc(service, trusted, () => undefined)
    await expect(handlers.get(apiChannel.chooseWorkloadFolder)!({ senderFrame: { url: 'https://evil.example/', parent: null } })).rejects.toThrow(/Rejected/)
    expect(picks.asked).toEqual([])
    await service.dispose()
  })

  it('is refused where no setting exists (the CLI, serve)', async () => {
    const service = createWorkbenchService({ store: openRunStore(path.join(dir, 'store')), log: () => undefined })
    await expect(service.chooseWorkloadFolder()).rejects.toThrow(/hotpath serve --workloads DIR/)
    expect(await service.getWorkloadFolder()).toEqual({ folder: null, problems: [], canChoose: false })
    await service.dispose()
  })
})
