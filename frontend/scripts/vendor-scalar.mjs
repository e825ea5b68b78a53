// Copy the standalone browser bundle of @scalar/api-reference into
// dist/vendor/ so the server's /api/docs page works without internet access.
// Run after `vite build` (which empties dist/).
import { copyFileSync, mkdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))

const source = require.resolve('@scalar/api-reference/browser/standalone.js')
const target = join(root, 'dist', 'vendor', 'scalar-api-reference.js')

mkdirSync(dirname(target), { recursive: true })
copyFileSync(source, target)

const { size } = statSync(target)
if (size === 0) {
  console.error(`vendor-scalar: ${target} is empty`)
  process.exit(1)
}
console.log(`vendor-scalar: ${relative(root, source)} -> ${relative(root, target)} (${(size / 1024).toFixed(1)} kB)`)
