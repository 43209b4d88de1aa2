/* Cite a passage by selecting it in the page text of the document viewer.
 *
 * Citations store Unicode code-point offsets into the page's canonical text (see
 * kansenaudit.ingest.canonical). The element #paginatekst contains exactly that text, so the
 * offset of a selection boundary is the number of code points before it in the element. JS
 * strings count UTF-16 units, so lengths are taken with Array.from (which iterates code
 * points). If the element's text does not have the length the server says it has, the script
 * leaves the form alone and the passage is looked up by its text instead.
 */
(function () {
  "use strict";

  var container = document.getElementById("paginatekst");
  var form = document.getElementById("citeren");
  if (!container || !form || !window.getSelection || !document.createRange) {
    return;
  }
  var pageText = Array.from(container.textContent);
  if (pageText.length !== parseInt(container.getAttribute("data-length"), 10)) {
    return;
  }
  var startField = document.getElementById("cite-start");
  var endField = document.getElementById("cite-end");
  var quoteField = form.querySelector('textarea[name="citaat"]');
  var status = document.getElementById("cite-status");
  var WHITESPACE = /\s/;
  var WORD = /[\p{L}\p{N}]/u;

  function codePoints(node, offset) {
    // Code points from the start of the page text to (node, offset).
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return Array.from(range.toString()).length;
  }

  function selectedRange() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var startsInside = container.contains(range.startContainer);
    var endsInside = container.contains(range.endContainer);
    if (!startsInside && !endsInside && !range.intersectsNode(container)) {
      return null;
    }
    var start = startsInside ? codePoints(range.startContainer, range.startOffset) : 0;
    var end = endsInside ? codePoints(range.endContainer, range.endOffset) : pageText.length;
    while (start < end && WHITESPACE.test(pageText[start])) {
      start += 1;
    }
    while (end > start && WHITESPACE.test(pageText[end - 1])) {
      end -= 1;
    }
    // Snap to whole words: a selection that starts or ends inside a word takes the whole word.
    while (start > 0 && start < end &&
           WORD.test(pageText[start - 1]) && WORD.test(pageText[start])) {
      start -= 1;
    }
    while (end < pageText.length && end > start &&
           WORD.test(pageText[end]) && WORD.test(pageText[end - 1])) {
      end += 1;
    }
    return end > start ? { start: start, end: end } : null;
  }

  function update() {
    var found = selectedRange();
    if (!found) {
      return; // a click elsewhere (e.g. in the note field) keeps the chosen passage
    }
    startField.value = String(found.start);
    endField.value = String(found.end);
    quoteField.value = pageText.slice(found.start, found.end).join("");
    status.textContent = form
      .getAttribute("data-text-selected")
      .replace("{start}", String(found.start))
      .replace("{end}", String(found.end));
  }

  function release() {
    // A passage typed or changed by hand: the server looks it up instead of using offsets.
    if (startField.value || endField.value) {
      startField.value = "";
      endField.value = "";
      status.textContent = form.getAttribute("data-text-typed");
    }
  }

  container.addEventListener("mouseup", update);
  container.addEventListener("keyup", update);
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed && selection.rangeCount) {
      var range = selection.getRangeAt(0);
      if (container.contains(range.commonAncestorContainer)) {
        update();
      }
    }
  });
  quoteField.addEventListener("input", release);
  container.setAttribute("tabindex", "0");
  // A passage selected while the page was still loading counts too.
  update();

  var active = container.querySelector(".ka-cited--active");
  if (active && !window.location.hash) {
    active.scrollIntoView({ block: "center" });
  }
})();
