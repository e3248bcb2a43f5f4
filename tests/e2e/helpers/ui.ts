/**
 * Steps the e2e specs share: navigating with the sidebar, filling the launch form, and waiting for
 * a live run to reach a status. Selectors are the ones people see (roles, labels) where possible.
 */
import type { Locator, Page } from 'playwright-core'

export async function goTo(page: Page, nav: 'Launch' | 'Live runs' | 'Runs' | 'Environment'): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${nav}`) })
    .click()
}

export interface LaunchOptions {
  workload: string
  variant?: string
  durationS: string
  warmupS?: string
  label: string
  cpuProfile?: boolean
  /** Parameter values to type, by name. */
  params?: Record<string, string>
}

/** Fills the launch form (the Launch view must be open). */
export async function fillLaunchForm(page: Page, o: LaunchOptions): Promise<void> {
  await page.locator(`[data-workload="${o.workload}"]`).click()
  await page.getByRole('heading', { level: 2 }).first().waitFor()
  if (o.variant) await page.locator(`input[name="variant"][value="${o.variant}"]`).check({ force: true })
  for (const [name, value] of Object.entries(o.params ?? {})) await page.locator(`#param-${name}`).fill(value)
  await page.locator('#launch-duration').fill(o.durationS)
  if (o.warmupS !== undefined) await page.locator('#launch-warmup').fill(o.warmupS)
  const cpu = page.locator('input[name="profile-cpu"]')
  if (o.cpuProfile === false) await cpu.uncheck()
  else if (o.cpuProfile === true) await cpu.check()
  await page.locator('#launch-label').fill(o.label)
}

/** The live card of the run labelled `label`. */
export function liveCard(page: Page, label: string): Locator {
  return page.locator('article.live-card', { has: page.getByRole('heading', { name: label, exact: true }) })
}

export async function waitForLiveStatus(
  card: Locator,
  status: 'ok' | 'cancelled' | 'failed' | 'timeout',
  timeoutMs: number,
): Promise<void> {
  await card.locator(`.badge[data-status="${status}"]`).waitFor({ state: 'visible', timeout: timeoutMs })
}

/** The library row showing `text` (label, id…). */
export function runRow(page: Page, text: string): Locator {
  return page.locator('.run-row', { hasText: text })
}

/** Waits until `fn` returns true, polling; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await fn()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
}
