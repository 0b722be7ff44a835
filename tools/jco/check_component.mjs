// Checks a core wasm guest against a wasi:messaging world with jco's wasm-tools (component embed,
// then component new), the way a component toolchain would: exit 0 and the component's WIT when
// the guest's imports and exports lower the world correctly, exit 1 with wasm-tools' reason when
// not. Usage:
//   node check_component.mjs <wit-dir> <world> <guest.wasm>
// The WIT is passed as one source text (wit_source.mjs).
import { readFile } from 'node:fs/promises';
import { readWitSource } from './wit_source.mjs';
import { componentEmbed, componentNew, componentWit } from '@bytecodealliance/jco';

const [witDir, world, guest] = process.argv.slice(2);
if (!guest) {
  console.error('usage: node check_component.mjs <wit-dir> <world> <guest.wasm>');
  process.exit(2);
}

const witSource = await readWitSource(witDir);

try {
  const embedded = await componentEmbed({ binary: await readFile(guest), witSource: witSource, world });
  const component = await componentNew(embedded, []);
  console.log(`${guest}: a component of world ${world} (${component.length} bytes)`);
  console.log(await componentWit(component));
} catch (error) {
  console.error(`${guest}: not a component of world ${world}: ${error.message ?? error}`);
  process.exit(1);
}
