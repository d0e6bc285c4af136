import { readFileSync } from 'node:fs';

/**
 * CPU seconds used by this process and the children it waited for (an engine run as a child process:
 * LAMMPS, GPAW), from /proc/self/stat on Linux; elsewhere this process alone. Wall time on a shared
 * machine says little about what an item costs; CPU time is what a dedicated core would spend.
 */
export function cpuSecondsSoFar(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name (which may hold spaces) start at state (field 3)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((a, k) => a + Number(fields[k]), 0); // utime stime cutime cstime
    if (Number.isFinite(ticks)) return ticks / 100;
  } catch {
    // not Linux
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
