/**
 * UI defects found in use (issue #13, item 6), in Chromium against the real `hotpath serve`: the Launch
 * form shows a rule between parameters from the workload's descriptor (backtest: exitZ below entryZ)
 * next to both fields with Run disabled, asks the engine about a Node runtime path as it is typed, and
 * starts a sweep from a parameter with several values ("workers 1, 2": one run per value, grouped); the
 * Runs view offers the Sweep button without filtering to one group, and a run's sweep marker stays
 * whole beside a long label.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppPage, launchBrowser, openPage, screenshot, forEachLook } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { eventually, goTo, runRow } from './helpers/ui.js'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page

let notExecutable: string
const LONG_LABEL = 'a sweep with a label long enough to fill the label column of the runs list'

beforeAll(async () => {
  store = await makeTempStore('hotpath-e2e-ui-defects-')
  notExecutable = path.join(store.dir, 'not-node.txt')
  await writeFile(notExecutable, 'not a program\n', { mode: 0o644 })
  const quick = ['--duration', '300ms', '--warmup', '100ms']
  await hotpathJson(
    ['sweep', 'orderbook', '--variant', 'optimized', '--param', 'levels=100,400', ...quick, '--label', LONG_LABEL],
    store.dir,
  )
  await hotpathJson(['run', 'orderbook', '--variant', 'naive', ...quick, '--label', 'lone run'], store.dir)
  serve = await startServe(store.dir)
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
  await page.goto(serve.url)
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

const runButton = (p: Page) => p.locator('.launch-footer button[type="submit"]')
const paramField = (p: Page, name: string) => p.locator('.field', { has: p.locator(`#param-${name}`) })

async function openBacktest(p: Page): Promise<void> {
  await goTo(p, 'Launch')
  await p.locator('[data-workload="backtest"]').click()
  await p.getByRole('heading', { level: 2, name: 'Pairs-trading backtest' }).waitFor()
}

/** Screenshots of the Launch form at 1440x900 and 1024x768, light and dark, scrolled to `target`. */
async function launchShots(name: string, prepare: (p: Page) => Promise<void>): Promise<void> {
  await forEachLook(browser, async (opened, { colorScheme, width }) => {
    await opened.page.goto(serve.url)
    await openBacktest(opened.page)
    await prepare(opened.page)
    await screenshot(opened.page, `ui-defects-${name}-${width}-${colorScheme}`)
  })
}

