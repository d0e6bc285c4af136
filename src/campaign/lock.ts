import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';

/**
 * One driver per campaign folder: a lock file created exclusively (O_EXCL) holding the driver's host
 * and pid. A lock left by a driver that died (same host, process gone) is taken over; one held by a
 * live driver, or by another host, is refused in words.
 */
export function acquireDriverLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'driver.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ host: hostname(), pid: process.pid, started: new Date().toISOString() }) + '\n');
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { host?: string; pid?: number; started?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // half-written by a driver killed while taking it: stale
      }
      const here = holder.host === hostname();
      const alive = here && holder.pid !== undefined && isAlive(holder.pid);
      if (alive || (!here && holder.host !== undefined)) {
        throw new InputError(`${dir}: another driver holds this campaign (${holder.host ?? '?'} pid ${holder.pid ?? '?'}, since ${holder.started ?? '?'}); wait for it, or remove ${path} if that driver is gone`);
      }
      if (existsSync(path)) rmSync(path, { force: true });
    }
  }
  throw new InputError(`${dir}: could not take the driver lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
