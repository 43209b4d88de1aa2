/* SPDX-License-Identifier: EUPL-1.2
 *
 * The evidence picker of a finding, enhanced (issue 17). Without JavaScript the search field
 * searches the whole dossier on the server (the "Search" button). With it, typing in the same
 * field also filters the listed pieces at once and a live region says how many are shown and
 * ticked; Enter still searches on the server, for what is not listed. No inline script (CSP).
 */
(function () {
  "use strict";

  var form = document.querySelector("form.ka-evidence-picker");
  if (!form) {
    return;
  }
  var search = form.querySelector('input[type="search"][name="q"]');
  var status = form.querySelector('[role="status"]');
  var items = Array.prototype.map.call(form.querySelectorAll(".ka-evidence-picker__list li"), function (li) {
    return { li: li, box: li.querySelector('input[type="checkbox"]'), haystack: li.textContent.toLowerCase() };
  });

  function count() {
    var shown = items.filter(function (item) { return !item.li.hidden; }).length;
    var chosen = items.filter(function (item) { return item.box && item.box.checked; }).length;
    status.textContent = form.getAttribute("data-count")
      .replace("%(shown)s", shown).replace("%(total)s", items.length).replace("%(chosen)s", chosen);
  }

  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    items.forEach(function (item) {
      // A ticked piece stays visible: what will be attached is never hidden.
      item.li.hidden = !(item.box && item.box.checked) &&
        !words.every(function (w) { return item.haystack.indexOf(w) >= 0; });
    });
    count();
  });
  form.addEventListener("change", count);
  count();
})();
