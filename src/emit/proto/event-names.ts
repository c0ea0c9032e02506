// Names the model does not carry for events: the response message of the
// SubscribeX rpc and the field of it that holds the payload.
import type { EventDef } from '../../contract/model.js';

/** SubscribeBookPublishedResponse, beside the model's SubscribeBookPublishedRequest. */
export function eventResponseName(event: EventDef): string {
  return `${event.names.grpc}Response`;
}
