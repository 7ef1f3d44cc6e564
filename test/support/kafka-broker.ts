// Tests and benchmarks reach the real Kafka broker harness (scripts/kafka/) through here.
export { startBroker, type KafkaBroker, type RestartOptions, type StartBrokerOptions } from '../../scripts/kafka/broker.js'
export { ensureKafkaJars, kafkaVersion } from '../../scripts/kafka/jars.js'
export { freePort } from '../../scripts/kafka/network.js'
export { createTopics, type CreateTopicsOptions } from '../../scripts/kafka/topics.js'
