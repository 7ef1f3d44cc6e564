/**
 * Rows ClickHouse refuses for their content: set aside as dead letters so the rest of the batch is
 * written (instead of the batch failing forever).
 */
import { RejectedRowsError } from '../domain/errors.js'
import type { BatchOutput } from '../domain/facts.js'
import type { PipelineObserver } from '../domain/observers.js'
import type { BatchRange, FactsSink, Logger } from '../domain/ports.js'
import { deadLetterRow } from '../facts/build.js'

export interface RejectedRowsDeps {
  sink: FactsSink
  observer: PipelineObserver
  logger: Logger
  now: () => number
  settings: { deadLetterPrefixBytes: number }
}

/**
 * Writes a batch; when ClickHouse refuses rows of one facts table for their content, those rows
 * become dead letters (reason rejected_by_store, the row as JSON for payload) and the rest is
 * written under the same token. Deterministic: a replay of the batch sets the same rows aside, and
 * tables written before the refusal are recognised by their token. A refusal that cannot be
 * narrowed to rows (or of the dead letters themselves) is thrown.
 */
export async function writeSettingAsideRejected(range: BatchRange, output: BatchOutput, deps: RejectedRowsDeps): Promise<void> {
  const { sink, observer, settings } = deps
  for (;;) {
    try {
      await sink.writeBatch(range, output)
      return
    } catch (error) {
      if (!(error instanceof RejectedRowsError) || error.output === 'deadLetters') throw error
      const rows: { source_topic: string; source_partition: number; source_offset: number }[] = output[error.output]
      const rejected = new Set(await sink.findRejectedRows(error.output, rows))
      if (rejected.size === 0) throw error
      const detail = `${error.output}: ${error.message.split('\n')[0] ?? ''}`.slice(0, 500)
      const receivedAt = deps.now()
      for (const index of rejected) {
        const row = rows[index]!
        const position = { topic: row.source_topic, partition: row.source_partition, offset: row.source_offset }
        output.deadLetters.push(
          deadLetterRow(
            position,
            Buffer.from(JSON.stringify(row)),
            { reason: 'rejected_by_store', detail },
            receivedAt,
            settings.deadLetterPrefixBytes,
          ),
        )
        observer.deadLetter(position.topic, 'rejected_by_store')
      }
      deps.logger.warn(
        { range, output: error.output, rejected: rejected.size, err: detail },
        'rows refused by ClickHouse set aside as dead letters',
      )
      // in place: `rows` is the batch's own list (no spread: a batch can hold any number of rows)
      let kept = 0
      for (let index = 0; index < rows.length; index++) if (!rejected.has(index)) rows[kept++] = rows[index]!
      rows.length = kept
    }
  }
}
