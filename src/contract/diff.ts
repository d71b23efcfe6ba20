/** The documents `asym diff` and `asym snapshot ls` print: shared by every provider. */
type Row = Record<string, unknown>;

export interface RowChange {
  key: Row;
  before: Row;
  after: Row;
  /** Columns whose values differ. */
  columns: string[];
}

export interface TableDiff {
  table: string;
  added: Row[];
  removed: Row[];
  changed: RowChange[];
}

export interface StateDiff {
  clone: string;
  /** "pristine" or the snapshot's name. */
  from: string;
  tables: TableDiff[];
  summary: { tables: number; added: number; removed: number; changed: number };
  /** sha256 of each side's content (tables by name, rows by key): equal iff nothing differs. */
  hash: { from: string; to: string };
  ms: number;
}

export interface DiffOptions {
  /** Pristine (default) or a snapshot name. */
  from?: string;
  /** Only these tables. */
  tables?: string[];
}

export interface SnapshotMeta {
  name: string;
  clone: string;
  database: string;
  createdAt: string;
  redisKeys: number;
}
