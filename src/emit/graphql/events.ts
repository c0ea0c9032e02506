// Events become Subscription fields named after the event. The payload is the
// named object type, or an object type `BookPublishedEvent` for an inline
// payload. An event key becomes an optional argument that filters events by
// that payload field.
import type { GraphQLFieldConfig } from 'graphql';
import { GraphQLNonNull, GraphQLObjectType } from 'graphql';
import type { EventDef } from '../../contract/model.js';
import type { TypeCatalog } from './catalog.js';
import { deprecationReason, describeDeprecation, joinParagraphs } from './descriptions.js';
import { buildOutputFields } from './objects.js';
import { eventKeyField } from './reach.js';

export function buildEventPayloadType(catalog: TypeCatalog, event: EventDef): GraphQLObjectType | undefined {
  if (event.payload.kind !== 'inline') return undefined;
  const fields = event.payload.fields;
  return new GraphQLObjectType({
    name: event.names.payloadType,
    description: joinParagraphs(`Payload of the \`${event.names.graphql}\` event.`, describeDeprecation(event.deprecated)),
    fields: () => buildOutputFields(catalog, fields),
  });
}

export function buildEventField(
  catalog: TypeCatalog,
  event: EventDef,
  inlinePayload: GraphQLObjectType | undefined,
): GraphQLFieldConfig<unknown, unknown> {
  const payload =
    event.payload.kind === 'named' ? (catalog.namedOutput(event.payload.type) as GraphQLObjectType) : inlinePayload;
  if (!payload) throw new Error(`graphql emitter invariant: no payload type for event ${event.name}`);
  const key = eventKeyField(catalog.model, event);
  return {
    type: new GraphQLNonNull(payload),
    args: key
      ? {
          [key.names.graphql]: {
            type: catalog.inputType(key.type, true),
            description: `Only events whose \`${key.names.graphql}\` equals this value; every event when left out.`,
          },
        }
      : {},
    description: joinParagraphs(event.description, 'An event: one subscription payload each time the service publishes it.'),
    deprecationReason: deprecationReason(event.deprecated),
  };
}
