/**
 * The columns of a clone's state that hold secrets (token hashes, signing secrets). They stay
 * random per clone, so two clones of one world differ only there: `diff` leaves them out of
 * its hash, and a world's state is compared with them masked.
 */
export const SECRET_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  tokens: ['hash'],
  api_keys: ['hash', 'last4'],
  apps: ['signing_secret', 'verification_token'],
  // Not a secret but the machine's own bookkeeping: when this database ran each migration
  // (before any world existed). The migration level itself (the names) is compared.
  asym_migrations: ['applied_at'],
};

/** Secret (or machine-local) columns are left out of what `diff` hashes. */
export function isSecretColumn(table: string, column: string): boolean {
  return SECRET_COLUMNS[table]?.includes(column) ?? false;
}

/** A pg_dump (plain text) with every secret column's value replaced by `*`, row order kept. */
export function maskSecrets(dump: string): string {
  const out: string[] = [];
  let masked: number[] | null = null;
  for (const line of dump.split('\n')) {
    if (masked) {
      if (line === '\\.') masked = null;
      else {
        const cells = line.split('\t');
        for (const i of masked) if (i < cells.length) cells[i] = '*';
        out.push(cells.join('\t'));
        continue;
      }
    } else {
      const m = /^COPY public\.(\w+) \(([^)]*)\) FROM stdin;$/.exec(line);
      const secret = m ? SECRET_COLUMNS[m[1]!] : undefined;
      if (m && secret) {
        const cols = m[2]!.split(', ').map((c) => c.replace(/"/g, ''));
        masked = cols.flatMap((c, i) => (secret.includes(c) ? [i] : []));
      }
    }
    out.push(line);
  }
  return out.join('\n');
}
