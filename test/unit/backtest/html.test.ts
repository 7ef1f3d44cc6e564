import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assembleDiff } from '../../../src/backtest/diff.js'
import { renderBacktestHtml } from '../../../src/backtest/html.js'

const diff = assembleDiff(
  'bt_20261203_031500_9f2c4a',
  {
    messages: '1200',
    spam_baseline: '100',
    spam_candidate: '90',
    newly_flagged: '5',
    no_longer_flagged: '15',
    campaigns_baseline: '7',
    campaigns_candidate: '7',
  },
  [{ rule: 'shortener', baseline: '30', candidate: '12', newly_fired: '0', no_longer_fired: '18' }],
  [],
)
const meta = {
  input: 'day<1>.ndjson',
  generatedAt: '2026-12-03T03:15:00.000Z',
  baselineRulesVersion: 'aaaa',
  candidateRulesVersion: 'bbbb',
}

test('the page shows the figures, escapes every sample and name, and runs nothing', () => {
  const page = renderBacktestHtml(
    diff,
    {
      newly_flagged: {
        versions: 5,
        samples: [{ campaign_id: 'c"><svg onload=alert(1)>', versions: 3, sample_text: "<img src=x onerror=alert(2)> FREE USDT '" }],
      },
      no_longer_flagged: { versions: 15, samples: [] },
    },
    meta,
  )
  assert.match(page, /^<!DOCTYPE html>/)
  assert.match(page, /content="default-src 'none'; style-src 'unsafe-inline'"/)
  assert.doesNotMatch(page, /<script|<svg|<img/i)
  assert.ok(page.includes('&lt;img src=x onerror=alert(2)&gt; FREE USDT &#39;'))
  assert.ok(page.includes('data-campaign="c&quot;&gt;&lt;svg onload=alert(1)&gt;"'))
  assert.ok(page.includes('day&lt;1&gt;.ndjson'))
  assert.match(
    page,
    /<tr data-rule="shortener"><td>shortener<\/td><td class="num">30<\/td><td class="num">12<\/td><td class="num">0<\/td><td class="num">18<\/td><td class="num">-18<\/td><\/tr>/,
  )
  assert.match(page, /Newly flagged: 5 versions/)
  assert.match(page, /2 of them outside the campaigns shown/)
  assert.match(
    page,
    /No longer flagged: 15 versions<\/h2>\n<p class="empty">No campaign sample to show.<\/p>\n<p class="muted">15 of them outside/,
  )
})
