/** The words of the Lipa menu, per language (merged into the catalogues by render.ts). */
import type { CataloguePart } from '../catalogue.js';

export const lipaWords: { en: CataloguePart; sw: CataloguePart } = { en: {}, sw: {} };
