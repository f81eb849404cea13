/**
 * GOV.UK pagination for a list shown `size` to a page: the first, last and neighbouring pages, gaps as ellipses. One
 * for every paged list (people, children, the audit trail).
 */
export interface Pagination {
  previous?: { href: string };
  next?: { href: string };
  items: Array<{ number: number; href: string; current: boolean } | { ellipsis: true }>;
}

/** The pagination component's parameters, or undefined when everything fits on one page. */
export function pagination(
  page: number,
  total: number,
  size: number,
  href: (page: number) => string,
): Pagination | undefined {
  const last = Math.max(1, Math.ceil(total / size));
  if (last === 1 && page === 1) return undefined;
  const items: Pagination['items'] = [];
  for (let n = 1; n <= last; n++) {
    if (n === 1 || n === last || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return {
    ...(page > 1 ? { previous: { href: href(Math.min(page - 1, last)) } } : {}),
    ...(page < last ? { next: { href: href(page + 1) } } : {}),
    items,
  };
}

/** The `page` of a query: a whole number from 1, else the first page. */
export function pageOf(v: unknown): number {
  return typeof v === 'string' && /^[1-9]\d{0,5}$/.test(v) ? Number(v) : 1;
}
