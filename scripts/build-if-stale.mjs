// `npm start`'s first step: runs `npm run build` when dist/ is missing or older than what it is
// built from (src/ without the generated types, schema/, the lockfile), so a fresh clone starts
// with `npm install && npm start` and a built one starts at once. Plain JavaScript: no tsx to load.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stampPath = join(root, 'dist', '.build-stamp');

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestInput() {
  let newest = mtime(join(root, 'package-lock.json')) ?? 0;
  for (const dir of ['src', 'schema']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile() && !path.startsWith(join(root, 'src', 'generated'))) newest = Math.max(newest, mtime(path) ?? 0);
    }
  }
  return newest;
}

const stamp = mtime(stampPath);
if (stamp === undefined || newestInput() > stamp) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'build.ts')], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
