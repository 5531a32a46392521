/** A column of {@link formatTable}: its header and how to decorate a padded cell. */
export interface TableColumn<R> {
  readonly header: string;
  readonly cell: (row: R) => string;
  /** Applied after padding, so colour codes never break the alignment. */
  readonly decorate?: (padded: string, row: R) => string;
}

/**
 * A compact, left-aligned text table with two spaces between columns and
 * a header row, each line indented by `indent`. The last column is not
 * padded, so long reasons do not produce trailing blanks.
 */
export function formatTable<R>(
  columns: readonly TableColumn<R>[],
  rows: readonly R[],
  options: { indent?: string; header?: (text: string) => string } = {},
): string {
  const indent = options.indent ?? '  ';
  const cells = rows.map((row) => columns.map((c) => oneLine(c.cell(row))));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => (r[i] as string).length)),
  );
  const pad = (text: string, i: number) =>
    i === columns.length - 1 ? text : text.padEnd(widths[i] as number);
  const header = columns.map((c, i) => pad(c.header, i)).join('  ');
  const lines = [indent + (options.header ? options.header(header.trimEnd()) : header.trimEnd())];
  rows.forEach((row, r) => {
    const line = columns
      .map((c, i) => {
        const padded = pad((cells[r] as string[])[i] as string, i);
        return c.decorate ? c.decorate(padded, row) : padded;
      })
      .join('  ');
    lines.push((indent + line).trimEnd());
  });
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
