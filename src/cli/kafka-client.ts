/**
 * The Kafka client settings of a consumer's adapters (its source, the topic check, the campaign
 * exchange), from the configuration: the SASL password only from the environment.
 */
import type { Config } from '../config/schema.js'
import type { Logger } from '../domain/ports.js'
import type { KafkaClientOptions } from '../sources/kafka/client.js'

export function kafkaClientOptions(config: Config, logger: Logger): KafkaClientOptions {
  const { kafka } = config.settings
  return {
    brokers: kafka.brokers,
    clientId: kafka.client_id,
    ssl: kafka.ssl,
    sasl: { mechanism: kafka.sasl.mechanism, username: kafka.sasl.username, password: config.secrets.kafkaSaslPassword },
    logger,
  }
}
