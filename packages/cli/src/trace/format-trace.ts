import type { TraceNode } from './trace-node';

/**
 * The trace as a text tree, one span per line: name, outcome, milliseconds.
 *
 * ```
 * explain (REMOTION) 12 ms
 * ├─ prefixed-profile  resolved  11 ms
 * │  ├─ role cache 1a2b3c4d…  miss
 * │  └─ STS AssumeRole arn:aws:iam::111122223333:role/render  ok  9 ms
 * └─ prefixed-env  …
 * ```
 */
export function formatTrace(root: TraceNode): string {
  const lines = [describe(root)];
  const walk = (node: TraceNode, indent: string) => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${describe(child)}`);
      walk(child, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(root, '');
  return `${lines.join('\n')}\n`;
}

function describe(node: TraceNode): string {
  const parts = [node.name];
  if (node.outcome !== undefined) parts.push(node.outcome);
  if (node.ms !== undefined) parts.push(`${Math.round(node.ms)} ms`);
  return parts.join('  ');
}
