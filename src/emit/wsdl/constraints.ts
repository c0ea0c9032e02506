// Contract constraints as XSD facets and occurrence bounds. Value rules (min,
// max, minLength, maxLength, pattern) apply to the value, or to each element
// of a list; they become facets where the element holds the value itself. In a
// generated wrapper (a list in a list, an optional list) they cannot be
// attached to one field, so they are stated in the documentation instead, as
// is a pattern XSD cannot express.
import type { Constraints } from '../../contract/model.js';
import type { XsdFacet } from './ast.js';
import { translatePattern } from './patterns.js';

export interface PrintedConstraints {
  facets: XsdFacet[];
  /** What this schema does not check, as a sentence; undefined when it checks everything. */
  unchecked?: string;
}

/**
 * `valueFacets`: the element holds the (innermost) value, so value rules may be facets.
 * `occursBounds`: the element repeats per list entry, so minItems/maxItems are its occurrence.
 */
export function printConstraints(c: Constraints, valueFacets: boolean, occursBounds: boolean): PrintedConstraints {
  const facets: XsdFacet[] = [];
  const unchecked: string[] = [];
  const facet = (name: XsdFacet['name'], value: string) => facets.push({ name, value, documentation: [] });
  const valueRule = (key: string, value: number | string | undefined, name: XsdFacet['name']) => {
    if (value === undefined) return;
    if (valueFacets && portableBound(key, value)) facet(name, printBound(value));
    else unchecked.push(`${key} ${value}`);
  };
  valueRule('min', c.min, 'minInclusive');
  valueRule('max', c.max, 'maxInclusive');
  valueRule('minLength', c.minLength, 'minLength');
  valueRule('maxLength', c.maxLength, 'maxLength');
  if (c.pattern !== undefined) {
    const pattern = translatePattern(c.pattern);
    if (valueFacets && pattern.ok) facet('pattern', pattern.xsd);
    else unchecked.push(`pattern ${JSON.stringify(c.pattern)} (ECMAScript${pattern.ok ? '' : `; ${pattern.reason} has no XSD form`})`);
  }
  if (!occursBounds) {
    if (c.minItems !== undefined) unchecked.push(`minItems ${c.minItems}`);
    if (c.maxItems !== undefined) unchecked.push(`maxItems ${c.maxItems}`);
  }
  return unchecked.length ? { facets, unchecked: `Also required (not checked by this schema): ${unchecked.join('; ')}.` } : { facets };
}

/**
 * XSD 1.0 (Part 2, 3.2.3) asks processors to support xs:decimal values of 18
 * digits, and libxml2 stops near there; a longer min/max bound would make the
 * schema unreadable to such processors, so it is stated in the documentation
 * instead. Whole numbers of 19 digits are xs:long's own range and always read.
 */
function portableBound(key: string, value: number | string): boolean {
  if (key !== 'min' && key !== 'max') return true;
  const text = printBound(value);
  const digits = text.replace(/[-+.]/g, '').replace(/^0+(?=\d)/, '').length;
  return digits <= 18 || (/^-?\d+$/.test(text) && digits <= 19);
}

/** A bound in XSD's lexical form, which has no exponent for xs:decimal and the integer types. */
function printBound(value: number | string): string {
  if (typeof value === 'string') return value;
  const text = String(value);
  const exponent = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  if (Number.isInteger(value)) return BigInt(value).toString();
  const fractionDigits = (exponent[3]?.length ?? 0) - Number(exponent[4]);
  return value.toFixed(Math.min(100, fractionDigits));
}
