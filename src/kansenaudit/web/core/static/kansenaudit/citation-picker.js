/* A searchable citation picker over the plain multiple select (issue 12 §5).
 *
 * Without JavaScript the form has a <select multiple> (Ctrl/Cmd to choose several). With it,
 * the select is hidden and replaced by a search field and a list of checkboxes, each showing
 * the document, the page and the whole quote; typing filters the list, a live region says how
 * many are shown and chosen. Every tick is copied to the hidden select, which the form submits
 * as before. Words come from data attributes the server translated. No inline script (CSP).
 */
(function () {
  "use strict";

  document.querySelectorAll("select.ka-citation-select[multiple]").forEach(function (select, n) {
    // A page with two score forms loads this script twice: turn each select into a picker once.
    if (select.hasAttribute("data-picker")) {
      return;
    }
    select.setAttribute("data-picker", "");
    var field = select.closest(".ka-field") || select.parentNode;
    var label = field.querySelector('label[for="' + select.id + '"]');
    var hint = field.querySelector(".ka-hint");
    var picker = document.createElement("fieldset");
    picker.className = "ka-citation-picker";
    var legend = document.createElement("legend");
    legend.className = "ka-label";
    legend.textContent = label ? label.textContent : "";
    picker.appendChild(legend);

    var searchId = select.id + "-zoek";
    var searchLabel = document.createElement("label");
    searchLabel.setAttribute("for", searchId);
    searchLabel.textContent = select.getAttribute("data-search-label");
    var search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.className = "ka-text-input";
    search.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "ka-hint";
    status.setAttribute("role", "status");
    var list = document.createElement("ul");
    list.className = "ka-citation-picker__list";
    picker.appendChild(searchLabel);
    picker.appendChild(search);
    picker.appendChild(status);
    picker.appendChild(list);

    var items = [];
    Array.prototype.forEach.call(select.options, function (option, i) {
      var li = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = select.id + "-" + i;
      box.checked = option.selected;
      var text = document.createElement("label");
      text.setAttribute("for", box.id);
      var where = document.createElement("span");
      where.className = "ka-citation-picker__where";
      var page = option.getAttribute("data-page");
      where.textContent = (option.getAttribute("data-document") || option.textContent) +
        (page ? ", " + select.getAttribute("data-page-label") + " " + page : "");
      var quote = document.createElement("span");
      quote.className = "ka-citation-picker__quote";
      quote.textContent = option.getAttribute("data-quote") ? "“" + option.getAttribute("data-quote") + "”" : "";
      text.appendChild(where);
      text.appendChild(quote);
      li.appendChild(box);
      li.appendChild(text);
      list.appendChild(li);
      box.addEventListener("change", function () {
        option.selected = box.checked;
        count();
      });
      items.push({ li: li, haystack: (where.textContent + " " + quote.textContent).toLowerCase() });
    });

    function count() {
      var shown = items.filter(function (item) { return !item.li.hidden; }).length;
      var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).length;
      status.textContent = select.getAttribute("data-count")
        .replace("%(shown)s", shown).replace("%(total)s", items.length).replace("%(chosen)s", chosen);
    }

    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        item.li.hidden = !words.every(function (w) { return item.haystack.indexOf(w) >= 0; });
      });
      count();
    });

    if (hint) {
      hint.textContent = select.getAttribute("data-hint");
    }
    if (label) {
      label.hidden = true;
    }
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    field.insertBefore(picker, select);
    count();
  });
})();
