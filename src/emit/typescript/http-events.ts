// Events over WebSocket, SSE and webhooks (being written).
import type { StyleFiles } from './styles.js';

export const httpEventFiles: StyleFiles = () => [];
