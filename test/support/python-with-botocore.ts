import { spawnSync } from 'node:child_process';

/**
 * A Python 3 that can import botocore: `python3` on the PATH (where pip put
 * botocore, e.g. a pyenv Python), else Debian's `/usr/bin/python3` (where
 * the `python3-botocore` package puts it; `pnpm test`'s pretest step,
 * scripts/system-packages.sh, installs that when neither has it). Throws,
 * naming both, when none can.
 */
export function pythonWithBotocore(): string {
  const candidates = ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import botocore'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  throw new Error(
    `no Python with botocore: tried ${candidates.join(', ')} (Debian: apt-get install python3-botocore)`,
  );
}
