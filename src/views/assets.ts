import { BUILT } from './assets.generated';

/** Browser assets built from widgets/ by `src/cli/build-widgets.ts` into a generated module. */
export type AssetName = keyof typeof BUILT;

export interface BuiltAsset {
  /** URL path; hashed names carry a content hash so they can be cached forever. */
  path: string;
  type: string;
  body: string;
  hashed: boolean;
}

const assets: Record<string, BuiltAsset> = BUILT;
const byPath = new Map(Object.values(assets).map((a) => [a.path, a]));

export const assetPath = (name: AssetName) => BUILT[name].path;
export const findAsset = (path: string): BuiltAsset | undefined => byPath.get(path);
