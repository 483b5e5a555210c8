/* Search with Pagefind: the header box on every page, and the « Banque d'expériences » page.
 *
 * Pagefind (pagefind/pagefind.js, written by the build) is loaded only when a search starts, and loads
 * only the index chunks a query needs. French matters handled here: elisions (« l'accès » → « accès »),
 * typographic apostrophes. Accents, case and plurals are handled by Pagefind (French stemming); acronyms
 * ↔ expansions by the build (hidden « Sigles » line of each fiche, see plugins/commun/search.py).
 *
 * Bytes matter (slow, costly mobile data): each word of a query costs the index chunk holding it, so
 * common words (« aux », « de »…) are left out, the search waits for a pause in typing, and a last word
 * still being typed (under three letters) is not searched yet: « a » alone would need many chunks.
 */
(() => {
  "use strict";

  const box = document.querySelector(".commun-recherche");
  // Opened from the disk (the offline copy), Pagefind cannot load: assets/commun-hors-ligne.js searches there.
  if (!box || location.protocol === "file:") return;

  const base = new URL((box.dataset.communBase || ".").replace(/\/?$/, "/"), location.href);
  const HEADER_RESULTS = 8;
  const PAGE_RESULTS = 20;
  const ELISION = /(^|[^\p{L}])(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ](?=\p{L})/giu;
  const STOPWORDS = new Set("a au aux avec ce ces dans de des du en et la le les ou par pour sa se ses son sur un une".split(" "));
  const PAUSE = 200;

  let loading = null;

  /** The lots of a large site's index (commun-lots.json, written by the build), none if it is missing. */
  async function lots() {
    const none = { lots: [], sans: {} };
    try {
      const answer = await fetch(new URL("pagefind/commun-lots.json", base));
      return answer.ok ? await answer.json() : none;
    } catch {
      return none;
    }
  }

  /** Pagefind's module, imported once, on first use. A large site is indexed in lots (plugins/commun/outputs/
   *  search_index.py): the first is the module's own index, the others are merged into it, and every search
   *  leaves out the page that keeps them answering as one index (`sans`). */
  function pagefind() {
    if (!loading) {
      const program = import(new URL("pagefind/pagefind.js", base).href);
      loading = Promise.all([program, lots()]).then(async ([module, manifest]) => {
        // No web worker: one script less to download; a search takes milliseconds on the main thread.
        const options = { baseUrl: base.pathname, excerptLength: 22 };
        await module.options({ ...options, noWorker: true });
        await module.init();
        // Side by side: each lot's entry and metadata are a round trip on a slow connection.
        await Promise.all(manifest.lots.map((lot) => module.mergeIndex(new URL(`pagefind/${lot}`, base).pathname, options)));
        if (!manifest.lots.length) return module;
        return {
          filters: () => module.filters(),
          search: (query, settings = {}) =>
            module.search(query, { ...settings, filters: { ...(settings.filters || {}), not: manifest.sans } }),
        };
      });
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  /** The query Pagefind receives: no elisions, plain apostrophes, no common words, no unfinished last word, and
   *  no accents nor capitals, so that « Accès » and « acces » find the same fiches in the same order. */
  function prepare(text) {
    const words = fold(text || "")
      .replace(ELISION, "$1")
      .replace(/['’ʼ]/g, "'")
      .split(/\s+/)
      .filter(Boolean);
    const meaningful = words.filter((word) => !STOPWORDS.has(fold(word)));
    const kept = meaningful.length ? meaningful : words;
    if (kept.length > 1 && kept[kept.length - 1].length < 3) kept.pop();
    return kept.length === 1 && kept[0].length < 2 ? "" : kept.join(" ");
  }

  /** `text` as nodes, the words that start like a query word wrapped in <mark>. */
  function highlighted(text, query) {
    const stems = fold(query)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length >= 2)
      .map((word) => (word.length > 3 ? word.replace(/s$/, "") : word));
    const nodes = [];
    for (const part of (text || "").split(/([\p{L}\p{N}]+)/u)) {
      const folded = fold(part);
      if (part && stems.some((stem) => folded.startsWith(stem))) {
        const mark = document.createElement("mark");
        mark.textContent = part;
        nodes.push(mark);
      } else if (part) {
        nodes.push(document.createTextNode(part));
      }
    }
    return nodes;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Where the hidden lines that close a fiche's indexed text begin (« Repères », then « Sigles »:
   *  plugins/commun/templates/site/fiche/_recherche.md.j2), in words of the text as Pagefind splits it. */
  const HIDDEN_LINES = ["Repères", "Sigles"];
  const EXCERPT_WORDS = 22;

  function words(data) {
    return (data.raw_content || "").split(/[\r\n\s]+/g);
  }

  function hiddenStart(all) {
    const starts = HIDDEN_LINES.map((word) => all.lastIndexOf(word)).filter((at) => at >= 0);
    return starts.length ? Math.min(...starts) : all.length;
  }

  /** The words found in the fiche's own text (not in its hidden lines), with their weights. */
  function ownLocations(data, end) {
    const located = data.weighted_locations || (data.locations || []).map((location) => ({ location, balanced_score: 1 }));
    return located.filter((word) => word.location < end);
  }

  /** The excerpt of a result: the densest stretch of the fiche's own text around the words found, never the
   *  hidden lines (its facts, its acronyms); null when the words were found in those lines only. Pagefind's
   *  raw text is already escaped: only <mark> is added, so it is safe as HTML. */
  function ownExcerpt(data) {
    const all = words(data);
    const end = hiddenStart(all);
    const found = ownLocations(data, end);
    if (!found.length) return null;
    const scores = new Array(end).fill(0);
    for (const word of found) scores[word.location] += word.balanced_score || 1;
    let best = -1;
    let from = 0;
    let sum = 0;
    for (let at = 0; at < end; at++) {
      sum += scores[at];
      if (at >= EXCERPT_WORDS) sum -= scores[at - EXCERPT_WORDS];
      if (sum > best) {
        best = sum;
        from = Math.max(0, at - EXCERPT_WORDS + 1);
      }
    }
    const marked = new Set(found.map((word) => word.location));
    const shown = [];
    for (let at = from; at < Math.min(end, from + EXCERPT_WORDS); at++) {
      shown.push(marked.has(at) ? `<mark>${all[at]}</mark>` : all[at]);
    }
    return shown.join(" ");
  }

  /** A result's excerpt, from the fiche's own text; its résumé when the words were found in its hidden lines only. */
  function excerpt(className, data, query) {
    const node = element("p", className);
    const own = ownExcerpt(data);
    if (own !== null) node.innerHTML = own;
    else node.append(...highlighted(data.meta.resume || "", query));
    return node;
  }

  /** The results with the example fiches (fictive) after the others, each group in Pagefind's order. */
  async function realFirst(module, query, filters, found) {
    const fictive = await module.search(query, { filters: { ...filters, exemple: "oui" } });
    if (!fictive.results.length) return found.results;
    const examples = new Set(fictive.results.map((result) => result.id));
    return [
      ...found.results.filter((result) => !examples.has(result.id)),
      ...found.results.filter((result) => examples.has(result.id)),
    ];
  }

  function kindLine(meta) {
    return meta.exemple ? `${meta.type} · exemple` : meta.type || "";
  }

  function plural(count, singular, pluralForm) {
    return `${count} ${count > 1 ? pluralForm : singular}`;
  }

  /* --- header box ------------------------------------------------------------------------------- */

  const toggle = document.getElementById("__search");
  const form = box.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const status = box.querySelector(".commun-recherche__etat");
  const list = box.querySelector(".commun-recherche__resultats");
  const all = box.querySelector(".commun-recherche__tout");
  const allLink = all.querySelector("a");
  const idle = status.textContent;
  let headerSerial = 0;

  function open() {
    if (toggle) toggle.checked = true;
    pagefind();
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function headerItem(data, query) {
    const item = element("li", "md-search-result__item");
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    const article = element("article", "md-search-result__article md-typeset commun-recherche__article");
    const title = element("p", "commun-recherche__titre");
    title.append(...highlighted(data.meta.title, query));
    article.append(element("p", "commun-recherche__type", kindLine(data.meta)), title);
    article.append(excerpt("commun-recherche__extrait", data, query));
    link.append(article);
    item.append(link);
    return item;
  }

  async function headerSearch() {
    const serial = ++headerSerial;
    const typed = input.value;
    const query = prepare(typed);
    if (!query) {
      list.replaceChildren();
      status.textContent = idle;
      all.hidden = true;
      list.dataset.pour = typed;
      return;
    }
    status.textContent = "Recherche…";
    let found;
    let module;
    try {
      module = await pagefind();
      await new Promise((resolve) => setTimeout(resolve, PAUSE));
      if (serial !== headerSerial) return; // typing goes on: only the last query is searched
      found = await module.search(query);
    } catch (error) {
      status.textContent = "La recherche est indisponible pour le moment.";
      return;
    }
    if (serial !== headerSerial) return;
    const ranked = await realFirst(module, query, {}, found);
    if (serial !== headerSerial) return;
    const data = await Promise.all(ranked.slice(0, HEADER_RESULTS).map((result) => result.data()));
    if (serial !== headerSerial) return;
    list.replaceChildren(...data.map((item) => headerItem(item, query)));
    const count = found.results.length;
    status.textContent = count ? `${plural(count, "fiche trouvée", "fiches trouvées")}` : "Aucune fiche trouvée";
    allLink.search = new URLSearchParams({ q: typed.trim() }).toString();
    all.hidden = count === 0;
    list.dataset.pour = typed; // the query these results answer (for tests and styles)
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", headerSearch);
  form.addEventListener("reset", () => setTimeout(headerSearch));
  if (toggle) {
    toggle.addEventListener("change", () => {
      if (toggle.checked) input.focus();
      else input.blur();
    });
  }

  function links() {
    return [...list.querySelectorAll("a")];
  }

  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const targets = links();
    if (!targets.length) return;
    event.preventDefault();
    const at = targets.indexOf(document.activeElement);
    const next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else targets[Math.min(next, targets.length - 1)].focus();
  });

  /* « / » (and « s », « f », as in Material) opens the search box from anywhere but a text field. */
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!["/", "s", "f"].includes(event.key)) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    event.preventDefault();
    open();
    input.focus();
    input.select();
  });

  /* --- « Banque d'expériences » ----------------------------------------------------------------- */

  const bank = document.getElementById("commun-banque");
  if (!bank) return;

  const bankInput = bank.querySelector("input[name=q]");
  const selects = [...bank.querySelectorAll("select[data-facette]")];
  const bankStatus = document.getElementById("commun-banque-etat");
  const results = document.getElementById("commun-banque-resultats");
  const more = document.getElementById("commun-banque-plus");
  const listing = document.getElementById("commun-banque-liste");
  const active = document.getElementById("commun-banque-actifs");
  const collator = new Intl.Collator("fr", { numeric: true, sensitivity: "base" });
  let bankSerial = 0;
  let current = { results: [], shown: 0, query: "" };
  let typing = 0;

  function readState() {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.facette] = select.value;
    }
    return { q: bankInput.value.trim(), filters };
  }

  function writeUrl(state) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const select of selects) {
      const name = select.dataset.facette;
      if (state.filters[name]) params.set(name, state.filters[name]);
    }
    const search = params.toString();
    const url = location.pathname + (search ? `?${search}` : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
  }

  function restoreState() {
    const params = new URLSearchParams(location.search);
    bankInput.value = params.get("q") || "";
    for (const select of selects) {
      const value = params.get(select.dataset.facette) || "";
      if (value && ![...select.options].some((option) => option.value === value)) {
        select.append(new Option(value, value));
      }
      select.value = value;
    }
  }

  function fillSelect(select, counts, selected) {
    const entries = Object.entries(counts || {}).filter(([value, count]) => count > 0 || value === selected);
    if (selected && !entries.some(([value]) => value === selected)) entries.push([selected, 0]);
    if (select.dataset.facette === "annee") entries.sort((a, b) => collator.compare(b[0], a[0]));
    else entries.sort((a, b) => collator.compare(a[0], b[0]));
    const first = select.options[0];
    select.replaceChildren(first, ...entries.map(([value, count]) => new Option(`${value} (${count})`, value)));
    select.value = selected || "";
    select.closest(".commun-banque__filtre").hidden = entries.length === 0;
  }

  function card(data, query) {
    const item = element("li", data.meta.exemple ? "commun-carte commun-carte--exemple" : "commun-carte");
    item.append(element("p", "commun-carte__type", kindLine(data.meta)));
    const title = element("h2", "commun-carte__titre");
    const link = element("a");
    link.href = data.url;
    link.append(...highlighted(data.meta.title, query));
    title.append(link);
    item.append(title);
    if (data.meta.resume) item.append(element("p", "commun-carte__resume", data.meta.resume));
    // Pagefind ends the text of a block with a full stop: « En cours · UNCCAS. »
    if (data.meta.faits) item.append(element("p", "commun-carte__faits", data.meta.faits.replace(/\.$/, "")));
    // The card shows the résumé already: no excerpt when the words were found in the hidden lines only.
    if (query) {
      const own = ownExcerpt(data);
      if (own !== null) {
        const node = element("p", "commun-carte__extrait");
        node.innerHTML = own;
        item.append(node);
      }
    }
    return item;
  }

  async function showMore(serial) {
    const slice = current.results.slice(current.shown, current.shown + PAGE_RESULTS);
    const data = await Promise.all(slice.map((result) => result.data()));
    if (serial !== bankSerial) return;
    results.append(...data.map((item) => card(item, current.query)));
    current.shown += slice.length;
    more.hidden = current.shown >= current.results.length;
  }

  /** Counts beside each value: for a facet in use, the counts it would have without its own value. */
  async function facetCounts(module, query, filters, found) {
    const totals = await module.filters(); // also loads every filter chunk, which searches count with
    const counts = { ...totals, ...(found ? found.filters : {}) };
    for (const name of Object.keys(filters)) {
      const others = { ...filters };
      delete others[name];
      if (query || Object.keys(others).length) {
        counts[name] = (await module.search(query, { filters: others })).filters[name];
      } else {
        counts[name] = totals[name];
      }
    }
    return counts;
  }

  async function refresh() {
    const serial = ++bankSerial;
    const state = readState();
    writeUrl(state);
    const query = prepare(state.q) || null;
    const filtered = Object.keys(state.filters).length > 0;
    let module;
    try {
      module = await pagefind();
    } catch (error) {
      bankStatus.textContent = "La recherche est indisponible pour le moment : toutes les fiches sont listées ci-dessous.";
      return;
    }
    await module.filters();
    const found =
      query || filtered ? await module.search(query, { filters: state.filters }) : null;
    const counts = await facetCounts(module, query, state.filters, found);
    if (serial !== bankSerial) return;
    for (const select of selects) fillSelect(select, counts[select.dataset.facette], state.filters[select.dataset.facette]);
    const inUse = Object.keys(state.filters).length;
    active.textContent = inUse ? `(${plural(inUse, "actif", "actifs")})` : "";
    const ranked = found ? await realFirst(module, query, state.filters, found) : [];
    if (serial !== bankSerial) return;
    listing.hidden = Boolean(found);
    results.hidden = !found;
    results.replaceChildren();
    current = { results: ranked, shown: 0, query: query || "" };
    if (found) {
      const count = found.results.length;
      bankStatus.textContent = count
        ? plural(count, "fiche trouvée", "fiches trouvées")
        : "Aucune fiche ne correspond : essayez un autre mot ou retirez un filtre.";
      await showMore(serial);
    } else {
      more.hidden = true;
      bankStatus.textContent = "";
    }
    if (serial === bankSerial) bank.dataset.etat = location.search; // the state shown (for tests and styles)
  }

  bank.hidden = false;
  restoreState();
  bank.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  bank.addEventListener("reset", () => setTimeout(refresh));
  bankInput.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(refresh, 200);
  });
  for (const select of selects) select.addEventListener("change", refresh);
  more.addEventListener("click", () => showMore(bankSerial));
  refresh();
})();
