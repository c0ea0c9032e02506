// Description text: contract descriptions are kept as written (the YAML
// printer escapes them); deprecation reasons and facts OpenAPI has no keyword
// for are added as separate paragraphs.
import type { Deprecation } from '../../contract/model.js';

/** Joins the non-empty paragraphs; undefined when there are none. */
export function joinParagraphs(...paragraphs: (string | undefined)[]): string | undefined {
  const kept = paragraphs.map((p) => p?.trim()).filter((p): p is string => p !== undefined && p.length > 0);
  return kept.length > 0 ? kept.join('\n\n') : undefined;
}

/** `Deprecated: <reason>.` when a reason was given; `deprecated: true` carries the rest. */
export function describeDeprecation(deprecated: Deprecation): string | undefined {
  if (deprecated?.reason === undefined) return undefined;
  return `Deprecated: ${sentence(deprecated.reason)}`;
}

/** Ends the text with a full stop unless it already ends with punctuation. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?:;)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * An operation's summary and the description that remains: the first sentence
 * of the description (so the summary is not repeated below it when that is all
 * there is), or the humanized name when there is no description.
 */
export function summarize(name: string, description: string | undefined): { summary: string; rest: string | undefined } {
  const text = description?.trim();
  if (!text) return { summary: humanize(name), rest: undefined };
  const match = /^(.*?[.!?])(\s|$)/s.exec(text);
  const first = (match?.[1] ?? text).split('\n')[0]!.trim();
  const summary = first.replace(/\.$/, '');
  const rest = first === text ? undefined : text;
  return { summary, rest };
}

/** `getBook` -> `Get book`, `getABC` -> `Get ABC`. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => (/^[A-Z0-9]+$/.test(w) && w.length > 1 ? w : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
