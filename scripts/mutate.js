// Runs StrykerJS over each package in turn. See docs/testing.md.
//
//   pnpm mutate                          every package: core, aws, redis, cli
//   pnpm mutate aws cli                  those packages
//   pnpm mutate packages/aws/src/profiles   the covered files under a path
//   pnpm mutate --changed                the covered files that differ from main
//   pnpm mutate --changed=BASE           … from BASE
//   pnpm mutate aws -- --force           anything after -- goes to Stryker
//   pnpm mutate --timeouts [PACKAGE|PATH]  the last run's timed-out mutants again,
//                                        with a 30 s timeout (docs/testing.md)
//
// `--changed` takes the files of `git diff --name-only BASE...HEAD` plus the
// uncommitted and untracked ones; a changed spec counts for the file it sits
// beside (`foo.spec.ts`, `foo.bar.spec.ts` -> `foo.ts`). Each run is
// incremental, so only the mutants of those files whose code or tests changed
// are tested again.
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, PACKAGES, filesOf, targetOf } = require('./mutate-targets');

const args = process.argv.slice(2);
const split = args.indexOf('--');
const own = split === -1 ? args : args.slice(0, split);
const extra = split === -1 ? [] : args.slice(split + 1);

const usage = (message) => {
  console.error(`mutate: ${message}`);
  console.error(
    'usage: pnpm mutate [--changed[=BASE] | --timeouts] [PACKAGE|PATH ...] [-- STRYKER OPTIONS]',
  );
  process.exit(2);
};

let changedBase;
let timeouts = false;
const names = [];
for (const arg of own) {
  if (arg === '--timeouts') timeouts = true;
  else if (arg === '--changed') changedBase = 'main';
  else if (arg.startsWith('--changed=')) changedBase = arg.slice('--changed='.length);
  else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else names.push(arg);
}

/** Per package, the files to mutate (`undefined`: all its covered files). */
const plan = new Map();
const add = (target, files) => {
  if (files === undefined) plan.set(target, undefined);
  else if (!plan.has(target) || plan.get(target) !== undefined) {
    plan.set(target, [...new Set([...(plan.get(target) ?? []), ...files])].sort());
  }
};

for (const name of names) {
  if (PACKAGES.includes(name)) {
    add(name, undefined);
    continue;
  }
  const clean = path.relative(ROOT, path.resolve(name)).split(path.sep).join('/');
  const target = targetOf(clean);
  const files =
    target === undefined
      ? []
      : filesOf(target).filter((file) => file === clean || file.startsWith(`${clean}/`));
  if (files.length === 0) {
    usage(
      `${name} is neither a package (${PACKAGES.join(', ')}) nor a path holding files it mutates`,
    );
  }
  add(target, files);
}

if (changedBase !== undefined) {
  const changed = changedFiles(changedBase);
  for (const target of names.length > 0 ? [...plan.keys()] : PACKAGES) {
    const wanted = plan.get(target);
    const files = filesOf(target).filter(
      (file) => changed.has(file) && (wanted === undefined || wanted.includes(file)),
    );
    if (files.length > 0) plan.set(target, files);
    else plan.delete(target);
  }
  if (plan.size === 0) {
    console.log(`mutate: no file it covers differs from ${changedBase}; nothing to do`);
    process.exit(0);
  }
} else if (plan.size === 0) {
  for (const target of PACKAGES) add(target, undefined);
}

if (timeouts) {
  if (changedBase !== undefined) usage('--timeouts and --changed do not go together');
  retryTimeouts();
  process.exit(0);
}

for (const target of PACKAGES.filter((name) => plan.has(name))) {
  const files = plan.get(target);
  console.log(
    `\n== mutate ${target}${files === undefined ? '' : `: ${files.length} file(s)\n   ${files.join('\n   ')}`}`,
  );
  const env = { ...process.env, CREDCHAIN_MUTATE_PACKAGE: target };
  if (files === undefined) delete env.CREDCHAIN_MUTATE_FILES;
  else env.CREDCHAIN_MUTATE_FILES = files.join('\n');
  const result = spawnSync('stryker', ['run', ...extra], { stdio: 'inherit', env, cwd: ROOT });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Files (relative to the workspace) that differ from `base`, committed or not. */
function changedFiles(base) {
  const git = (...gitArgs) =>
    execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  let committed;
  try {
    committed = git('diff', '--name-only', `${base}...HEAD`);
  } catch {
    usage(`cannot compare with ${base} (git diff ${base}...HEAD failed)`);
  }
  const files = new Set([
    ...committed,
    ...git('diff', '--name-only', 'HEAD'),
    ...git('ls-files', '--others', '--exclude-standard'),
  ]);
  for (const file of [...files]) {
    // A changed spec re-tests the module it sits beside.
    const source = file.replace(/(\.[\w-]+)?\.(spec|test)\.ts$/, '.ts');
    if (source !== file && fs.existsSync(path.join(ROOT, source))) files.add(source);
  }
  return files;
}

/**
 * Runs again, with `--force` and a 30 s timeout, the mutants whose status in
 * the last report (`reports/mutation/<package>.json`) is `Timeout`, each by
 * its full extent (`file:line:column-line:column`): a mutant that makes a
 * test hang is then caught by jest's own test timeout (a failure: killed).
 */
function retryTimeouts() {
  for (const target of PACKAGES.filter((name) => plan.has(name))) {
    const report = path.join(ROOT, 'reports', 'mutation', `${target}.json`);
    if (!fs.existsSync(report)) {
      console.log(`\n== mutate ${target}: no report yet (${path.relative(ROOT, report)})`);
      continue;
    }
    const wanted = plan.get(target);
    const ranges = [];
    for (const [file, { mutants }] of Object.entries(
      JSON.parse(fs.readFileSync(report, 'utf8')).files,
    )) {
      if (wanted !== undefined && !wanted.includes(file)) continue;
      for (const { status, location: l } of mutants) {
        if (status !== 'Timeout') continue;
        ranges.push(`${file}:${l.start.line}:${l.start.column}-${l.end.line}:${l.end.column}`);
      }
    }
    if (ranges.length === 0) {
      console.log(`\n== mutate ${target}: no timed-out mutant in the last report`);
      continue;
    }
    console.log(`\n== mutate ${target}: ${ranges.length} timed-out mutant(s) again, 30 s timeout`);
    const args = ['run', '--force', '--timeoutMS', '30000', '--timeoutFactor', '3'];
    const result = spawnSync('stryker', [...args, '--mutate', ranges.join(','), ...extra], {
      stdio: 'inherit',
      env: { ...process.env, CREDCHAIN_MUTATE_PACKAGE: target },
      cwd: ROOT,
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
