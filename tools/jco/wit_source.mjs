// A WIT package directory as one source text, the form jco's JS API takes (its CLI's
// `--wit <dir>` cannot read directories: its WASI shim has no preopens): the package line once,
// then every file's body, files in name order.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function readWitSource(witDir) {
  let packageLine = '';
  let body = '';
  for (const name of (await readdir(witDir)).filter((n) => n.endsWith('.wit')).sort()) {
    for (const line of (await readFile(join(witDir, name), 'utf8')).split('\n')) {
      if (/^package\s/.test(line)) packageLine = line;
      else body += line + '\n';
    }
  }
  return `${packageLine}\n${body}`;
}
