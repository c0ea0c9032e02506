// The per-style servers and clients. Each entry prints the files of one style
// (`rest/`, `graphql/`, `grpc/`, `soap/`, `trpc/`, `webrtc/`, the event transports); they all build on the files the
// typescript emitter writes first (types, service, errors, contract, events).
import type { Model } from '../../contract/model.js';
import type { EmitContext } from '../types.js';
import { brokerFiles } from './brokers.js';
import type { TsFile } from './file.js';
import { graphqlFiles } from './graphql.js';
import { grpcFiles } from './grpc.js';
import { httpEventFiles } from './http-events.js';
import { restFiles } from './rest.js';
import { soapFiles } from './soap.js';
import { trpcFiles } from './trpc.js';
import { webrtcFiles } from './webrtc.js';

export type StyleFiles = (model: Model, ctx: EmitContext) => TsFile[] | Promise<TsFile[]>;

export const STYLE_FILES: StyleFiles[] = [restFiles, graphqlFiles, grpcFiles, soapFiles, trpcFiles, httpEventFiles, webrtcFiles, brokerFiles];
