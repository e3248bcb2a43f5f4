/**
 * Browser mode end to end: real Chromium against the real `hotpath serve` on a temp store. Launches a
 * short run from the UI and watches it finish, finds it in the library, renames and deletes it;
 * cancels a longer run; checks form validation and the environment view. Screenshots of each view
 * go to test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppPage, launchBrowser, openPage, screenshot } from './helpers/browser.js'
import { type ServeHandle, hotpathJson, makeTempStore, startServe } from './helpers/serve.js'
import { eventually, fillLaunchForm, goTo, liveCard, runRow, waitForLiveStatus } from './helpers/ui.js'

/** A workload that starts fast and whose default parameters are small. */
const WORKLOAD = 'orderbook'

let store: Awaited<ReturnType<typeof makeTempStore>>
let serve: ServeHandle
let browser: Browser
let app: AppPage
let page: Page

beforeAll(async () => {
  store = await makeTempStore()
  serve = await startServe(store.dir)
  browser = await launchBrowser()
  app = await openPage(browser)
  page = app.page
  await page.goto(serve.url)
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
})

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  await store?.remove()
})

describe('launch and library', () => {
  it('launches a short run, shows its progress to done, and opens it', async () => {
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: WORKLOAD, durationS: '1', warmupS: '0.2', label: 'e2e quick run', cpuProfile: true })
    await screenshot(page, '01-launch')
    await page.getByRole('button', { name: 'Run', exact: true }).click()

    const card = liveCard(page, 'e2e quick run')
    await card.waitFor({ timeout: 15_000 })
    // Caught while measuring: the progress bar, phase and live charts are on screen.
    await card
      .locator('.phase-name[data-phase="timing"], .phase-name[data-phase="profiling"], .badge[data-status="ok"]')
      .first()
      .waitFor({ timeout: 30_000 })
    await screenshot(page, '02-live-run')
    await waitForLiveStatus(card, 'ok', 90_000)
    expect(await card.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    await screenshot(page, '03-live-run-done')

    await card.getByRole('link', { name: /Open run/ }).click()
    await page.locator('.kpis').waitFor({ timeout: 15_000 })
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('e2e quick run')
    // The summary has real numbers, and the artifacts list names the CPU profile we asked for.
    expect(await page.locator('.kpi-value').first().innerText()).toMatch(/ops\/s$/)
    const artifacts = page.getByRole('region', { name: /Artifacts/ })
    await artifacts.getByText('cpuprofile').first().waitFor()
    await screenshot(page, '04-run-detail')
    // The artifact download is the profile itself (readArtifact -> Blob), openable in DevTools.
    const row = artifacts.locator('tr', { hasText: 'cpuprofile' }).first()
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Download / }).click()])
    expect(download.suggestedFilename()).toMatch(/\.cpuprofile$/)
    const profile = JSON.parse(await readFile((await download.path()) as string, 'utf8')) as { nodes?: unknown[] }
    expect(profile.nodes?.length).toBeGreaterThan(0)
  })

  it('finds the run in the library, renames it, and deletes it', async () => {
    await goTo(page, 'Runs')
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('e2e')
    const row = runRow(page, 'e2e quick run')
    await row.waitFor()
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('ok')
    await screenshot(page, '05-runs-library')

    await row.hover()
    await row.getByRole('button', { name: /^Edit / }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit run' })
    await dialog.locator('#edit-label').fill('e2e renamed')
    await dialog.locator('#edit-tags').fill('e2e, smoke')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.waitFor({ state: 'detached' })
    const renamed = runRow(page, 'e2e renamed')
    await renamed.waitFor()
    await renamed.getByText('smoke').waitFor()
    // The engine has it too, not just this page.
    const listed = await hotpathJson<{ id: string; label: string; tags: string[] }[]>(['list'], store.dir)
    expect(listed.map((r) => [r.label, r.tags])).toContainEqual(['e2e renamed', ['e2e', 'smoke']])

    // Keyboard: from the search box, ArrowDown focuses the first row; Delete asks to confirm.
    await page.getByRole('searchbox', { name: 'Search runs' }).press('ArrowDown')
    await page.keyboard.press('Delete')
    const confirm = page.getByRole('dialog', { name: 'Delete this run?' })
    await confirm.waitFor()
    await screenshot(page, '06-delete-confirm')
    await confirm.getByRole('button', { name: 'Delete run' }).click()
    await renamed.waitFor({ state: 'detached' })
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('')
    await page.getByText('No runs yet. Launch a workload, or import a bundle.').waitFor()
    await screenshot(page, '07-runs-empty')
    expect(await hotpathJson<unknown[]>(['list'], store.dir)).toEqual([])
  })

  it('cancels a longer run and lists it as cancelled', async () => {
    await goTo(page, 'Launch')
    await fillLaunchForm(page, { workload: WORKLOAD, durationS: '60', warmupS: '0.2', label: 'e2e cancel me', cpuProfile: false })
    // Ctrl+Enter runs the form from anywhere in the view.
    await page.locator('#launch-label').press('Control+Enter')
    const card = liveCard(page, 'e2e cancel me')
    await card.locator('.phase-name[data-phase="timing"]').waitFor({ timeout: 30_000 })
    await card.getByRole('button', { name: /Cancel/ }).click()
    await waitForLiveStatus(card, 'cancelled', 30_000)
    await screenshot(page, '08-live-cancelled')

    await goTo(page, 'Runs')
    const row = runRow(page, 'e2e cancel me')
    await row.waitFor({ timeout: 15_000 })
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('cancelled')
    await row.click()
    await page.getByRole('region', { name: 'How the run ended' }).waitFor()
    await screenshot(page, '09-run-detail-cancelled')
  })

  it('shows parameter problems next to the field and does not start the run', async () => {
    await goTo(page, 'Launch')
    await page.locator(`[data-workload="${WORKLOAD}"]`).click()
    const firstNumber = page.locator('.field-grid input[id^="param-"][inputmode]').first()
    await firstNumber.fill('-99999999999')
    const field = page.locator('.field', { has: page.locator(`#${await firstNumber.getAttribute('id')}`) })
    await eventually('the parameter error', async () => /out of range|not an integer|not a number/.test(await field.innerText()))
    const before = (await hotpathJson<unknown[]>(['list'], store.dir)).length
    // The Run button waits for a valid form; the keyboard shortcut still asks, and is told what to fix.
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true)
    await page.keyboard.press('Control+Enter')
    await page.locator('.launch-status .field-error').waitFor()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Launch')
    await screenshot(page, '10-launch-invalid')
    expect((await hotpathJson<unknown[]>(['list'], store.dir)).length).toBe(before)
  })

  it('shows the environment report, redacted by default', async () => {
    await goTo(page, 'Environment')
    const markdown = page.locator('.markdown-preview')
    await markdown.waitFor({ timeout: 30_000 })
    expect(await markdown.innerText()).toContain('identifying facts redacted')
    await screenshot(page, '11-environment')

    // Copy as Markdown puts exactly the previewed report on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.origin })
    await page.getByRole('button', { name: 'Copy as Markdown' }).click()
    await page.getByRole('button', { name: 'Copied' }).waitFor()
    const clipboard = await page.evaluate(() => navigator.clipboard.readText())
    expect(clipboard.trim()).toBe((await markdown.innerText()).trim())

    // Save JSON downloads the redacted environment snapshot.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save JSON' }).click()])
    const saved = JSON.parse(await readFile((await download.path()) as string, 'utf8')) as { redacted: boolean; os: { hostname?: string } }
    expect(saved.redacted).toBe(true)
    if (saved.os.hostname !== undefined) expect(saved.os.hostname).toBe('[redacted]')

    await page.getByText('Redact identifying facts').click()
    await eventually('the unredacted report', async () => (await markdown.innerText()).includes('not redacted'))
    await page.getByText('Not redacted:').waitFor()
  })

  it('looks right in dark mode too', async () => {
    const dark = await openPage(browser, { colorScheme: 'dark' })
    await dark.page.goto(serve.url)
    await goTo(dark.page, 'Runs')
    await runRow(dark.page, 'e2e cancel me').waitFor()
    await screenshot(dark.page, '12-runs-dark')
    await dark.page.context().close()
    expect(dark.errors).toEqual([])
  })

  it('raised no page errors', () => {
    expect(app.errors).toEqual([])
  })
})
