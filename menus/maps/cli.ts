/** `npm run menus:docs`: writes docs/menus/<part>.md for every part of the menu (./index.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { menuMaps } from './index.js';

const dir = new URL('../../docs/menus/', import.meta.url).pathname;
fs.mkdirSync(dir, { recursive: true });
for (const file of fs.readdirSync(dir)) if (file.endsWith('.md')) fs.rmSync(path.join(dir, file));
const maps = menuMaps();
for (const m of maps) fs.writeFileSync(path.join(dir, `${m.name}.md`), m.markdown);
console.log(`wrote ${maps.length} menu maps to docs/menus/`);
