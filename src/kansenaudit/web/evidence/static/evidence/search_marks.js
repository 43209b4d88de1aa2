/* Step from search match to search match on a page of the document viewer.
 *
 * The server marks every word the search found (mark.ka-search-hit, ids treffer-1 …); the
 * links "Previous match" and "Next match" work without this script (they jump to the first and
 * last match). With it they step through the matches, as do the keys n and Shift+N, and the
 * position ("Match 2 of 5") is announced.
 */
(function () {
  "use strict";

  var nav = document.getElementById("zoektreffers");
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.ka-search-hit"));
  if (!nav || marks.length === 0) {
    return;
  }
  var position = document.getElementById("zoektreffer-positie");
  var template = nav.getAttribute("data-position-text") || "__n__ / __total__";
  var current = -1;

  function show(index, focus) {
    if (current >= 0) {
      marks[current].classList.remove("ka-search-hit--current");
    }
    current = (index + marks.length) % marks.length;
    var mark = marks[current];
    mark.classList.add("ka-search-hit--current");
    mark.scrollIntoView({ block: "center" });
    if (focus) {
      mark.focus({ preventScroll: true });
    }
    if (position) {
      position.textContent = template
        .replace("__n__", String(current + 1))
        .replace("__total__", String(marks.length));
    }
  }

  function step(by) {
    show(current < 0 ? (by > 0 ? 0 : marks.length - 1) : current + by, true);
  }

  Array.prototype.forEach.call(nav.querySelectorAll("[data-step]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      step(parseInt(link.getAttribute("data-step"), 10));
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "n" && event.key !== "N") {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable) {
      return;
    }
    event.preventDefault();
    step(event.shiftKey ? -1 : 1);
  });

  if (!window.location.hash) {
    show(0, false);
  }
})();
