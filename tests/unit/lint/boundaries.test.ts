/**
 * The architecture's boundaries are ESLint rules (eslint.config.js, no-restricted-imports); this runs
 * ESLint's Node API on snippets placed at real paths and checks that a wrong import is an error and a
 * right one is not, so a rule that silently stopped matching fails here.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: root })
})

/** The no-restricted-imports (and -syntax, for import()) messages ESLint gives `code` as if it were the file `file` of the repo. */
async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

describe('one door: cli/ and electron/ import only service/index.ts and core/', () => {
  it.each([
    ['cli/commands/x.ts', "import { openRunStore } from '../../store/run-store.js'\nexport const s = openRunStore"],
    ['cli/commands/x.ts', "import { startRunExecution } from '../../service/run-executor.js'\nexport const s = startRunExecution"],
    [
      'cli/commands/x.ts',
      "import { listWorkloadDescriptors } from '../../workloads/registry.js'\nexport const s = listWorkloadDescriptors",
    ],
    ['cli/commands/x.ts', "import { captureEnvironment } from '../../profilers/environment.js'\nexport const s = captureEnvironment"],
    ['cli/x.ts', "import { openRunStore } from '../store/run-store.js'\nexport const s = openRunStore"],
    ['electron/main/x.ts', "import { exportBundleToFile } from '../../store/bundle.js'\nexport const s = exportBundleToFile"],
    ['electron/main/x.ts', "import type { WorkbenchService } from '../../service/workbench-service.js'\nexport type S = WorkbenchService"],
  ])('%s: %s is an error', async (file, code) => {
    const messages = await restricted(file, code)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/service\/index\.ts/)
  })

  it.each([
    [
      'cli/commands/x.ts',
      "import { serviceFor } from '../service.js'\nimport { formatTable } from '../../core/format/table.js'\nexport const s = [serviceFor, formatTable]",
    ],
    ['cli/service.ts', "import { openWorkbenchService } from '../service/index.js'\nexport const s = openWorkbenchService"],
    [
      'electron/main/x.ts',
      "import { openWorkbenchService } from '../../service/index.js'\nimport { apiChannel } from '../../core/api/contract.js'\nexport const s = [openWorkbenchService, apiChannel]",
    ],
  ])('%s: allowed', async (file, code) => {
    expect(await restricted(file, code)).toEqual([])
  })
})

describe('the renderer imports only core/ and its own files', () => {
  it.each([
    ['renderer/src/x.ts', "import { createWorkbenchService } from '../../service/index.js'\nexport const s = createWorkbenchService"],
    ['renderer/src/features/x/y.tsx', "import { openRunStore } from '../../../../store/run-store.js'\nexport const s = openRunStore"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const s = ipcRenderer"],
  ])('%s: %s is an error', async (file, code) => {
    const messages = await restricted(file, code)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatch(/renderer\/ imports only core\//)
  })

  it('may import core/ and its API client', async () => {
    expect(
      await restricted(
        'renderer/src/features/x/y.tsx',
        "import { createApiClient } from '../../api-client.js'\nimport { formatBytes } from '../../../../core/format/bytes.js'\nexport const s = [createApiClient, formatBytes]",
      ),
    ).toEqual([])
  })
})

describe('nothing outside tests/ imports tests/', () => {
  it.each([
    [
      'renderer/src/main.tsx',
      "const { createFakeWorkbench } = await import('../../tests/helpers/fake-workbench.js')\nexport const s = createFakeWorkbench",
    ],
    ['renderer/src/x.ts', "import { makeRun } from '../../tests/helpers/make-run.js'\nexport const s = makeRun"],
    ['service/x.ts', "import { makeRun } from '../tests/helpers/make-run.js'\nexport const s = makeRun"],
    ['core/x.ts', "import { makeRun } from '../tests/helpers/make-run.js'\nexport const s = makeRun"],
    ['scripts/x.mjs', "import { makeRun } from '../tests/helpers/make-run.js'\nexport const s = makeRun"],
  ])('%s: %s is an error', async (file, code) => {
    const messages = await restricted(file, code)
    // Static imports by no-restricted-imports; the dynamic import() the old main.tsx used, by no-restricted-syntax.
    expect(messages.join('\n')).toMatch(/Only tests\/ imports tests\//)
  })

  it('tests may import tests/ and anything else', async () => {
    expect(
      await restricted(
        'tests/unit/x.test.ts',
        "import { makeRun } from '../helpers/make-run.js'\nimport { openRunStore } from '../../store/run-store.js'\nexport const s = [makeRun, openRunStore]",
      ),
    ).toEqual([])
  })
})

describe('core/ stays pure', () => {
  it.each([
    ["import { readFile } from 'node:fs/promises'\nexport const s = readFile", /no Node APIs/],
    ["import { openRunStore } from '../../store/run-store.js'\nexport const s = openRunStore", /imports nothing of the engine/],
  ])('%s is an error', async (code, message) => {
    expect((await restricted('core/compare/x.ts', code)).join('\n')).toMatch(message)
  })
})
