/**
 * The JavaScript runtime this process runs on, as `credchain --version`
 * prints it: `node v22.12.0`, `bun 1.4.4` or `deno 2.9.6`. Bun and Deno
 * both claim a Node version in `process.version`; their own version is in
 * `process.versions`. `bunx credchain` runs the bin on the `node` in PATH
 * (its `#!/usr/bin/env node` line) unless given `--bun`; this tells which.
 */
export function runtimeLabel(versions: NodeJS.ProcessVersions = process.versions): string {
  const { bun, deno } = versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (bun !== undefined) return `bun ${bun}`;
  if (deno !== undefined) return `deno ${deno}`;
  return `node v${versions.node}`;
}
