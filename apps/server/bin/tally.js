#!/usr/bin/env node
// The `tally` command. Runs the compiled server (npm run build, or npm start, builds it).
import { main } from '../dist/cli/main.js';

// Exit explicitly: idle keep-alive sockets must not hold a stopped server open.
process.exit(await main(process.argv.slice(2), process.env));
