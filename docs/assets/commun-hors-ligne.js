/* Search of the offline copy (opened from the disk, file://), where neither Pagefind nor fetch work.
 *
 * Online this script does nothing. From the disk it shows the search box of every page (main.html), hides
 * the header search (Pagefind cannot load from file://), sends the search shortcuts to its own box and, at
 * the first key typed, loads the index assets/commun-recherche-index.js — a script that sets
 * window.COMMUN_RECHERCHE (see plugins/commun/offline.py).
 */
(() => {
  "use strict";

  if (location.protocol !== "file:") return;
  const box = document.getElementById("commun-recherche-hors-ligne");
  if (!box) return;

  document.documentElement.classList.add("commun-est-hors-ligne");
  box.hidden = false;

  const root = (box.dataset.communRacine || ".").replace(/\/?$/, "/");
  const input = box.querySelector("input");
  const status = box.querySelector(".commun-hors-ligne__etat");
  const list = box.querySelector(".commun-hors-ligne__resultats");
  const MAX = 20;
  let index = null;
  let loading = null;

  function fold(text) {
    return (text || "")
      .toLowerCase()
      .replace(/œ/g, "oe")
      .replace(/æ/g, "ae")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "");
  }

  function load() {
    if (index) return Promise.resolve(index);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = root + "assets/commun-recherche-index.js";
        script.onload = () => {
          index = (window.COMMUN_RECHERCHE || []).map((page) => ({
            page,
            title: fold(page.t),
            text: " " + fold(page.t + " " + page.r + " " + page.k) + " " + page.x + " ",
          }));
          resolve(index);
        };
        script.onerror = () => {
          loading = null;
          reject(new Error("index"));
        };
        document.head.append(script);
      });
    }
    return loading;
  }

  function search(query) {
    const words = fold(query).split(/[^a-z0-9]+/).filter((word) => word.length >= 2);
    if (!words.length) return [];
    const found = [];
    for (const entry of index) {
      let score = 0;
      for (const word of words) {
        if (!entry.text.includes(word)) {
          score = -1;
          break;
        }
        score += entry.title.includes(word) ? 3 : 1;
        if (entry.text.includes(" " + word)) score += 1;
      }
      if (score > 0) found.push([score, entry.page]);
    }
    found.sort((a, b) => b[0] - a[0] || a[1].t.localeCompare(b[1].t, "fr"));
    return found.map((item) => item[1]);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(query) {
    list.replaceChildren();
    if (!query.trim()) {
      status.textContent = "";
      return;
    }
    const pages = search(query);
    status.textContent = pages.length
      ? `${pages.length} page${pages.length > 1 ? "s" : ""} trouvée${pages.length > 1 ? "s" : ""}`
      : "Aucune page ne contient ces mots.";
    for (const page of pages.slice(0, MAX)) {
      const item = element("li");
      const link = element("a", null, page.t);
      link.href = root + page.u;
      item.append(link, element("span", "commun-hors-ligne__sorte", ` · ${page.k}`));
      if (page.r) item.append(element("p", null, page.r));
      list.append(item);
    }
  }

  // The theme's search shortcuts (« / », « s », « f ») would focus the hidden header box: they lead here.
  window.addEventListener(
    "keydown",
    (event) => {
      if (!["/", "s", "f"].includes(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      input.focus();
    },
    true,
  );

  input.addEventListener("input", () => {
    const query = input.value;
    load().then(
      () => show(query === input.value ? query : input.value),
      () => {
        status.textContent = "L'index de recherche est introuvable : la copie est incomplète.";
      },
    );
  });
})();
