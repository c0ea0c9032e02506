// The grpc server and client (being written).
import type { StyleFiles } from './styles.js';

export const grpcFiles: StyleFiles = () => [];
