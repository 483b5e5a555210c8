// Lets Node run the browser build of Decap CMS's modules (tools/cms/node_modules/decap-cms-core/dist/esm),
// written for a bundler: imports without extension are completed, a package is taken in its ESM build,
// and the collections module (configuration lookups, pulling in the whole schema) is replaced by the
// two lookups the slug needs.
const ESM = { "decap-cms-lib-widgets": "decap-cms-lib-widgets/dist/esm/index.js" };
const COLLECTIONS = `
export const selectIdentifier = collection => collection.get("identifier_field");
export const selectInferredField = () => undefined;
export const selectField = () => undefined;
export const getFileFromSlug = () => undefined;
`;

export async function resolve(specifier, context, next) {
  if (ESM[specifier]) {
    return next(ESM[specifier], context);
  }
  try {
    return await next(specifier, context);
  } catch (error) {
    for (const suffix of [".js", "/index.js"]) {
      try {
        return await next(specifier + suffix, context);
      } catch {
        // try the next form
      }
    }
    throw error;
  }
}

export async function load(url, context, next) {
  if (url.endsWith("/decap-cms-core/dist/esm/reducers/collections.js")) {
    return { format: "module", source: COLLECTIONS, shortCircuit: true };
  }
  return next(url, context);
}
