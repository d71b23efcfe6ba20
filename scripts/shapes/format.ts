/**
 * The one format of every derived JSON file: pretty-printed, one space a level (Slack's shapes
 * nest 40 deep: two spaces would make most of the file indentation), a value on one line when it
 * fits in 100 columns (a leaf schema such as {"type": "string"} stays one line). Keys in the
 * order the derivation put them (tables sorted by name), so the same inputs give the same bytes.
 */
export function formatJson(value: unknown, width = 100): string {
  return `${fmt(value, '', width)}\n`;
}

function fmt(v: unknown, indent: string, width: number): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const inner = `${indent} `;
  const isArray = Array.isArray(v);
  const parts = isArray
    ? (v as unknown[]).map((x) => fmt(x, inner, width))
    : Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}: ${fmt(x, inner, width)}`);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (!parts.length) return `${open}${close}`;
  const flat = `${open}${parts.join(', ')}${close}`;
  if (!flat.includes('\n') && inner.length + flat.length <= width) return flat;
  return `${open}\n${parts.map((p) => inner + p).join(',\n')}\n${indent}${close}`;
}
