import type { Key, ReactNode } from 'react';

export interface Column<T> {
  head: ReactNode;
  cell: (row: T) => ReactNode;
  /** A figure: right-aligned, in the header too. */
  num?: boolean;
  /** The row's name: a row header (`th scope="row"`) rather than a cell. */
  rowHeader?: boolean;
  /** Shown before the cell where a table stacks on a phone (`data-label`). */
  label?: string;
  className?: string;
}

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/** A table of rows, one column per field: headers scoped for screen readers, figures right-aligned. */
export function Table<T>({
  columns,
  rows,
  rowKey,
  className,
  rowClassName,
}: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key | null;
  className?: string;
  rowClassName?: (row: T) => string;
}) {
  return (
    <table className={classes('table', className)}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their place is their identity
            <th key={i} scope="col" className={classes(c.num && 'num')}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {columns.map((c, i) =>
              c.rowHeader ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above
                <th key={i} scope="row" className={c.className}>
                  {c.cell(row)}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above
                <td key={i} className={classes(c.num && 'num', c.className)} data-label={c.label}>
                  {c.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
