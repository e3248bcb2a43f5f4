/**
 * The application menu: the platform's usual App/Edit/View/Window menus plus File > Import… and
 * File > Export All Runs…. The template is plain data so tests can read it without Electron.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  importFiles(): void
  exportAllRuns(): void
  /** File > Workloads Folder…: the folder dialog; Launch lists that folder's workload files. */
  chooseWorkloadsFolder(): void
}

export function buildMenuTemplate(
  actions: MenuActions,
  opts: { isMac: boolean; appName: string; devTools: boolean },
): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFiles() },
      { label: 'Export All Runs…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportAllRuns() },
      { label: 'Workloads Folder…', click: () => actions.chooseWorkloadsFolder() },
      { type: 'separator' },
      opts.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(opts.devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
  return [
    ...(opts.isMac ? [{ label: opts.appName, role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    // macOS has About in the app menu; elsewhere it lives under Help.
    ...(opts.isMac ? [] : [{ role: 'help', submenu: [{ role: 'about' }] } as MenuItemConstructorOptions]),
  ]
}

export function installAppMenu(actions: MenuActions, opts: { isMac: boolean; appName: string; devTools: boolean }): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(actions, opts)))
}
