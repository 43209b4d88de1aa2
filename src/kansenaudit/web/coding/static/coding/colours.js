/* The colours of the codes on the coding pages.
 *
 * A code's colour is the team's choice (or an imported project's), so it cannot be one of a
 * fixed set of classes, and the Content-Security-Policy forbids style attributes in the markup.
 * The pages carry the colour in data-colour; this script sets it as the custom property
 * --code-colour through the CSSOM, which the policy allows. Without the script the stylesheet's
 * default colour is shown, and nothing else changes.
 */
(function () {
  "use strict";

  var COLOUR = /^#[0-9A-Fa-f]{6}$/;

  function paint(root) {
    var items = root.querySelectorAll("[data-colour]");
    for (var i = 0; i < items.length; i += 1) {
      var colour = items[i].getAttribute("data-colour");
      if (COLOUR.test(colour)) {
        items[i].style.setProperty("--code-colour", colour);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      paint(document);
    });
  } else {
    paint(document);
  }
})();
