/**
 * A backtest as one self-contained HTML page, like the transparency report's: no script, no request,
 * every piece of data escaped. Texts are campaign samples only (samples.ts).
 */
import { escapeHtml, selfContainedPage } from '../reports/index.js'
import type { BacktestDiff } from './diff.js'
import type { BacktestSamples, ChangeSamples } from './samples.js'

export interface BacktestMeta {
  input: string
  generatedAt: string
  baselineRulesVersion: string
  candidateRulesVersion: string
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n))
const num = (n: number) => `<td class="num">${escapeHtml(n.toLocaleString('en'))}</td>`

export function renderBacktestHtml(diff: BacktestDiff, samples: BacktestSamples, meta: BacktestMeta): string {
  const ruleRows = Object.entries(diff.rules)
    .map(
      ([rule, r]) =>
        `<tr data-rule="${escapeHtml(rule)}"><td>${escapeHtml(rule)}</td>${num(r.baseline)}${num(r.candidate)}${num(r.newly_fired)}${num(r.no_longer_fired)}<td class="num">${escapeHtml(signed(r.candidate - r.baseline))}</td></tr>`,
    )
    .join('\n')
  const s = diff.spam
  return selfContainedPage({
    generator: 'abuse-radar backtest',
    title: `Backtest ${escapeHtml(diff.run_id)}`,
    css: CSS,
    header: `<h1>Backtest ${escapeHtml(diff.run_id)}</h1>
<p class="subtitle">${escapeHtml(meta.input)} · ${escapeHtml(diff.messages.toLocaleString('en'))} analysed message versions · rules ${escapeHtml(meta.baselineRulesVersion)} (production) → ${escapeHtml(meta.candidateRulesVersion)} (candidate) · generated ${escapeHtml(meta.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>
`,
    main: `<section id="spam">
<h2>Spam</h2>
<table><thead><tr><th></th><th>production</th><th>candidate</th><th>newly flagged</th><th>no longer flagged</th><th>change</th></tr></thead>
<tbody><tr><td>spam versions</td>${num(s.baseline)}${num(s.candidate)}${num(s.newly_flagged)}${num(s.no_longer_flagged)}<td class="num">${escapeHtml(signed(s.candidate - s.baseline))}</td></tr>
<tr><td>campaigns</td>${num(diff.campaigns.baseline)}${num(diff.campaigns.candidate)}<td></td><td></td><td class="num">${escapeHtml(signed(diff.campaigns.candidate - diff.campaigns.baseline))}</td></tr></tbody></table>
</section>
<section id="rules">
<h2>Rules</h2>
<table><thead><tr><th>rule</th><th>production</th><th>candidate</th><th>newly fired</th><th>no longer fired</th><th>change</th></tr></thead>
<tbody>
${ruleRows}
</tbody></table>
</section>
${sampleSection('newly-flagged', 'Newly flagged', samples.newly_flagged)}
${sampleSection('no-longer-flagged', 'No longer flagged', samples.no_longer_flagged)}
<p class="note">Samples are campaign samples: texts seen in enough public chats to be shown, with private data masked. Changes outside such campaigns are counted, never shown.</p>
`,
  })
}

function sampleSection(id: string, title: string, change: ChangeSamples): string {
  const shown = change.samples.reduce((sum, s) => sum + s.versions, 0)
  const items = change.samples
    .map(
      (s) =>
        `<li data-campaign="${escapeHtml(s.campaign_id)}"><span class="count">${escapeHtml(s.versions.toLocaleString('en'))}</span> <code>${escapeHtml(s.campaign_id)}</code><blockquote>${escapeHtml(s.sample_text)}</blockquote></li>`,
    )
    .join('\n')
  return `<section id="${id}">
<h2>${escapeHtml(title)}: ${escapeHtml(change.versions.toLocaleString('en'))} versions</h2>
${items ? `<ul class="samples">\n${items}\n</ul>` : '<p class="empty">No campaign sample to show.</p>'}
<p class="muted">${escapeHtml((change.versions - shown).toLocaleString('en'))} of them outside the campaigns shown.</p>
</section>`
}

const CSS = `
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2330; margin: 0; background: #f6f7f9; }
header, main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }
h1 { margin: 0.5rem 0 0; font-size: 1.6rem; }
.subtitle, .muted, .note { color: #5b6473; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #e3e6eb; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.samples { list-style: none; padding: 0; }
ul.samples li { background: #fff; margin: 0.4rem 0; padding: 0.5rem 0.8rem; border-left: 3px solid #3b6fd8; }
blockquote { margin: 0.3rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.count { font-weight: 600; }
`
