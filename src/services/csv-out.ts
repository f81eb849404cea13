/**
 * CSV for people to open in a spreadsheet (RFC 4180): every field quoted, quotes doubled, lines ending CRLF. A field
 * that a spreadsheet would take as a formula (starting =, +, -, @, tab or carriage return) is prefixed with an
 * apostrophe, so text someone typed can never run as one (OWASP CSV injection).
 */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
