// Checks a core wasm guest against a wasi:messaging world with jco's wasm-tools (component embed,
// then component new), the way a component toolchain would: exit 0 and the component's WIT when
// the guest's imports and exports lower the world correctly, exit 1 with wasm-tools' reason when
// not. Usage:
//   node check_component.mjs <wit-dir> <world> <guest.wasm>
// The WIT is passed as one source text (jco's CLI `embed --wit <dir>` cannot read directories:
// its WASI shim has no preopens).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { componentEmbed, componentNew, componentWit } from '@bytecodealliance/jco';

const [witDir, world, guest] = process.argv.slice(2);
if (!guest) {
  console.error('usage: node check_component.mjs <wit-dir> <world> <guest.wasm>');
  process.exit(2);
}

// One WIT source: the package line once, then every file's body.
let packageLine = '';
let body = '';
for (const name of (await readdir(witDir)).filter((n) => n.endsWith('.wit')).sort()) {
  for (const line of (await readFile(join(witDir, name), 'utf8')).split('\n')) {
    if (/^package\s/.test(line)) packageLine = line;
    else body += line + '\n';
  }
}

try {
  const embedded = await componentEmbed({ binary: await readFile(guest), witSource: `${packageLine}\n${body}`, world });
  const component = await componentNew(embedded, []);
  console.log(`${guest}: a component of world ${world} (${component.length} bytes)`);
  console.log(await componentWit(component));
} catch (error) {
  console.error(`${guest}: not a component of world ${world}: ${error.message ?? error}`);
  process.exit(1);
}
