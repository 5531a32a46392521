/** The runtime matrix as a plain-text table: one row per check, one column per runtime. */

export interface MatrixRow {
  readonly title: string;
  /** The cell of each runtime, by its id. */
  readonly cells: Readonly<Record<string, string>>;
}

export function formatMatrix(columns: readonly string[], rows: readonly MatrixRow[]): string {
  const header = ['check', ...columns];
  const lines = rows.map((row) => [row.title, ...columns.map((c) => row.cells[c] ?? '')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join(
    '\n',
  );
}
