/**
 * Runs one benchmark in this (fresh) process and sends its result to the
 * parent over IPC: `node bench/lib/bench-child.js <name>`. A fresh process per
 * benchmark keeps one benchmark's JIT state, heap and timers out of another's.
 */
const path = require('node:path');
const { isSmoke } = require('./common');

async function main() {
  const name = process.argv[2];
  const bench = require(path.join(__dirname, '..', 'benches', `${name}.js`));
  const result = await bench({ smoke: isSmoke() });
  await new Promise((resolve, reject) =>
    process.send({ ok: true, result }, (error) => (error ? reject(error) : resolve())),
  );
}

main().then(
  () => process.disconnect?.(),
  (error) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (process.send) process.send({ ok: false, error: message }, () => process.exit(1));
    else {
      console.error(message);
      process.exit(1);
    }
  },
);
