/**
 * The campaign exchange's origin header: an instance skips its own records by it, unparsed, and
 * parses everything else (another instance's records, and records published without the header).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { publishedBy } from '../../../../src/sources/kafka/exchange.js'

const mine = Buffer.from('host-a-101-0badf00d')

test('a record whose origin header is this instance is its own', () => {
  assert.equal(publishedBy(Buffer.from('host-a-101-0badf00d'), mine), true)
  assert.equal(publishedBy('host-a-101-0badf00d', mine), true)
})

test("another instance's record, or one without the header, is not", () => {
  assert.equal(publishedBy(Buffer.from('host-a-101-0badf00e'), mine), false)
  assert.equal(publishedBy(Buffer.from('host-a-101-0badf00'), mine), false)
  assert.equal(publishedBy(undefined, mine), false)
  // a repeated header is not this tool's: parse the record and let its body decide
  assert.equal(publishedBy([Buffer.from('host-a-101-0badf00d')], mine), false)
})
