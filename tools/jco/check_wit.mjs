// Checks that a WIT package parses and resolves with jco's wasm-tools: an empty core module is
// embedded with the package's `world`, which needs every interface, type and function of the world
// to resolve. Exit 0 when it does, 1 with wasm-tools' reason when not. Usage:
//   node check_wit.mjs <wit-dir> <world>
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { componentEmbed } from '@bytecodealliance/jco';

const [witDir, world] = process.argv.slice(2);
if (!world) {
  console.error('usage: node check_wit.mjs <wit-dir> <world>');
  process.exit(2);
}

// One WIT source: the package line once, then every file's body (as check_component.mjs reads it).
let packageLine = '';
let body = '';
for (const name of (await readdir(witDir)).filter((n) => n.endsWith('.wit')).sort()) {
  for (const line of (await readFile(join(witDir, name), 'utf8')).split('\n')) {
    if (/^package\s/.test(line)) packageLine = line;
    else body += line + '\n';
  }
}

const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
try {
  await componentEmbed({ binary: emptyModule, witSource: `${packageLine}\n${body}`, world });
  console.log(`${witDir}: world ${world} resolves (jco's wasm-tools)`);
} catch (error) {
  console.error(`${witDir}: world ${world} does not resolve: ${error.message ?? error}`);
  process.exit(1);
}
