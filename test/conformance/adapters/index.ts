// Every style the conformance suite runs. Adding a style: write
// `adapters/<style>.ts` exporting a StyleAdapter (see ../adapter.ts) and add
// it to this list. CONFORMANCE_STYLES=rest,grpc narrows a run to some styles.
import type { StyleAdapter } from '../adapter.js';
import { directAdapter } from './direct.js';
import { graphqlAdapter } from './graphql.js';
import { grpcAdapter } from './grpc.js';
import { restAdapter } from './rest.js';
import { soap12Adapter, soapAdapter } from './soap.js';
import { trpcAdapter, trpcWsAdapter } from './trpc.js';
import { webrtcAdapter, wsAdapter } from './webrtc.js';

const ALL: StyleAdapter[] = [directAdapter, restAdapter, graphqlAdapter, grpcAdapter, soapAdapter, soap12Adapter, trpcAdapter, trpcWsAdapter, wsAdapter, webrtcAdapter];

const only = process.env.CONFORMANCE_STYLES?.split(',').map((s) => s.trim()).filter((s) => s !== '');

export const adapters: StyleAdapter[] = only ? ALL.filter((a) => only.includes(a.style)) : ALL;
