// Checks that a WIT package parses and resolves with jco's wasm-tools: an empty core module is
// embedded with the package's `world`, which needs every interface, type and function of the world
// to resolve. Exit 0 when it does, 1 with wasm-tools' reason when not. Usage:
//   node check_wit.mjs <wit-dir> <world>
import { readWitSource } from './wit_source.mjs';
import { componentEmbed } from '@bytecodealliance/jco';

const [witDir, world] = process.argv.slice(2);
if (!world) {
  console.error('usage: node check_wit.mjs <wit-dir> <world>');
  process.exit(2);
}

const witSource = await readWitSource(witDir);

const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
try {
  await componentEmbed({ binary: emptyModule, witSource: witSource, world });
  console.log(`${witDir}: world ${world} resolves (jco's wasm-tools)`);
} catch (error) {
  console.error(`${witDir}: world ${world} does not resolve: ${error.message ?? error}`);
  process.exit(1);
}
