/**
 * The kernel's process group: the kernel is started as a group leader (spawn `detached`, not on
 * Windows), so the processes its cells start (child_process.spawn, exec, …) belong to its group
 * unless they leave it themselves. When a session ends the client ends the whole group and says
 * how many processes that were; when the client dies, the kernel's watchdog does it
 * (src/kernel/main.ts).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Pids of the live processes in process group `pgid` (empty on Windows or when unknown). */
export function groupMembers(pgid: number): number[] {
  if (process.platform === 'win32' || !(pgid > 0)) return [];
  const out: number[] = [];
  if (process.platform === 'linux') {
    let names: string[];
    try {
      names = fs.readdirSync('/proc');
    } catch {
      return [];
    }
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
      } catch {
        continue;
      }
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(name));
    }
    return out;
  }
  try {
    const text = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    for (const line of text.split('\n')) {
      const [pid, pg, st] = line.trim().split(/\s+/);
      if (Number(pg) === pgid && !st?.startsWith('Z')) out.push(Number(pid));
    }
  } catch {
    /* no ps */
  }
  return out;
}

/**
 * Ends every process of group `pgid` but `except` (SIGKILL); returns the pids that were alive.
 * Nothing on Windows (the kernel is not a group leader there).
 */
export function endGroup(pgid: number, except: number[] = []): number[] {
  const members = groupMembers(pgid).filter((p) => !except.includes(p));
  if (process.platform === 'win32' || !(pgid > 0)) return [];
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* the group is gone */
  }
  return members;
}