describe('UI defects', () => {
  it('shows a rule between parameters from the descriptor next to both fields, with Run disabled', async () => {
    await openBacktest(page)
    expect(await runButton(page).isDisabled()).toBe(false)
    await page.locator('#param-exitZ').fill('2.5')
    await eventually('the rule message on exitZ', async () => /must be below entryZ/.test(await paramField(page, 'exitZ').innerText()))
    expect(await paramField(page, 'exitZ').locator('.field-error').innerText()).toMatch(/^exitZ \(2\.5\) must be below entryZ \(2\)/)
    expect(await paramField(page, 'entryZ').locator('.field-error').innerText()).toMatch(/exitZ \(2\.5\) must be below entryZ \(2\)/)
    expect(await runButton(page).isDisabled()).toBe(true)
    // Raising entryZ above it clears both.
    await page.locator('#param-entryZ').fill('3')
    await eventually('the rule message gone', async () => (await page.locator('.field-error').count()) === 0)
    expect(await runButton(page).isDisabled()).toBe(false)
    await page.locator('#param-entryZ').fill('2')
    await launchShots('rule', async (p) => {
      await p.locator('#param-exitZ').fill('2.5')
      await paramField(p, 'exitZ').locator('.field-error').waitFor()
      await paramField(p, 'exitZ').locator('.field-error').scrollIntoViewIfNeeded()
    })
  })

  it('asks the engine about a Node runtime path as it is typed, before any launch', async () => {
    await openBacktest(page)
    await page.locator('#param-exitZ').fill('0.5')
    const runtime = page.locator('#launch-runtime')
    const field = page.locator('.field', { has: runtime })
    const before = (await hotpathJson<unknown[]>(['list'], store.dir)).length
    await runtime.fill('/bin/echo')
    await field.locator('.field-error').waitFor({ timeout: 15_000 })
    expect(await field.locator('.field-error').innerText()).toMatch(/is not Node/)
    expect(await runButton(page).isDisabled()).toBe(true)
    await runtime.fill('/no/such/node')
    await eventually('the missing runtime', async () => /does not exist/.test(await field.innerText()), 15_000)
    expect(await runButton(page).isDisabled()).toBe(true)
    await runtime.fill(notExecutable)
    await eventually('the runtime that is not executable', async () => /not executable/.test(await field.innerText()), 15_000)
    await runtime.fill(process.execPath)
    await eventually('the Node version', async () => new RegExp(`Node ${process.versions.node}`).test(await field.innerText()), 15_000)
    expect(await field.locator('.field-error').count()).toBe(0)
    expect(await runButton(page).isDisabled()).toBe(false)
    await runtime.fill('')
    // Nothing was started by any of it.
    expect((await hotpathJson<unknown[]>(['list'], store.dir)).length).toBe(before)
    await launchShots('runtime', async (p) => {
      await p.locator('#launch-runtime').fill('/bin/echo')
      const error = p.locator('.field', { has: p.locator('#launch-runtime') }).locator('.field-error')
      await error.waitFor({ timeout: 15_000 })
      await error.scrollIntoViewIfNeeded()
    })
  })

  it('starts a sweep from a parameter with several values: one run per value, grouped, shown as a sweep', async () => {
    await openBacktest(page)
    for (const [name, value] of Object.entries({ pairs: '2', days: '25', workers: '1, 2' }))
      await page.locator(`#param-${name}`).fill(value)
    await page.locator('#launch-duration').fill('0.3')
    await page.locator('#launch-warmup').fill('0.1')
    await page.locator('input[name="profile-cpu"]').uncheck()
    await page.locator('#launch-label').fill('ui sweep')
    await eventually('the sweep button', async () => (await runButton(page).innerText()) === 'Run sweep (2 runs)')
    expect(await page.locator('.launch-status').innerText()).toMatch(/Sweep of 2 runs over workers 1, 2/)
    await screenshot(page, 'ui-defects-sweep-launch')
    await runButton(page).click()
    await page.getByRole('heading', { level: 1, name: /^Live/ }).waitFor()
    // The engine runs them one after another; both end up in the library under one group.
    await eventually(
      'both runs of the sweep saved',
      async () =>
        (await hotpathJson<{ label: string; status: string }[]>(['list'], store.dir)).filter(
          (r) => r.label.startsWith('ui sweep') && r.status === 'ok',
        ).length === 2,
      120_000,
    )
    const saved = (
      await hotpathJson<{ label: string; group?: string; workload: { params: Record<string, unknown> } }[]>(['list'], store.dir)
    ).filter((r) => r.label.startsWith('ui sweep'))
    expect(saved.map((r) => r.label).sort()).toEqual(['ui sweep workers=1', 'ui sweep workers=2'])
    expect(new Set(saved.map((r) => r.group)).size).toBe(1)
    expect(saved[0]?.group).toMatch(/^sweep-/)
    expect(saved.map((r) => r.workload.params.workers).sort()).toEqual([1, 2])

    // The Sweep button opens the newest group, with no filter set.
    await goTo(page, 'Runs')
    await runRow(page, 'ui sweep workers=2').waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Sweep', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: `Sweep · ${saved[0]?.group}` }).waitFor()
    await page.getByRole('figure', { name: 'Efficiency' }).waitFor()
    expect(await page.getByRole('figure', { name: 'Peak memory' }).count()).toBe(0)
    const legends = (await page.locator('.u-legend').allInnerTexts()).join('\n')
    expect(legends).toMatch(/ideal linear scaling/)
    expect(legends).not.toMatch(/–/)
    await forEachLook(browser, async (opened, { colorScheme, width }) => {
      await opened.page.goto(`${serve.url.replace(/#.*$/, '')}#/sweep?group=${encodeURIComponent(saved[0]?.group ?? '')}`)
      await opened.page.getByRole('figure', { name: 'Efficiency' }).waitFor({ timeout: 20_000 })
      await screenshot(opened.page, `ui-defects-sweep-view-${width}-${colorScheme}`)
    })
  }, 180_000)

  it('offers the Sweep button without filtering, for the selected run’s group, and keeps the sweep marker whole', async () => {
    await goTo(page, 'Runs')
    const lone = runRow(page, 'lone run')
    await lone.waitFor()
    const row = runRow(page, `${LONG_LABEL} levels=100`)
    await row.locator('input[type="checkbox"]').check()
    await page.getByRole('button', { name: 'Sweep', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: /^Sweep · sweep-/ }).waitFor()
    await eventually('the sweep over levels', async () => /2 runs swept over levels/.test(await page.locator('.view-subtitle').innerText()))
    await forEachLook(browser, async (opened, { colorScheme, width }) => {
      await opened.page.goto(serve.url)
      await goTo(opened.page, 'Runs')
      const long = runRow(opened.page, `${LONG_LABEL} levels=400`)
      await long.waitFor()
      // The marker sits whole inside its cell; the label gives way with an ellipsis.
      const chip = await long.locator('a.tag-group').boundingBox()
      const cell = await long.locator('.cell-label').boundingBox()
      expect(chip && cell && chip.x + chip.width <= cell.x + cell.width + 0.5, `chip inside the label cell at ${width}`).toBe(true)
      expect(await opened.page.getByRole('button', { name: 'Sweep', exact: true }).count()).toBe(1)
      await screenshot(opened.page, `ui-defects-runs-${width}-${colorScheme}`)
    })
  }, 120_000)

  it('raised no page errors', () => {
    expect(app.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([])
  })
})
