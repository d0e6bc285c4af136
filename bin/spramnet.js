#!/usr/bin/env node
// The `spramnet` command: a committed, executable entry point (tsc does not mark its output executable).
import '../dist/src/cli/main.js';
