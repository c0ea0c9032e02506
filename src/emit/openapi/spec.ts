// The OpenAPI 3.1 shapes this emitter builds: openapi-types' OpenAPIV3_1
// objects, except where those still carry 3.0 shapes (schemas, and path items,
// whose operation types intersect with the 3.0 ones). Schemas are JSON Schema
// 2020-12, so they are typed here with the keywords the JSON wire encoding
// needs (contentEncoding, contentSchema, const, and `$ref` with siblings).
import type { OpenAPIV3_1 } from 'openapi-types';

export interface Schema {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  format?: string;
  contentEncoding?: string;
  contentMediaType?: string;
  contentSchema?: Schema;
  items?: Schema;
  additionalProperties?: Schema | false;
  required?: string[];
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  oneOf?: Schema[];
  discriminator?: OpenAPIV3_1.DiscriminatorObject;
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  readOnly?: boolean;
  deprecated?: boolean;
  description?: string;
}

export type MediaType = Omit<OpenAPIV3_1.MediaTypeObject, 'schema'> & { schema?: Schema };
export type Content = Record<string, MediaType>;
export type Parameter = Omit<OpenAPIV3_1.ParameterObject, 'schema' | 'content'> & { schema?: Schema; content?: Content };
export type RequestBody = Omit<OpenAPIV3_1.RequestBodyObject, 'content'> & { content: Content };
export type Response = Omit<OpenAPIV3_1.ResponseObject, 'content'> & { content?: Content };
export type Operation = Omit<OpenAPIV3_1.OperationObject, 'parameters' | 'requestBody' | 'responses'> & {
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses?: Record<string, Response>;
};
export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type PathItem = Partial<Record<Method, Operation>>;
export type SecurityScheme = OpenAPIV3_1.SecuritySchemeObject;
export type SecurityRequirement = OpenAPIV3_1.SecurityRequirementObject;
export type Server = OpenAPIV3_1.ServerObject;
export type Tag = OpenAPIV3_1.TagObject;
export type Info = OpenAPIV3_1.InfoObject;

export interface Document {
  openapi: string;
  info: Info;
  servers: Server[];
  security: SecurityRequirement[];
  tags: Tag[];
  paths: Record<string, PathItem>;
  webhooks?: Record<string, PathItem>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes?: Record<string, SecurityScheme>;
  };
}

const SCHEMAS = '#/components/schemas/';

/** A reference to a component schema (JSON Pointer escaping per RFC 6901). */
export function schemaRef(componentName: string): Schema & { $ref: string } {
  return { $ref: SCHEMAS + componentName.replace(/~/g, '~0').replace(/\//g, '~1') };
}
