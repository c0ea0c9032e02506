// A small unified-style line diff for readable golden-test failures.

/** `-` lines from `expected`, `+` lines from `actual`, with `context` unchanged lines around each change. */
export function lineDiff(expected: string, actual: string, context = 3, maxLines = 80): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  // Trim the common head and tail first: generated files usually differ in a few places.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops = midA.length * midB.length > 4_000_000 ? naive(midA, midB) : lcsOps(midA, midB);
  const lines: { tag: ' ' | '-' | '+'; text: string; lineA: number }[] = [];
  for (let i = Math.max(0, head - context); i < head; i++) lines.push({ tag: ' ', text: a[i]!, lineA: i + 1 });
  let lineA = head;
  for (const op of ops) {
    if (op.tag !== '+') lineA++;
    lines.push({ ...op, lineA });
  }
  for (let i = a.length - tail; i < Math.min(a.length, a.length - tail + context); i++) lines.push({ tag: ' ', text: a[i]!, lineA: i + 1 });
  // Keep only context lines near a change.
  const near = lines.map((l, i) => l.tag !== ' ' || lines.slice(Math.max(0, i - context), i + context + 1).some((x) => x.tag !== ' '));
  const out: string[] = [];
  let skipped = false;
  lines.forEach((l, i) => {
    if (!near[i]) {
      skipped = true;
      return;
    }
    if (skipped || out.length === 0) out.push(`@@ line ${l.lineA} @@`);
    skipped = false;
    out.push(`${l.tag} ${l.text}`);
  });
  if (out.length > maxLines) return [...out.slice(0, maxLines), `... (${out.length - maxLines} more diff lines)`].join('\n');
  return out.join('\n');
}

type Op = { tag: ' ' | '-' | '+'; text: string };

function naive(a: string[], b: string[]): Op[] {
  return [...a.map((text) => ({ tag: '-' as const, text })), ...b.map((text) => ({ tag: '+' as const, text }))];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ tag: ' ', text: a[i]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) {
      ops.push({ tag: '-', text: a[i++]! });
    } else {
      ops.push({ tag: '+', text: b[j++]! });
    }
  }
  while (i < n) ops.push({ tag: '-', text: a[i++]! });
  while (j < m) ops.push({ tag: '+', text: b[j++]! });
  return ops;
}
