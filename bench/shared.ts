import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const CACHE = join(ROOT, '.cache');

/** Unpack one member directory of a shared archive into .cache once (tar and xz from Debian). */
export function unpackShared(archive: 'electron' | 'thermal', member: string): string {
  const target = join(CACHE, 'spramnet-public');
  const dir = join(target, member);
  if (existsSync(dir) && readdirSync(dir).length > 0) return dir;
  mkdirSync(target, { recursive: true });
  const tarball = join(SHARED, 'data', 'spramnet-public', `${archive}.tar.xz`);
  const r = spawnSync('tar', ['-xJf', tarball, '-C', target, member], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not unpack ${member} from ${tarball}`);
  return dir;
}

/** Debian's python3 first: python3-torch and python3-xgboost install there. */
export function findPython(modules: string[]): string | undefined {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(exe, ['-c', modules.map((m) => `import ${m}`).join('; ')]);
    if (probe.status === 0) return exe;
  }
  return undefined;
}
