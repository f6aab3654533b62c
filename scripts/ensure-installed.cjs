// `npm start` on a fresh clone: install the dependencies first if they are not there yet.
// Plain CommonJS so that it runs on whatever Node the machine has, before the pinned Node 24 exists.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
if (!existsSync(join(root, 'node_modules', 'tsx')) || !existsSync(join(root, 'node_modules', 'node'))) {
  console.log('Installing dependencies (first run)…');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
