// Events on MQTT, AMQP 0-9-1 and Kafka (being written).
import type { StyleFiles } from './styles.js';

export const brokerFiles: StyleFiles = () => [];
