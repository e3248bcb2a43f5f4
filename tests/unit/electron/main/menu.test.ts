/** The application menu template: standard menus per platform, and File > Import… / Export All Runs… wired to their actions. */
import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({ Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => t) } }))

import type { MenuItemConstructorOptions } from 'electron'
import { buildMenuTemplate } from '../../../../electron/main/menu.js'

const labels = (items: MenuItemConstructorOptions[]): string[] => items.map((i) => i.label ?? i.role ?? i.type ?? '?')
const submenu = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] =>
  (item?.submenu as MenuItemConstructorOptions[]) ?? []

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Window menus, with About under Help off macOS', () => {
    const actions = { importFiles: vi.fn(), exportAllRuns: vi.fn(), chooseWorkloadsFolder: vi.fn() }
    expect(labels(buildMenuTemplate(actions, { isMac: false, appName: 'Hotpath', devTools: false }))).toEqual([
      'File',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ])
    expect(labels(buildMenuTemplate(actions, { isMac: true, appName: 'Hotpath', devTools: false }))).toEqual([
      'Hotpath',
      'File',
      'editMenu',
      'View',
      'windowMenu',
    ])
  })

  it('wires Import… and Export All Runs… to their actions with shortcuts', () => {
    const actions = { importFiles: vi.fn(), exportAllRuns: vi.fn(), chooseWorkloadsFolder: vi.fn() }
    const file = submenu(buildMenuTemplate(actions, { isMac: false, appName: 'Hotpath', devTools: false })[0])
    const importItem = file.find((i) => i.label === 'Import…')!
    const exportItem = file.find((i) => i.label === 'Export All Runs…')!
    expect(importItem.accelerator).toBe('CmdOrCtrl+O')
    ;(importItem.click as () => void)()
    expect(actions.importFiles).toHaveBeenCalledTimes(1)
    expect(actions.exportAllRuns).not.toHaveBeenCalled()
    ;(exportItem.click as () => void)()
    expect(actions.exportAllRuns).toHaveBeenCalledTimes(1)
    expect(actions.chooseWorkloadsFolder).not.toHaveBeenCalled()
    ;(file.find((i) => i.label === 'Workloads Folder…')!.click as () => void)()
    expect(actions.chooseWorkloadsFolder).toHaveBeenCalledTimes(1)
    expect(file.at(-1)?.role).toBe('quit')
  })

  it('offers DevTools only when allowed', () => {
    const actions = { importFiles: vi.fn(), exportAllRuns: vi.fn(), chooseWorkloadsFolder: vi.fn() }
    const view = (devTools: boolean) =>
      submenu(buildMenuTemplate(actions, { isMac: false, appName: 'Hotpath', devTools }).find((i) => i.label === 'View')).map((i) => i.role)
    expect(view(false)).not.toContain('toggleDevTools')
    expect(view(true)).toContain('toggleDevTools')
    expect(view(false)).toEqual(expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']))
  })
})
