/* Keep the transcripts of a session page up to date while uploads are read in the background.
 *
 * The server lists queued and running uploads (#transcript-jobs, rows with data-state). While
 * one of them is still waiting, this script fetches the page again every few seconds and swaps
 * in the new list of transcripts and jobs; the live region says when something changed. Without
 * it, reloading the page shows the same.
 */
(function () {
  "use strict";

  var DELAY = 3000;
  var PENDING = '#transcript-jobs [data-state="wachtrij"], #transcript-jobs [data-state="bezig"]';

  function pending(root) {
    return root.querySelector(PENDING) !== null;
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var from = fresh.getElementById("transcript-lijst");
        var to = document.getElementById("transcript-lijst");
        if (!from || !to) {
          return;
        }
        var before = to.textContent;
        to.innerHTML = from.innerHTML;
        var status = document.getElementById("transcript-jobs-status");
        if (status && before !== to.textContent) {
          status.textContent = status.getAttribute("data-changed-text") || "";
        }
        if (pending(document)) {
          window.setTimeout(refresh, DELAY);
        }
      })
      .catch(function () {
        window.setTimeout(refresh, DELAY * 4);
      });
  }

  if (pending(document)) {
    window.setTimeout(refresh, DELAY);
  }
})();
