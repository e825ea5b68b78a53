import { expect, test } from 'vitest'
import { countWords, huddleCountWords } from './counts'

test('rolling counts in words, with plurals; no huddle before: nothing said about one', () => {
  expect(countWords({ contacts_7d: 3, face_to_face_7d: 2, since_last_huddle: 1 })).toBe('3 in 7 days · 1 since the last huddle')
  expect(countWords({ contacts_7d: 0, face_to_face_7d: 0, since_last_huddle: null })).toBe('0 in 7 days')
  expect(huddleCountWords({ contacts_7d: 1, face_to_face_7d: 1, since_last_huddle: 0 })).toBe('1 contact in 7 days (1 face to face) · 0 since the last huddle')
  expect(huddleCountWords({ contacts_7d: 0, face_to_face_7d: 0 })).toBe('0 contacts in 7 days')
})
