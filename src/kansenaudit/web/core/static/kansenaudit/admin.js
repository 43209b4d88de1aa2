// Repairs to the Django admin's own markup, run after its scripts (no inline script: CSP).
// SelectFilter2.js labels its search icons with aria-label on a plain <span>, which has no role
// that allows a name (axe aria-prohibited-attr): give it the role of an image.
"use strict";
window.addEventListener("load", function () {
    document.querySelectorAll("span[aria-label]:not([role])").forEach(function (span) {
        span.setAttribute("role", "img");
    });
});
