import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HEARTBEAT_STALE_MS, liveRunning, markRunning } from '../../src/campaign/attempts.js';
import { tempDir } from '../helpers.js';

test('running markers: on this host a worker counts as live while its process exists, however old its heartbeat (one long synchronous step cannot beat); on another host only a recent heartbeat counts', () => {
  const dir = tempDir();
  const longAgo = new Date(Date.now() - 4 * HEARTBEAT_STALE_MS);
  const marker = (item: string, host: string, pid: number, stale: boolean): void => {
    markRunning(dir, { item, stage: 's', host, pid, started: new Date().toISOString(), attempt: 1 });
    if (stale) utimesSync(join(dir, 'running', `${item}.json`), longAgo, longAgo);
  };
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
  marker('here-busy', hostname(), process.pid, true);
  marker('here-gone', hostname(), gone, false);
  marker('there-silent', 'another-host', process.pid, true);
  marker('there-beating', 'another-host', 1, false);
  assert.deepEqual([...liveRunning(dir).keys()].sort(), ['here-busy', 'there-beating']);
});
