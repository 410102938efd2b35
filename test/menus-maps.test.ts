/**
 * The menu maps in docs/menus/ are what `npm run menus:docs` makes of the machine today: a
 * change to a menu that was not followed by regenerating its map fails here.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { menuMaps } from '../menus/maps/index.js';

const dir = new URL('../docs/menus/', import.meta.url).pathname;

describe('menu maps (docs/menus)', () => {
  const maps = menuMaps();

  it('has one page per part of the menu, and no page for a part that is gone', () => {
    const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
    expect(pages, 'run npm run menus:docs').to.deep.equal(maps.map((m) => `${m.name}.md`).sort());
  });

  it('every page is what the machine makes of it now', () => {
    for (const m of maps) {
      const onDisk = fs.readFileSync(path.join(dir, `${m.name}.md`), 'utf8');
      expect(onDisk, `docs/menus/${m.name}.md is stale: run npm run menus:docs`).to.equal(m.markdown);
    }
  });

  it('draws every state of each part, and a screen for each state that waits for input', () => {
    const send = maps.find((m) => m.name === 'sendMoney')!.markdown;
    for (const state of ['recipient', 'lookingUp', 'amount', 'quoting', 'confirm', 'pin', 'sending']) expect(send).to.include(`"${state}" as sendMoney_${state}`);
    expect(send).to.include('sendMoney_sending --> sent : done');
    expect(send).to.include('## sendMoney.confirm');
    expect(send).to.include('CON Tuma KES 500 kwa BRIAN OTIENO');
  });
});
