/**
 * The columns of a clone's state that hold secrets (token hashes, signing secrets). They stay
 * random per clone, so two clones of one world differ only there: `diff` leaves them out of
 * its hash, and a world's state is compared with them masked.
 */
export const SECRET_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  tokens: ['hash'],
  api_keys: ['hash', 'last4'],
  apps: ['signing_secret', 'verification_token'],
  // GitHub's own App: its RSA key pair (JWTs are signed with the private key), made per clone.
  github_apps: ['private_key', 'public_key'],
  // Not a secret but the machine's own bookkeeping: when this database ran each migration
  // (before any world existed). The migration level itself (the names) is compared.
  asym_migrations: ['applied_at'],
};

/**
 * Secrets kept in key/value rows rather than columns of their own: for each table, the key
 * column, the keys whose rows hold a secret, and the column holding it (Linear's webhook
 * signing secret lives in asym_meta).
 */
export const SECRET_ROWS: Readonly<Record<string, { key: string; keys: readonly string[]; value: string }>> = {
  asym_meta: { key: 'key', keys: ['webhook_secret'], value: 'value' },
};

/** Secret (or machine-local) columns are left out of what `diff` hashes. */
export function isSecretColumn(table: string, column: string): boolean {
  return SECRET_COLUMNS[table]?.includes(column) ?? false;
}

/** A pg_dump (plain text) with every secret column's value replaced by `*`, row order kept. */
export function maskSecrets(dump: string): string {
  const out: string[] = [];
  let masked: number[] | null = null;
  let rows: { key: number; value: number; keys: readonly string[] } | null = null;
  for (const line of dump.split('\n')) {
    if (masked || rows) {
      if (line === '\\.') masked = rows = null;
      else {
        const cells = line.split('\t');
        for (const i of masked ?? []) if (i < cells.length) cells[i] = '*';
        if (rows && rows.keys.includes(cells[rows.key] ?? '') && rows.value < cells.length) cells[rows.value] = '*';
        out.push(cells.join('\t'));
        continue;
      }
    } else {
      const m = /^COPY public\.(\w+) \(([^)]*)\) FROM stdin;$/.exec(line);
      const secret = m ? SECRET_COLUMNS[m[1]!] : undefined;
      const secretRows = m ? SECRET_ROWS[m[1]!] : undefined;
      const cols = m ? m[2]!.split(', ').map((c) => c.replace(/"/g, '')) : [];
      if (m && secret) masked = cols.flatMap((c, i) => (secret.includes(c) ? [i] : []));
      if (m && secretRows && cols.includes(secretRows.key) && cols.includes(secretRows.value)) {
        rows = { key: cols.indexOf(secretRows.key), value: cols.indexOf(secretRows.value), keys: secretRows.keys };
      }
    }
    out.push(line);
  }
  return out.join('\n');
}
