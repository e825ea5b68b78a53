import { describe, expect, it } from 'vitest'
import { nextLink } from './link'

describe('nextLink', () => {
  it('reads the next page of the server\'s Link header', () => {
    expect(nextLink('</api/teams/t/contacts?day=2026-10-14&cursor=abc_-1>; rel="next"')).toBe('/api/teams/t/contacts?day=2026-10-14&cursor=abc_-1')
  })
  it('finds next among several links and relation types', () => {
    expect(nextLink('</a?p=1>; rel="prev", </a?p=3>; rel="next last"')).toBe('/a?p=3')
    expect(nextLink('</a?p=3>; title="x"; rel=next')).toBe('/a?p=3')
  })
  it('is null without a next link', () => {
    expect(nextLink(null)).toBeNull()
    expect(nextLink('')).toBeNull()
    expect(nextLink('</a?p=1>; rel="prev"')).toBeNull()
    expect(nextLink('garbage')).toBeNull()
  })
})
