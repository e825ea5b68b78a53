import { describe, expect, it, vi } from 'vitest'
import { uuid } from './uuid.ts'

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuid', () => {
  it('is a lower-case RFC 4122 version 4 UUID', () => {
    for (let i = 0; i < 1000; i++) expect(uuid()).toMatch(FORMAT)
  })

  it('sets the version and variant bits whatever the random bytes', () => {
    for (const fill of [0x00, 0xff, 0x5a]) {
      const fake = (a: ArrayBufferView) => {
        if (a instanceof Uint8Array) a.fill(fill)
        return a
      }
      const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(fake as typeof crypto.getRandomValues)
      try {
        const id = uuid()
        expect(id).toMatch(FORMAT)
        const hex = id.replaceAll('-', '')
        // Byte 6: high nibble 4; byte 8: top bits 10.
        expect(parseInt(hex.slice(12, 14), 16) >> 4).toBe(4)
        expect(parseInt(hex.slice(16, 18), 16) >> 6).toBe(0b10)
        // The other bits are the random ones.
        expect(parseInt(hex.slice(12, 14), 16) & 0x0f).toBe(fill & 0x0f)
        expect(parseInt(hex.slice(16, 18), 16) & 0x3f).toBe(fill & 0x3f)
        expect(hex.slice(0, 12)).toBe(fill.toString(16).padStart(2, '0').repeat(6))
      } finally {
        spy.mockRestore()
      }
    }
  })

  it('does not repeat over 10,000 ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, uuid))
    expect(ids.size).toBe(10_000)
  })

  it('needs neither crypto.randomUUID nor Math.random', () => {
    const random = vi.spyOn(Math, 'random')
    const saved = crypto.randomUUID
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true, writable: true })
    try {
      expect(uuid()).toMatch(FORMAT)
      expect(random).not.toHaveBeenCalled()
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID
      expect(crypto.randomUUID).toBe(saved)
      random.mockRestore()
    }
  })
})
