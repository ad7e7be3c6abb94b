import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { tempDir } from '../../test/tmp.ts'
import { DataDirLockedError, lockDataDir } from './lock.ts'

test('a second lock on the same data directory is refused while the first is held', () => {
  const dir = tempDir('carnet-lock-')
  const release = lockDataDir(dir)
  // the owner is this process; pretend another live process (our parent) holds it
  writeFileSync(join(dir, 'carnet.lock'), String(process.ppid))
  expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
  expect(() => lockDataDir(dir)).toThrow(/in use by another Carnet process/)
  release()
  expect(existsSync(join(dir, 'carnet.lock'))).toBe(false)
  lockDataDir(dir)() // free again
})

test('a lock left by a dead process is taken over', () => {
  const dir = tempDir('carnet-lock-')
  writeFileSync(join(dir, 'carnet.lock'), '999999999')
  const release = lockDataDir(dir)
  expect(existsSync(join(dir, 'carnet.lock'))).toBe(true)
  release()
})
