/**
 * A strict command line, checked once for every command before citty parses it.
 *
 * citty (like node's parseArgs with strict: false) ignores unknown flags and extra
 * arguments, and lets a value flag eat the next flag (`--mode --json`). For a tool that
 * creates and destroys things that is a hazard: `spin slack --fixure acme` made an empty
 * clone. So the command line is walked here against each command's own citty `args`
 * definition (nothing is listed twice: a flag added to a command is known at once), and
 * anything it does not account for is INVALID_INPUT with a "did you mean" hint, before any
 * command runs.
 *
 * The rules, beyond citty's own syntax (--flag VALUE, --flag=VALUE, -f VALUE, --no-bool,
 * kebab or camelCase names, -- ends the flags):
 * - a value never starts with '-' when it is the next word: `--mode --json` is
 *   "--mode needs a value". A value that starts with '-' is written `--flag=-value`.
 *   (No numeric flag takes a negative number; the verb refuses those itself.)
 * - a boolean flag takes no value (`--yes=please`), except the literal true/false;
 * - a value flag given twice is refused rather than the first silently dropped;
 * - a positional argument that starts with '-' goes after `--`.
 */
import type { ArgDef, ArgsDef, CommandDef, Resolvable } from 'citty';
import { AsymmetricError } from '../contract/errors.ts';

type AnyCommand = CommandDef<any>;

const resolve = async <T>(v: Resolvable<T> | undefined): Promise<T | undefined> => (typeof v === 'function' ? (v as () => T | Promise<T>)() : v);

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Levenshtein distance; the words here are short, so the plain table is fine. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest candidate, if it is close enough to be what was meant. */
export function didYouMean(word: string, candidates: string[]): string | undefined {
  const bare = (s: string) => s.replace(/^-+/, '');
  const w = bare(word);
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    // A prefix of a flag is what was meant (--fix); one or two letters are too short to guess from.
    const d = bare(c).startsWith(w) && w.length >= 2 ? 0.5 : w.length >= 3 ? distance(w, bare(c)) : Infinity;
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(1, Math.min(2, Math.floor(w.length / 3))) ? best.c : undefined;
}

interface Flag {
  name: string;
  takesValue: boolean;
}

/** Every spelling citty accepts for each flag of a command, mapped to the flag. */
function flagTable(def: ArgsDef): Map<string, Flag> {
  const table = new Map<string, Flag>();
  for (const [name, d] of Object.entries(def) as [string, ArgDef][]) {
    if (d.type === 'positional') continue;
    const flag = { name, takesValue: d.type === 'string' || d.type === 'enum' };
    for (const n of new Set([name, kebab(name), camel(name)])) table.set(`--${n}`, flag);
    const aliases = 'alias' in d && d.alias ? (Array.isArray(d.alias) ? d.alias : [d.alias]) : [];
    for (const a of aliases) table.set(a.length === 1 ? `-${a}` : `--${a}`, flag);
    if (!flag.takesValue) table.set(`--no-${kebab(name)}`, flag);
  }
  return table;
}

/** The spellings a user is shown: --kebab-name and -a, never the camelCase twins. */
function shownFlags(def: ArgsDef): string[] {
  return [...flagTable(def).keys()].filter((k) => !/[A-Z]/.test(k) && !k.startsWith('--no-'));
}

const named = (path: string[]) => ['asym', ...path].join(' ');
const usageHint = (path: string[]) => `${named([...path, '--help'])} lists its flags`;

function unknownFlag(flag: string, def: ArgsDef, path: string[], hint?: string): AsymmetricError {
  const guess = didYouMean(flag, shownFlags(def));
  return new AsymmetricError('INVALID_INPUT', `unknown flag ${flag} for ${named(path)}`, {
    hint: hint ?? (guess ? `did you mean ${guess}? (${usageHint(path)})` : usageHint(path)),
  });
}

function valueMissing(flag: string, next: string | undefined, table: Map<string, Flag>, path: string[]): AsymmetricError {
  // `--tail -5` meant a value; `--mode --json` did not: only the first gets the = spelling.
  const meantValue = next !== undefined && next !== '--' && !table.has(next.split('=')[0]!);
  return new AsymmetricError('INVALID_INPUT', `${flag} needs a value`, {
    hint: meantValue ? `a value starting with '-' is written ${flag}=${next}` : `${flag} VALUE (${usageHint(path)})`,
  });
}

/** Positionals that take any number of words (`settings set k=v k=v …`), marked where declared. */
const VARIADIC = new WeakSet<object>();
export function variadic<T extends object>(arg: T): T {
  VARIADIC.add(arg);
  return arg;
}
export function isVariadic(arg: object): boolean {
  return VARIADIC.has(arg);
}

