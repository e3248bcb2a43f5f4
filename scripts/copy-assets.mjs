// Copies the non-TypeScript files the compiled engine needs at run time into dist/: the CommonJS
// preload used by `hotpath profile`, and the workload READMEs. The one place for such copies.
import { cpSync, existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
for (const dir of readdirSync(path.join(root, 'workloads'), { withFileTypes: true })) {
  const readme = path.join(root, 'workloads', dir.name, 'README.md')
  if (dir.isDirectory() && existsSync(readme)) cpSync(readme, path.join(root, 'dist', 'workloads', dir.name, 'README.md'))
}
cpSync(path.join(root, 'profilers', 'preload'), path.join(root, 'dist', 'profilers', 'preload'), { recursive: true })
