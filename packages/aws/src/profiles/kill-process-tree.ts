// Stryker disable all: a mutant of this walk picks the wrong processes and
// SIGKILLs them — on a test machine, Stryker and its runners among them (it
// took a whole run down once). Its behaviour is tested by
// credential-process-errors.spec.ts (a hung helper's whole tree gone
// after its timeout), not by mutation.
/**
 * SIGKILLs `child` and every process below it. On Linux the whole tree is
 * read first (so a shell's children cannot be re-parented away mid-walk):
 * from `/proc/<pid>/task/<tid>/children`, or — on kernels without that file —
 * from the parent pid in every `/proc/<pid>/stat`. Elsewhere, or when /proc
 * cannot be read, the child alone.
 */
export function killProcessTree(child: import('node:child_process').ChildProcess): void {
  const pids = child.pid === undefined ? [] : descendantsOf(child.pid);
  try {
    child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function descendantsOf(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const fs = require('node:fs') as typeof import('node:fs');
  const childrenOf = fs.existsSync(`/proc/${root}/task/${root}/children`)
    ? (pid: number) => childrenFromTasks(fs, pid)
    : childrenFromStat(fs);
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const next of childrenOf(pid)) {
      if (!found.includes(next) && next !== root) {
        found.push(next);
        queue.push(next);
      }
    }
  }
  return found;
}

/** The children of `pid`, from each of its threads' `children` file. */
function childrenFromTasks(fs: typeof import('node:fs'), pid: number): number[] {
  const pids: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    // Gone.
  }
  for (const task of tasks) {
    try {
      pids.push(...parsePids(fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')));
    } catch {
      // Gone.
    }
  }
  return pids;
}

/** A lookup of children built from one pass over every `/proc/<pid>/stat`. */
function childrenFromStat(fs: typeof import('node:fs')): (pid: number) => number[] {
  const byParent = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    // No /proc: the child alone.
  }
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  return (pid) => byParent.get(pid) ?? [];
}

function parsePids(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .map(Number)
    .filter(Number.isInteger);
}
