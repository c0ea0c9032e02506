// The browser side of the browser test: bundled (with a contract's generated
// clients) for Chromium, it runs the cases the test hands it through the
// generated REST, GraphQL and WebSocket clients, holds event subscriptions on
// GraphQL, SSE and the WebSocket channel, and reports everything in the
// contract's JSON wire form, which the test decodes and compares with what the
// implementation returned. Values cross between Node and the page only in
// that form, so the page builds the bigints, Dates, Maps and Uint8Arrays the
// clients take itself.
import { ApigenError, decodeFields, decodeJson, encodeFields, encodeJson, type ContractDescriptor, type JsonValue, type OperationDesc, type Violation } from 'apigen-runtime';

type Client = Record<string, (input: unknown, options?: object) => unknown>;
type Subscriber = { subscribe(event: string, handler: (payload: unknown) => void): { close(): void; ready?: Promise<void> } };

export interface PageClients {
  contract: ContractDescriptor;
  rest: (options: object) => Client;
  graphql: (options: object) => Client & Subscriber;
  ws?: (options: object) => Client & Subscriber & { ready(): Promise<void>; call?: never; close(): void };
  sse?: (options: object) => Subscriber;
}

export interface PageCase {
  id: number;
  style: 'rest' | 'graphql' | 'ws';
  operation: string;
  /** The input fields in JSON form, or a client stream's elements. */
  input: JsonValue;
}

export type PageResult =
  | { id: number; ok: true; output: JsonValue | JsonValue[] | { absent: true } }
  | { id: number; ok: false; error: { name: string; errorName?: string; message: string; fields?: JsonValue } };

export interface PageSetup {
  apiUrl: string;
  credentials?: Record<string, string>;
}

export interface ReceivedEvent {
  transport: 'graphql' | 'sse' | 'ws';
  event: string;
  payload: JsonValue;
}

/**
 * What the test calls with `page.evaluate`. Cases and results cross as JSON text: a structured copy would
 * drop a map's `__proto__` key, which JSON.parse keeps as an own property.
 */
export interface PageApi {
  /** `cases`: PageCase[] as JSON text; resolves with PageResult[] as JSON text. */
  run(setup: PageSetup, cases: string): Promise<string>;
  subscribe(setup: PageSetup): Promise<void>;
  /** ReceivedEvent[] as JSON text. */
  received(): string;
  unsubscribe(): void;
}

declare global {
  interface Window {
    apigen: PageApi;
  }
}

export function startPage(clients: PageClients): void {
  const contract = clients.contract;
  const operation = (name: string): OperationDesc => contract.operations.find((op) => op.name === name)!;
  const received: ReceivedEvent[] = [];
  const open: { close(): void }[] = [];

  const decodeInput = (op: OperationDesc, json: JsonValue): unknown => {
    const violations: Violation[] = [];
    let value: unknown;
    if (op.input.kind === 'stream') {
      const element = op.input.element;
      const elements = (json as JsonValue[]).map((e) => decodeJson(contract, element, e, '', violations, 'input'));
      value = (async function* () {
        yield* elements;
      })();
    } else if (op.input.kind === 'fields') value = decodeFields(contract, op.input.fields, json, '', violations, 'input');
    else value = {};
    if (violations.length > 0) throw new Error(`the page could not decode the input of ${op.name}: ${JSON.stringify(violations)}`);
    return value;
  };

  const encodeOutput = async (op: OperationDesc, result: unknown): Promise<JsonValue | JsonValue[] | { absent: true }> => {
    const output = op.output;
    if (output.kind === 'stream') {
      const elements: JsonValue[] = [];
      for await (const element of result as AsyncIterable<unknown>) elements.push(encodeJson(contract, output.element, element));
      return elements;
    }
    const value = await result;
    if (output.kind === 'none' || value === undefined) return { absent: true };
    return encodeJson(contract, output.type, value);
  };

  const describeError = (error: unknown): { name: string; errorName?: string; message: string; fields?: JsonValue } => {
    if (!(error instanceof ApigenError)) return { name: error instanceof Error ? error.name : 'thrown', message: String(error instanceof Error ? error.message : error) };
    const desc = contract.errors.find((e) => e.name === error.errorName);
    const fields = desc ? encodeFields(contract, desc.fields, error.fields as Record<string, unknown>) : {};
    return { name: error.constructor.name, errorName: error.errorName, message: error.message, fields };
  };

  window.apigen = {
    async run(setup, text) {
      const cases = JSON.parse(text) as PageCase[];
      const options = { credentials: setup.credentials };
      const rest = clients.rest({ ...options, baseUrl: setup.apiUrl });
      const graphql = clients.graphql({ ...options, url: `${setup.apiUrl}/graphql` });
      const ws = clients.ws?.({ ...options, url: `${setup.apiUrl.replace(/^http/, 'ws')}/ws` });
      const results: PageResult[] = [];
      try {
        for (const c of cases) {
          const op = operation(c.operation);
          const client = c.style === 'rest' ? rest : c.style === 'graphql' ? graphql : (ws as unknown as Client);
          try {
            const output = await encodeOutput(op, client[op.name]!(decodeInput(op, c.input)));
            results.push({ id: c.id, ok: true, output });
          } catch (error) {
            results.push({ id: c.id, ok: false, error: describeError(error) });
          }
        }
      } finally {
        ws?.close();
      }
      return JSON.stringify(results);
    },

    async subscribe(setup) {
      const options = { credentials: setup.credentials };
      const take = (transport: ReceivedEvent['transport'], event: string) => (payload: unknown) =>
        void received.push({ transport, event, payload: encodeJson(contract, contract.events.find((e) => e.name === event)!.payload, payload) });
      const graphql = clients.graphql({ ...options, url: `${setup.apiUrl}/graphql` });
      const ws = clients.ws?.({ ...options, url: `${setup.apiUrl.replace(/^http/, 'ws')}/ws` });
      const sse = clients.sse?.({ ...options, baseUrl: setup.apiUrl });
      const ready: Promise<void>[] = [];
      for (const event of contract.events) {
        open.push(graphql.subscribe(event.name, take('graphql', event.name)));
        if (sse) {
          const subscription = sse.subscribe(event.name, take('sse', event.name));
          open.push(subscription);
          if (subscription.ready) ready.push(subscription.ready);
        }
        if (ws) open.push(ws.subscribe(event.name, take('ws', event.name)));
      }
      if (ws) {
        open.push(ws);
        ready.push(ws.ready());
      }
      await Promise.all(ready);
    },

    received: () => JSON.stringify(received),

    unsubscribe() {
      for (const subscription of open.splice(0)) subscription.close();
    },
  };
}
