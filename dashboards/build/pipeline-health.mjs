// The dashboard "Pipeline health".
import {
  resetPanelIds,
  JOB,
  chDatasourceVar,
  promDatasourceVar,
  jobVar,
  promTarget,
  chTimeseries,
  chTable,
  chStat,
  promTimeseries,
  promStat,
  row,
  g,
  dashboard,
} from './grafana.mjs'

export function pipeline() {
  resetPanelIds()
  const q = (quantile, metric, by) => `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${metric}_bucket${JOB}[$__rate_interval])))`
  return dashboard({
    uid: 'abuse-pipeline',
    title: 'Pipeline health',
    tags: ['pipeline', 'on-call'],
    description:
      "Is the processor keeping up and writing? Throughput, lag, stage latency, the ClickHouse sink, backpressure and dead letters. Source: the processor's /metrics, and dead_letters in ClickHouse.",
    time: { from: 'now-3h', to: 'now' },
    variables: [promDatasourceVar, chDatasourceVar, jobVar],
    panels: [
      promStat(
        'Consumer lag',
        'Messages behind the high watermarks, all partitions (alert: AbuseRadarPipelineBehind).',
        g(0, 0, 4, 4),
        // every instance reports every partition's lag (end - committed): one value per partition, then the sum
        `sum(max by (topic, partition) (abuse_consumer_lag_messages${JOB}))`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 10000 },
            { color: 'red', value: 100000 },
          ],
        },
      ),
      promStat(
        'Since last commit',
        'Seconds since the last written and committed batch (alert: AbuseRadarStalled).',
        g(4, 0, 4, 4),
        `time() - max(abuse_last_progress_timestamp_seconds${JOB})`,
        {
          unit: 's',
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 120 },
            { color: 'red', value: 600 },
          ],
        },
      ),
      promStat(
        'Records/s',
        'Records consumed per second, all topics.',
        g(8, 0, 4, 4),
        `sum(rate(abuse_records_consumed_total${JOB}[5m]))`,
        { unit: 'reqps' },
      ),
      promStat(
        'Dead letters/s',
        'Records rejected per second (alert: AbuseRadarDeadLetterRateHigh).',
        g(12, 0, 4, 4),
        `sum(rate(abuse_dead_letters_total${JOB}[5m]))`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'orange', value: 0.1 },
          ],
        },
      ),
      promStat(
        'Insert failures (15m)',
        'Failed ClickHouse inserts in the last 15 minutes (alerts: AbuseRadarClickHouseWritesFailing, AbuseRadarClickHouseInsertErrors).',
        g(16, 0, 4, 4),
        `sum(increase(abuse_sink_insert_failures_total${JOB}[15m]))`,
        {
          thresholds: [
            { color: 'green', value: null },
            { color: 'red', value: 1 },
          ],
        },
      ),
      promStat('Partitions held', 'Partitions assigned to the selected instances.', g(20, 0, 4, 4), `sum(abuse_partitions_assigned${JOB})`),
      row('Throughput and lag', 4),
      promTimeseries(
        'Records consumed and written',
        'Per second: records read per topic, and records covered by committed batches.',
        g(0, 5, 12, 8),
        [
          promTarget(`sum by (topic) (rate(abuse_records_consumed_total${JOB}[$__rate_interval]))`, 'consumed {{topic}}'),
          promTarget(`sum(rate(abuse_records_written_total${JOB}[$__rate_interval]))`, 'written and committed', 'B'),
          promTarget(`sum(rate(abuse_batches_written_total${JOB}[$__rate_interval]))`, 'batches committed', 'C'),
        ],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Events by kind, duplicates',
        'Valid events per second by kind; redelivered events dropped as duplicates.',
        g(12, 5, 12, 8),
        [
          promTarget(`sum by (kind) (rate(abuse_events_accepted_total${JOB}[$__rate_interval]))`, '{{kind}}'),
          promTarget(`sum(rate(abuse_duplicate_events_total${JOB}[$__rate_interval]))`, 'duplicates', 'B'),
        ],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Consumer lag',
        'Messages between the high watermark and the consumed offset, per topic.',
        g(0, 13, 12, 8),
        [promTarget(`sum by (topic) (max by (topic, partition) (abuse_consumer_lag_messages${JOB}))`, '{{topic}}')],
        { min: 0 },
      ),
      promTimeseries(
        'Event-time lag and progress',
        'Seconds between now and the newest record written; seconds since the last commit.',
        g(12, 13, 12, 8),
        [
          promTarget(`max(abuse_event_time_lag_seconds${JOB})`, 'event-time lag'),
          promTarget(`time() - max(abuse_last_progress_timestamp_seconds${JOB})`, 'since last commit', 'B'),
        ],
        { unit: 's', min: 0 },
      ),
      row('Processing', 21),
      promTimeseries(
        'Stage latency (p95)',
        '95th percentile of processing time per pipeline stage.',
        g(0, 22, 12, 8),
        [promTarget(q(0.95, 'abuse_stage_duration_seconds', 'stage'), '{{stage}}')],
        { unit: 's' },
      ),
      promTimeseries(
        'Messages by verdict',
        "Messages analysed per second by verdict, and the processor's spam ratio.",
        g(12, 22, 12, 8),
        [
          promTarget(`sum by (verdict) (rate(abuse_messages_total${JOB}[$__rate_interval]))`, '{{verdict}}'),
          promTarget(`avg(abuse_spam_ratio${JOB})`, 'spam ratio', 'B'),
        ],
        {
          overrides: [
            {
              matcher: { id: 'byName', options: 'spam ratio' },
              properties: [
                { id: 'unit', value: 'percentunit' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
          ],
        },
      ),
      promTimeseries(
        'Campaigns and near-duplicate index',
        'Campaigns active and created, fingerprints in the index and evicted, largest campaign growth in chats over 10 minutes.',
        g(0, 30, 12, 8),
        [
          promTarget(`sum(abuse_campaigns_active${JOB})`, 'campaigns active'),
          promTarget(`sum(rate(abuse_campaigns_created_total${JOB}[$__rate_interval])) * 60`, 'campaigns created/min', 'B'),
          promTarget(`max(abuse_campaign_growth_max_chats_10m${JOB})`, 'max new chats of a campaign (10m)', 'C'),
          promTarget(`sum(abuse_neardup_index_entries${JOB})`, 'index entries', 'D'),
          promTarget(`sum(rate(abuse_neardup_index_evictions_total${JOB}[$__rate_interval]))`, 'evictions/s', 'E'),
        ],
        {
          overrides: [
            { matcher: { id: 'byName', options: 'index entries' }, properties: [{ id: 'custom.axisPlacement', value: 'right' }] },
          ],
        },
      ),
      promTimeseries(
        'Process',
        'Resident memory, CPU and event-loop lag (p99) of each instance.',
        g(12, 30, 12, 8),
        [
          promTarget(`process_resident_memory_bytes${JOB}`, 'rss {{instance}}'),
          promTarget(`rate(process_cpu_seconds_total${JOB}[$__rate_interval])`, 'cpu {{instance}}', 'B'),
          promTarget(`nodejs_eventloop_lag_p99_seconds${JOB}`, 'event loop p99 {{instance}}', 'C'),
        ],
        {
          unit: 'bytes',
          overrides: [
            {
              matcher: { id: 'byFrameRefID', options: 'B' },
              properties: [
                { id: 'unit', value: 'percentunit' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
            {
              matcher: { id: 'byFrameRefID', options: 'C' },
              properties: [
                { id: 'unit', value: 's' },
                { id: 'custom.axisPlacement', value: 'right' },
              ],
            },
          ],
        },
      ),
      promTimeseries(
        'Spam rules fired',
        'Spam rules that fired per second, by rule and mode (counted, or shadow: recorded only).',
        g(0, 38, 12, 8),
        [promTarget(`sum by (reason, mode) (rate(abuse_spam_reasons_total${JOB}[$__rate_interval]))`, '{{reason}} ({{mode}})')],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Obfuscations undone',
        'Obfuscations the normalizer undid per second (homoglyphs, zero-width characters, inserted emoji...), by kind.',
        g(12, 38, 12, 8),
        [promTarget(`sum by (kind) (rate(abuse_obfuscations_total${JOB}[$__rate_interval]))`, '{{kind}}')],
        { unit: 'reqps' },
      ),
      row('ClickHouse sink', 46),
      promTimeseries(
        'Rows written',
        'Rows inserted per second, per table.',
        g(0, 47, 8, 8),
        [promTarget(`sum by (table) (rate(abuse_sink_rows_written_total${JOB}[$__rate_interval]))`, '{{table}}')],
        { unit: 'reqps' },
      ),
      promTimeseries(
        'Insert duration (p95)',
        '95th percentile of ClickHouse insert time, per table.',
        g(8, 47, 8, 8),
        [promTarget(q(0.95, 'abuse_sink_insert_duration_seconds', 'table'), '{{table}}')],
        { unit: 's' },
      ),
      promTimeseries(
        'Failures, retries, backpressure',
        'Insert failures and retries per second; share of time paused by backpressure; records buffered.',
        g(16, 47, 8, 8),
        [
          promTarget(`sum by (table) (rate(abuse_sink_insert_failures_total${JOB}[$__rate_interval]))`, 'failures {{table}}'),
          promTarget(`sum(rate(abuse_sink_retries_total${JOB}[$__rate_interval]))`, 'retries', 'B'),
          promTarget(`sum(rate(abuse_backpressure_seconds_total${JOB}[$__rate_interval]))`, 'paused (s/s)', 'C'),
          promTarget(`max(abuse_backpressure_active${JOB})`, 'paused now', 'E'),
          promTarget(`sum(abuse_buffered_records${JOB})`, 'buffered records', 'D'),
        ],
        {
          overrides: [
            { matcher: { id: 'byName', options: 'buffered records' }, properties: [{ id: 'custom.axisPlacement', value: 'right' }] },
          ],
        },
      ),
      promTimeseries('Rebalances and partitions', 'Group rebalances seen, partitions held.', g(0, 55, 8, 8), [
        promTarget(`sum(increase(abuse_rebalances_total${JOB}[$__rate_interval]))`, 'rebalances'),
        promTarget(`sum by (instance) (abuse_partitions_assigned${JOB})`, 'partitions {{instance}}', 'B'),
      ]),
      chStat(
        'Newest data',
        'Seconds between now and the newest minute in message_stats_1m (end-to-end freshness as analysts see it).',
        g(8, 55, 4, 8),
        "SELECT dateDiff('second', max(minute), now()) AS seconds_behind FROM message_stats_1m WHERE minute >= now() - INTERVAL 2 DAY",
        { unit: 's' },
      ),
      chTable(
        'Table sizes',
        'Rows and bytes on disk of the abuse tables (system.parts; the Grafana user needs SELECT on it).',
        g(12, 55, 12, 8),
        `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes_on_disk, count() AS parts, max(modification_time) AS last_write
         FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table ORDER BY bytes_on_disk DESC`,
        ['table', 'rows', 'bytes_on_disk', 'parts', 'last_write'],
        { units: { bytes_on_disk: 'bytes' } },
      ),
      row('Dead letters', 63),
      promTimeseries(
        'Dead letters by reason',
        'Records rejected per second, per topic and reason code.',
        g(0, 64, 12, 8),
        [promTarget(`sum by (topic, reason) (rate(abuse_dead_letters_total${JOB}[$__rate_interval]))`, '{{reason}} ({{topic}})')],
        { unit: 'reqps' },
      ),
      chTimeseries(
        'Dead letters stored',
        'Rows written to dead_letters per interval, by reason code (processing time).',
        g(12, 64, 12, 8),
        `SELECT $__timeInterval(received_at) AS time, reason, count() AS dead_letters
         FROM dead_letters WHERE $__timeFilter(received_at) GROUP BY time, reason ORDER BY time`,
        { bars: true, stack: true },
      ),
      chTable(
        'Latest dead letters',
        'The newest rejected records: where they came from, why, and the hash of the payload (the prefix stays in ClickHouse).',
        g(0, 72, 24, 9),
        `SELECT received_at, topic, partition, offset, reason, detail, payload_bytes, payload_sha256
         FROM dead_letters WHERE $__timeFilter(received_at) ORDER BY received_at DESC LIMIT 100`,
        ['received_at', 'topic', 'partition', 'offset', 'reason', 'detail', 'payload_bytes', 'payload_sha256'],
        { units: { payload_bytes: 'bytes' } },
      ),
    ],
  })
}
