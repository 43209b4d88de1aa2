/* Code a passage by selecting it in the text of the coding page.
 *
 * Every piece of text in #codetekst is an element with data-s, the code-point offset of its
 * first character in the transcript (or page) text; withdrawn turns have no such element and
 * cannot be selected. The offset of a selection boundary is the data-s of the piece it lies in
 * plus the code points before it in that piece (JS strings count UTF-16 units, so lengths are
 * taken with Array.from). The selection is widened to whole words here as on the server,
 * which snaps again and is the authority.
 */
(function () {
  "use strict";

  var container = document.getElementById("codetekst");
  var form = document.getElementById("coderen");
  if (!container || !form || !window.getSelection || !document.createRange) {
    return;
  }
  var startField = form.querySelector('input[name="start"]');
  var endField = form.querySelector('input[name="end"]');
  var turnField = form.querySelector('input[name="turn"]');
  var status = document.getElementById("code-status");
  var WORD = /[\p{L}\p{N}_'’-]/u;

  function piece(node) {
    var el = node.nodeType === 1 ? node : node.parentNode;
    while (el && el !== container) {
      if (el.hasAttribute && el.hasAttribute("data-s")) {
        return el;
      }
      el = el.parentNode;
    }
    return null;
  }

  function offsetOf(node, offset) {
    var el = piece(node);
    if (!el) {
      return null;
    }
    var range = document.createRange();
    range.selectNodeContents(el);
    range.setEnd(node, offset);
    return parseInt(el.getAttribute("data-s"), 10) + Array.from(range.toString()).length;
  }

  function pieces() {
    return Array.prototype.slice.call(container.querySelectorAll("[data-s]"));
  }

  function textAround(start, end) {
    // The characters of [start - 40, end + 40) that are on the page, by offset.
    var chars = {};
    pieces().forEach(function (el) {
      var s = parseInt(el.getAttribute("data-s"), 10);
      var cps = Array.from(el.textContent);
      if (s + cps.length < start - 40 || s > end + 40) {
        return;
      }
      cps.forEach(function (ch, i) {
        chars[s + i] = ch;
      });
    });
    return chars;
  }

  function snap(start, end) {
    var chars = textAround(start, end);
    function at(i) {
      return chars[i] === undefined ? " " : chars[i];
    }
    while (start < end && /\s/.test(at(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(at(end - 1))) {
      end -= 1;
    }
    if (start === end) {
      return null;
    }
    while (WORD.test(at(start - 1)) && WORD.test(at(start)) && chars[start - 1] !== undefined) {
      start -= 1;
    }
    while (WORD.test(at(end - 1)) && WORD.test(at(end)) && chars[end] !== undefined) {
      end += 1;
    }
    var quote = "";
    for (var i = start; i < end; i += 1) {
      quote += at(i);
    }
    return { start: start, end: end, quote: quote };
  }

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
      return null;
    }
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null) {
      var first = pieces().find(function (el) {
        return range.intersectsNode(el);
      });
      start = first ? parseInt(first.getAttribute("data-s"), 10) : null;
    }
    if (end === null) {
      var inside = pieces().filter(function (el) {
        return range.intersectsNode(el);
      });
      var last = inside[inside.length - 1];
      end = last
        ? parseInt(last.getAttribute("data-s"), 10) + Array.from(last.textContent).length
        : null;
    }
    if (start === null || end === null || end <= start) {
      return null;
    }
    return snap(start, end);
  }

  function update() {
    var found = selected();
    if (!found) {
      return; // a click in the form keeps the chosen passage
    }
    startField.value = String(found.start);
    endField.value = String(found.end);
    if (turnField) {
      turnField.value = "";
    }
    var quote = found.quote.length > 120 ? found.quote.slice(0, 117) + "…" : found.quote;
    status.textContent = form
      .getAttribute("data-text-selected")
      .replace("{quote}", quote)
      .replace("{start}", String(found.start))
      .replace("{end}", String(found.end));
  }

  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (selection && selection.rangeCount && container.contains(selection.anchorNode)) {
      update();
    }
  });
  container.addEventListener("mouseup", update);
  container.addEventListener("keyup", update);
  if (turnField) {
    turnField.addEventListener("input", function () {
      if (turnField.value) {
        startField.value = "";
        endField.value = "";
        status.textContent = form.getAttribute("data-text-none");
      }
    });
  }
})();
