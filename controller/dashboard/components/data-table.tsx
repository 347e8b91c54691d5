import type { ComponentChildren } from 'preact';

/** One column of a `DataTable`: its header's words and what each row shows in it. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  class?: string;
  /** The cell names its row: a `<th scope="row">`, so screen readers announce it with the others. */
  rowHeader?: boolean;
}

/** Attributes of a row: its class and the `data-` attributes that tests and styles find it by. */
export type RowAttributes = { class?: string } & Partial<Record<`data-${string}`, string>>;

/**
 * A list as a table in a scrolling box. `actions` adds a last column of row buttons under a
 * header only screen readers hear.
 */
export function DataTable<Row>(props: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  rowAttributes?: (row: Row) => RowAttributes;
  wrapClass: string;
  tableClass?: string;
  testId?: string;
  caption?: string;
  actions?: { header: string; cell: (row: Row) => ComponentChildren } | undefined;
}) {
  const { columns, actions } = props;
  return (
    <div class={props.wrapClass}>
      <table
        class={props.tableClass ? `table ${props.tableClass}` : 'table'}
        {...(props.testId ? { 'data-testid': props.testId } : {})}
      >
        {props.caption ? <caption class="sr-only">{props.caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span class="sr-only">{actions.header}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} {...props.rowAttributes?.(row)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" class={c.class}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} class={c.class}>
                    {c.cell(row)}
                  </td>
                ),
              )}
              {actions ? (
                <td>
                  <div class="row-actions">{actions.cell(row)}</div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A button in a table row; `name` says which row it acts on, for screen readers. */
export function RowButton(props: {
  label: string;
  name: string;
  onClick: () => void;
  small?: boolean;
}) {
  return (
    <button
      type="button"
      class={props.small === false ? undefined : 'small'}
      aria-label={props.name}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}
