/**
 * Mocha root hooks: migrate and seed the test database once, close every connection at
 * the end. Imports are static so that hooks and spec files share one copy of each module
 * (a dynamic import here would load a second `db` the spec files never see).
 */
import { db, ensureDatabase } from '../../src/db/index.js';
import { closeTestResources } from './resources.js';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    await ensureDatabase();
    await db.migrate.latest();
    await db.seed.run();
  },
  async afterAll() {
    await closeTestResources();
  },
};
