/** A calendar day in the browser's own time zone, as the API takes it: YYYY-MM-DD. */
export const ymd = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** This month in the browser's own time zone, as the API takes it: YYYY-MM. */
export const thisMonth = () => ymd(new Date()).slice(0, 7);
