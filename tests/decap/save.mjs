// What the web form writes for new fiches: the form's script (admin/commun.js) run as the browser runs it,
// then Decap CMS's own code, from tools/cms, for the file name (slugFormatter) and the file (the YAML
// front matter writer). Reads {"titles": [...], "config": {...}, "collection": {...}, "files": true} on
// stdin; prints, for each title, the name Decap makes with the script, the name it makes without, and
// (if "files") the file it writes.
import fs from "node:fs";
import vm from "node:vm";

const [modules, script] = process.argv.slice(2);
const { slugFormatter } = await import(`${modules}/decap-cms-core/dist/esm/lib/formatters.js`);
const { FrontmatterInfer } = await import(`${modules}/decap-cms-core/dist/esm/formats/frontmatter.js`);
const { fromJS } = await import(`${modules}/immutable/dist/immutable.js`);

const listeners = [];
vm.runInNewContext(fs.readFileSync(script, "utf8"), { CMS: { registerEventListener: l => listeners.push(l) } });
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const collection = fromJS(input.collection);

const results = [];
for (const title of input.titles) {
  let data = fromJS({ [input.collection.identifier_field]: title, etat: "brouillon", body: "## Contexte\n" });
  const plain = slugFormatter(collection, data, input.config.slug);
  for (const { name, handler } of listeners) {
    if (name === "preSave") {
      const entry = fromJS({ newRecord: true, collection: input.collection.name }).set("data", data);
      data = (await handler({ entry, author: {} })) ?? data;
    }
  }
  const slug = slugFormatter(collection, data, input.config.slug);
  results.push({ title, slug, plain, file: input.files ? FrontmatterInfer.toFile(data.toJS()) : null });
}
process.stdout.write(JSON.stringify(results));
