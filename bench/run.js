#!/usr/bin/env node

/**
 * `pnpm bench` (= `pnpm build && node bench/run.js`): credchain against the
 * AWS SDK, side by side, reported as ratios.
 *
 *   node bench/run.js              full run (a few minutes at most)
 *   node bench/run.js --smoke      tiny counts, < ~20 s (also BENCH_SMOKE=1)
 *   node bench/run.js --only=warm-resolve,cold-start   (writes latest-partial.json)
 *
 * Ratio convention, every row: ratio = SDK (or reference) figure / credchain
 * figure, so > 1 means credchain is faster (or smaller). Exit code 0 unless a
 * benchmark crashes: no number ever fails the run.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');
const {
  benchHome,
  controlledEnv,
  elapsedMs,
  isSmoke,
  nowNs,
  requireBuilt,
} = require('./lib/common');

const BENCHES = [
  'warm-resolve',
  'cold-start',
  'thundering-herd',
  'refresh-under-load',
  'fail-fast',
  'client-cache',
  'rotation',
  'fleet',
  'role-cache',
  'process-env',
  'diagnostics',
  'fleet-scale',
];
const RATIO_CONVENTION =
  'ratio = SDK (or reference) figure / credchain figure; > 1 means credchain is faster (or uses less memory)';
const RESULTS_DIR = path.join(__dirname, 'results');
const BENCH_TIMEOUT_MS = 5 * 60_000;
const EXIT_GRACE_MS = 10_000;

function machineInfo() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** Runs one benchmark in a fresh child with a controlled environment. */
function runBench(name, env) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'lib', 'bench-child.js'), [name], {
      env,
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message;
    let graceTimer;
    const overall = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name}: no result within ${BENCH_TIMEOUT_MS / 1000} s`));
    }, BENCH_TIMEOUT_MS);
    child.on('message', (m) => {
      message = m;
      // The benchmark must leave nothing behind: its process exits by itself.
      graceTimer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name}: process did not exit by itself (a handle left open)`));
      }, EXIT_GRACE_MS);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(overall);
      clearTimeout(graceTimer);
      if (message?.ok && code === 0) resolve(message.result);
      else if (message && !message.ok) reject(new Error(`${name} crashed:\n${message.error}`));
      else reject(new Error(`${name} exited ${code ?? signal} without a result`));
    });
  });
}

function formatRatio(ratio) {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

function formatMet(met) {
  if (met === null || met === undefined) return '';
  return met ? 'yes' : 'NO';
}

function renderTable(rows) {
  const header = ['#', 'benchmark', 'credchain', 'SDK / reference', 'ratio', 'goal', 'met'];
  const lines = rows.map((r) => [
    r.bench.split(' ')[0],
    `${r.bench.split(' ').slice(1).join(' ')}: ${r.metric}`,
    r.credchain,
    r.other,
    formatRatio(r.ratio),
    r.goal,
    formatMet(r.met),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

function parseOnly(argv) {
  const arg = argv.find((a) => a.startsWith('--only='));
  if (!arg) return BENCHES;
  const wanted = arg.slice('--only='.length).split(',').filter(Boolean);
  const unknown = wanted.filter((w) => !BENCHES.includes(w));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
  }
  return BENCHES.filter((b) => wanted.includes(b));
}

async function main() {
  requireBuilt();
  const smoke = isSmoke();
  const selected = parseOnly(process.argv.slice(2));
  const machine = machineInfo();
  const home = benchHome();
  const env = controlledEnv(home, smoke ? { BENCH_SMOKE: '1' } : {});
  const started = nowNs();

  console.log(`credchain bench (${smoke ? 'smoke' : 'full'} mode)`);
  console.log(
    `machine: node ${machine.node}, ${machine.cpuCount} × ${machine.cpuModel}, ${machine.platform} ${machine.arch}, ${machine.totalMemoryGiB} GiB`,
  );
  console.log(`${RATIO_CONVENTION}\n`);

  const results = {};
  const failures = [];
  try {
    for (const name of selected) {
      const benchStart = nowNs();
      process.stdout.write(`running ${name}… `);
      try {
        results[name] = await runBench(name, env);
        console.log(`${(elapsedMs(benchStart) / 1000).toFixed(1)} s`);
      } catch (error) {
        console.log('FAILED');
        failures.push({ name, error: error.message });
        console.error(error.message);
      }
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }

  const rows = selected.flatMap((name) => results[name]?.rows ?? []);
  const table = renderTable(rows);
  console.log(`\n${table}\n`);
  if (smoke) console.log('smoke mode: counts are tiny, the figures are not meaningful.');
  console.log(`total ${(elapsedMs(started) / 1000).toFixed(1)} s`);

  const report = {
    generatedAt: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    ratioConvention: RATIO_CONVENTION,
    machine,
    durationSeconds: Math.round(elapsedMs(started) / 100) / 10,
    ratios: Object.fromEntries(
      rows.filter((r) => Number.isFinite(r.ratio)).map((r) => [r.id, r.ratio]),
    ),
    goals: Object.fromEntries(
      rows
        .filter((r) => typeof r.met === 'boolean')
        .map((r) => [r.id, { goal: r.goal, met: r.met }]),
    ),
    rows: rows.map((r) => ({ ...r, ratio: Number.isFinite(r.ratio) ? r.ratio : null })),
    details: Object.fromEntries(selected.map((name) => [name, results[name]?.details ?? null])),
    failures,
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // A full run writes latest.json (what the README quotes); a smoke run writes
  // latest-smoke.json, so CI never overwrites real figures with tiny counts.
  // A partial run (--only) writes latest-partial.json.
  const partial = selected.length < BENCHES.length ? '-partial' : '';
  const base = smoke ? `latest-smoke${partial}` : partial ? 'latest-partial' : 'latest';
  const file = path.join(RESULTS_DIR, `${base}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, `${base}.md`), `${table}\n`);
  console.log(`ratios written to ${path.relative(process.cwd(), file)}`);
  if (failures.length > 0) {
    console.error(
      `\n${failures.length} benchmark(s) crashed: ${failures.map((f) => f.name).join(', ')}`,
    );
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