interface WordsOptions {
  /** false for a command with subcommands: stop at the first word that is not a flag. */
  positionals: boolean;
  flagHint?: (flag: string) => string;
}

/**
 * Check one command's own words against its definition: flags, then at most as many
 * positionals as it declares. Returns the index where checking stopped.
 */
function checkWords(def: ArgsDef, words: string[], path: string[], opts: WordsOptions): number {
  const table = flagTable(def);
  const declared = Object.values(def).filter((d) => d.type === 'positional');
  const positionals = declared.some((d) => VARIADIC.has(d)) ? Infinity : declared.length;
  const given = new Set<string>();
  let seen = 0;
  let rest = false; // after --, every word is positional
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--' && !rest) {
      if (!opts.positionals) return i;
      rest = true;
      continue;
    }
    if (rest || !word.startsWith('-') || word === '-') {
      if (!opts.positionals) return i;
      if (++seen > positionals) {
        throw new AsymmetricError('INVALID_INPUT', `unexpected argument ${word} for ${named(path)}`, {
          hint: `it takes ${positionals === 0 ? 'no arguments' : `at most ${positionals} argument${positionals === 1 ? '' : 's'}`}; ${named([...path, '--help'])} shows its usage`,
        });
      }
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const spelled = eq === -1 ? word : word.slice(0, eq);
    const flag = table.get(spelled);
    if (!flag) throw unknownFlag(spelled, def, path, opts.flagHint?.(spelled));
    if (!flag.takesValue) {
      const value = eq === -1 ? undefined : word.slice(eq + 1);
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw new AsymmetricError('INVALID_INPUT', `${spelled} takes no value`, { hint: `write ${spelled} alone (${usageHint(path)})` });
      }
      continue;
    }
    if (given.has(flag.name)) throw new AsymmetricError('INVALID_INPUT', `${spelled} given twice`, { hint: `give it once (${usageHint(path)})` });
    given.add(flag.name);
    if (eq !== -1) continue;
    const next = words[i + 1];
    if (next === undefined || next.startsWith('-')) throw valueMissing(spelled, next, table, path);
    i++;
  }
  return words.length;
}

async function subCommandNamed(subs: Record<string, Resolvable<AnyCommand>>, name: string): Promise<AnyCommand | undefined> {
  if (Object.hasOwn(subs, name)) return resolve(subs[name]);
  for (const sub of Object.values(subs)) {
    const cmd = await resolve(sub);
    const meta = await resolve(cmd?.meta);
    const aliases = meta?.alias ? (Array.isArray(meta.alias) ? meta.alias : [meta.alias]) : [];
    if (aliases.includes(name)) return cmd;
  }
  return undefined;
}

/**
 * Walk rawArgs down the command tree the way citty does and check every word against the
 * definitions it reaches. Throws INVALID_INPUT; returns quietly when the line is sound.
 */
export async function checkCommandLine(root: AnyCommand, rawArgs: string[]): Promise<void> {
  let cmd = root;
  let words = rawArgs;
  const path: string[] = [];
  for (;;) {
    const def = ((await resolve(cmd.args)) ?? {}) as ArgsDef;
    const subs = (await resolve(cmd.subCommands)) as Record<string, Resolvable<AnyCommand>> | undefined;
    if (!subs || !Object.keys(subs).length) {
      checkWords(def, words, path, { positionals: true });
      return;
    }
    // A command with subcommands: its own flags, then the subcommand's name.
    const name = words.find((w) => !w.startsWith('-'));
    const at = checkWords(def, words, path, {
      positionals: false,
      flagHint: (flag) => (name ? `flags go after the command: ${named([...path, name, flag])}` : `${named([...path, '--help'])} lists the commands`),
    });
    const word = words[at];
    const names = Object.keys(subs);
    const where = named(path);
    if (word === undefined || word === '--') {
      if (cmd.run) return;
      throw new AsymmetricError('INVALID_INPUT', `${where} needs a command`, { hint: `one of ${names.join(', ')} (${where} --help)` });
    }
    const next = await subCommandNamed(subs, word);
    if (!next) {
      const guess = didYouMean(word, names);
      throw new AsymmetricError('INVALID_INPUT', `unknown command ${[...path, word].join(' ')}`, {
        hint: guess ? `did you mean ${guess}? (${where} --help lists the commands)` : `${where} --help lists the commands`,
      });
    }
    cmd = next;
    words = words.slice(at + 1);
    path.push(word);
  }
}
