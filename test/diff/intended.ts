// The intended differences between apigen diff and each ecosystem checker,
// each naming the section of docs/breaking.md that explains it.
import type { ChangeCode } from '../../src/diff/rules.js';

export type Tool = 'buf' | 'graphql-inspector' | 'oasdiff';

/**
 * Intended differences, by tool and by the apigen change that explains them. `laxer`: the tool calls the
 * edit breaking and apigen does not (in that style); `stricter`: the other way round. The value names the
 * section of docs/breaking.md that explains it.
 */
export const INTENDED: Record<Tool, { laxer: Partial<Record<ChangeCode, string>>; stricter: Partial<Record<ChangeCode, string>> }> = {
  buf: {
    laxer: {
      'optional-field-removed': 'buf FILE rules',
      'union-member-removed': 'buf FILE rules',
      'enum-value-removed': 'buf FILE rules',
      'field-made-required': 'buf FILE rules',
    },
    stricter: {
      'auth-required': 'What the specs cannot say',
      'auth-scheme-changed': 'What the specs cannot say',
      'constraint-tightened': 'What the specs cannot say',
      'error-code-changed': 'What the specs cannot say',
      'field-added-required': 'proto3 presence',
      'field-made-required': 'proto3 presence',
      'operation-output-made-optional': 'proto3 presence',
    },
  },
  'graphql-inspector': {
    laxer: {},
    stricter: {
      'auth-required': 'What the specs cannot say',
      'auth-scheme-changed': 'What the specs cannot say',
      'constraint-tightened': 'What the specs cannot say',
      'error-code-changed': 'What the specs cannot say',
    },
  },
  oasdiff: {
    laxer: {
      'enum-value-added': 'New enum values and union members',
      'union-member-added': 'New enum values and union members',
    },
    stricter: {
      'auth-scheme-changed': 'oasdiff warnings',
      'error-code-changed': 'oasdiff warnings',
      'field-made-optional': 'oasdiff warnings',
      'field-renamed': 'oasdiff warnings',
      'field-removed': 'oasdiff warnings',
      'optional-field-removed': 'oasdiff warnings',
      'field-type-changed': 'oasdiff warnings',
      'operation-output-made-optional': 'oasdiff warnings',
      'union-discriminator-changed': 'oasdiff warnings',
    },
  },
};

