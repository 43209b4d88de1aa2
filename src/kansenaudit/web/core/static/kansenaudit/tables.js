/* Wide tables scroll inside their own region, never the page (390 px screens, issue 12 §7).
 *
 * Every table in the main content that is not already in a scroll region is wrapped in one:
 * <div class="ka-scroll-region" role="region" aria-label="(the caption)">. When the table is
 * wider than the region, the region becomes focusable (tabindex 0) so that a keyboard user can
 * scroll it with the arrow keys (axe scrollable-region-focusable); when it fits, it is not a
 * tab stop. Without JavaScript the page scrolls as before. No inline script or style (CSP).
 */
(function () {
  "use strict";

  var regions = [];

  function label(table) {
    var caption = table.querySelector("caption");
    var text = caption ? caption.textContent.trim() : "";
    return text || document.documentElement.getAttribute("data-table-label") || "Tabel";
  }

  function update(region) {
    var scrolls = region.scrollWidth > region.clientWidth + 1;
    if (scrolls) {
      region.setAttribute("tabindex", "0");
    } else if (!region.hasAttribute("data-always-focusable")) {
      region.removeAttribute("tabindex");
    }
  }

  document.querySelectorAll("main table").forEach(function (table) {
    var region = table.closest(".ka-scroll-region");
    if (!region) {
      region = document.createElement("div");
      region.className = "ka-scroll-region";
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", label(table));
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    }
    regions.push(region);
  });
  document.querySelectorAll("main .ka-scroll-region").forEach(function (region) {
    if (regions.indexOf(region) < 0) {
      regions.push(region);
    }
  });
  function all() {
    regions.forEach(update);
  }
  all();
  window.addEventListener("resize", all);
})();
