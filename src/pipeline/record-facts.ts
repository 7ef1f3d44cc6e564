/**
 * One record into the facts of the batch it belongs to: decoded (or a dead letter with its reason),
 * admitted by the duplicate filter, and analysed when it is a message. The processor decides which
 * batch a record joins and when batches are written; this decides what a record adds to one.
 */
import type { DecodedEvent } from '../domain/events.js'
import type { BatchOutput } from '../domain/facts.js'
import type { SourceRecord } from '../domain/ports.js'
import type { PipelineObserver } from '../domain/observers.js'
import { decodeRecord } from '../decode/decode.js'
import type { PreparedText } from '../fingerprint/packed.js'
import { deadLetterRow, messageFact, moderationFact, reportFact, type TextVerdict } from '../facts/build.js'
import type { DuplicateFilter } from './duplicate-filter.js'
import type { PreparedDelivery } from './fingerprint-workers.js'
import { eventKey } from './recent-keys.js'

export interface MessageAnalyzer {
  /** `prepared`: the text's normalization and fingerprint, when a worker computed them (./fingerprint-workers.ts) */
  analyze(event: Extract<DecodedEvent, { kind: 'message' }>, sender: string, prepared?: PreparedText): TextVerdict
}

export interface RecordFactsSettings {
  maxRecordBytes: number
  deadLetterPrefixBytes: number
  /** pipeline.max_future_skew_seconds in ms: events further ahead of their record's time are dead letters */
  maxFutureSkewMs: number
  /** privacy.aggregate_ttl_days in ms: events older than the aggregates keep are dead letters */
  maxEventAgeMs: number
}

export interface RecordFactsDeps {
  analyzer: MessageAnalyzer
  pseudonymize: (id: string) => string
  observer: PipelineObserver
  settings: RecordFactsSettings
}

export class RecordFacts {
  constructor(
    private readonly deps: RecordFactsDeps,
    private readonly duplicates: DuplicateFilter,
  ) {}

  /**
   * Adds what `record` (the `at`-th of its delivery) contributes to `output`. `replayingInflight`:
   * the record is in the range left in flight, which must be written again exactly as before.
   */
  add(
    output: BatchOutput,
    record: SourceRecord,
    receivedAt: number,
    replayingInflight: boolean,
    prepared: PreparedDelivery,
    at: number,
  ): void {
    const { settings, observer, pseudonymize, analyzer } = this.deps
    const position = { topic: record.topic, partition: record.partition, offset: record.offset }
    // The window is relative to the broker's timestamp of the record, not to the clock: a replay of
    // the same batch after a restart decides every record the same way. File mode has no broker
    // time and uses processing time.
    const window = {
      nowMs: record.timestampMs > 0 ? record.timestampMs : receivedAt,
      maxFutureSkewMs: settings.maxFutureSkewMs,
      maxAgeMs: settings.maxEventAgeMs,
    }
    const decoded = decodeRecord(record.value, settings.maxRecordBytes, window)
    if (!decoded.ok) {
      observer.deadLetter(record.topic, decoded.error.reason)
      output.deadLetters.push(deadLetterRow(position, record.value, decoded.error, receivedAt, settings.deadLetterPrefixBytes))
      return
    }
    const value = decoded.value
    const key = eventKey(value.event.event_id)
    const admission = this.duplicates.admit(key, record.topic, record.partition, record.offset, receivedAt, replayingInflight)
    if (admission === 'duplicate') return observer.duplicate(record.topic)
    if (admission === 'alreadyWritten') return observer.replaySkipped(record.topic)
    observer.accepted(value.kind)
    switch (value.kind) {
      case 'message': {
        const sender = pseudonymize(value.event.sender.id)
        const text = value.event.text
        const verdict = analyzer.analyze(value, sender, text ? prepared.textAt(at, text) : undefined)
        output.messages.push(messageFact(value.event, value.tsMs, position, key, sender, verdict, pseudonymize))
        return
      }
      case 'moderation':
        output.moderation.push(moderationFact(value.event, value.tsMs, position, key, pseudonymize))
        return
      case 'report':
        output.reports.push(reportFact(value.event, value.tsMs, position, key, pseudonymize))
        return
    }
  }
}
