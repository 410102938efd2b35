/** The words of the Airtime menu, per language (merged into the catalogues by render.ts). */
import type { CataloguePart } from '../catalogue.js';

export const airtimeWords: { en: CataloguePart; sw: CataloguePart } = { en: {}, sw: {} };
