// The WSDL document as data. Printers in this folder build it from the model;
// render.ts lays it out as text.
// Names are final NCNames, type references are final QNames (`xs:string`,
// `tns:Book`), and every text is still raw: render.ts escapes it for XML.

export interface WsdlDocument {
  /** wsdl:definitions/@name: the service name. */
  name: string;
  targetNamespace: string;
  documentation: string[];
  schema: XsdSchema;
  messages: WsdlMessage[];
  portType: WsdlPortType;
  bindings: WsdlBinding[];
  service: WsdlService;
}

export interface XsdSchema {
  /** Named simple and complex types, in print order. */
  types: XsdNamedType[];
  /** Global elements: operation wrappers, then faults. */
  elements: XsdElement[];
}

export type XsdNamedType = XsdSimpleType | XsdComplexType;

/** A named xs:simpleType restricting a built-in type (enums, uuid). */
export interface XsdSimpleType {
  kind: 'simpleType';
  name: string;
  documentation: string[];
  restriction: XsdRestriction;
}

export interface XsdComplexType {
  kind: 'complexType';
  /** Absent for the anonymous type of a global element. */
  name?: string;
  documentation: string[];
  /** `sequence` for objects and wrappers, `choice` for unions. */
  group: 'sequence' | 'choice';
  elements: XsdElement[];
}

export interface XsdRestriction {
  base: string;
  facets: XsdFacet[];
}

/** `<xs:minLength value="1"/>`, `<xs:enumeration value="DRAFT">` with its own documentation. */
export interface XsdFacet {
  name: 'minInclusive' | 'maxInclusive' | 'minLength' | 'maxLength' | 'pattern' | 'enumeration';
  value: string;
  documentation: string[];
}

export type XsdOccurs = number | 'unbounded';

export interface XsdElement {
  name: string;
  /** Exactly one of type (a QName), restriction (an anonymous simpleType) or complexType. */
  type?: string;
  restriction?: XsdRestriction;
  complexType?: XsdComplexType;
  /** XSD's default for both is 1; printed only when different. */
  minOccurs: number;
  maxOccurs: XsdOccurs;
  documentation: string[];
}

export interface WsdlMessage {
  name: string;
  part: { name: string; element: string };
}

export interface WsdlPortType {
  name: string;
  operations: WsdlOperation[];
}

export interface WsdlOperation {
  name: string;
  documentation: string[];
  input: string;
  output: string;
  faults: WsdlFault[];
}

export interface WsdlFault {
  /** The fault name shared by the portType and the binding: the error as written. */
  name: string;
  message: string;
}

export type SoapVersion = '1.1' | '1.2';

export interface WsdlBinding {
  name: string;
  portType: string;
  soap: SoapVersion;
  operations: WsdlBindingOperation[];
}

export interface WsdlBindingOperation {
  name: string;
  soapAction: string;
  faults: string[];
}

export interface WsdlService {
  name: string;
  documentation: string[];
  ports: WsdlPort[];
}

export interface WsdlPort {
  name: string;
  binding: string;
  soap: SoapVersion;
  location: string;
}
