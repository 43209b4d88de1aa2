/* Upload with progress, then follow the processing of each file.
 *
 * Progressive enhancement of the upload form on the documents page: without this script the
 * form posts normally and the page lists the state of each upload (refresh to follow it).
 * With it, each file is sent on its own (a <progress> per file), and the job list is polled
 * every second until every job is done. Texts come from data-* attributes (translated by the
 * server); data from the server is only ever inserted as text, never as HTML.
 */
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type="file"]'));
  // What the store reads; a folder also holds other files (images, system files), left out.
  var readable = /\.(pdf|docx|odt|html?|xhtml|txt|md)$/i;
  var list = document.getElementById("upload-progress");
  var jobsBody = document.getElementById("taken-body");
  var jobsUrl = form.getAttribute("data-jobs-url");
  var maxBytes = parseInt(form.getAttribute("data-max-mb"), 10) * 1024 * 1024;
  var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
  var watched = {};
  var polling = false;

  function text(name) {
    return form.getAttribute("data-text-" + name) || "";
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined && content !== null) {
      node.textContent = String(content);
    }
    return node;
  }

  function fileItem(file) {
    var item = element("li", "ka-upload-item");
    item.appendChild(element("span", "ka-upload-name", file.name));
    var bar = element("progress", "ka-upload-bar");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    item.appendChild(bar);
    var status = element("span", "ka-upload-status", text("waiting"));
    item.appendChild(status);
    list.appendChild(item);
    return { item: item, bar: bar, status: status };
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      if (file.size > maxBytes) {
        view.status.textContent = text("too-large");
        view.item.setAttribute("data-state", "mislukt");
        resolve();
        return;
      }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf);
      data.append("bestanden", file, file.name);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.setRequestHeader("X-CSRFToken", csrf);
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          view.bar.value = Math.round((100 * event.loaded) / event.total);
        }
      });
      request.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = null;
        }
        var result = answer && answer.files && answer.files[0];
        view.bar.value = 100;
        if (result && result.ok) {
          view.status.textContent = text("received");
          view.item.setAttribute("data-state", "wachtrij");
          watched[result.job] = view;
          poll();
        } else {
          view.status.textContent = result && result.message ? result.message : text("failed");
          view.item.setAttribute("data-state", "mislukt");
        }
        resolve();
      });
      request.addEventListener("error", function () {
        view.status.textContent = text("failed");
        view.item.setAttribute("data-state", "mislukt");
        resolve();
      });
      view.status.textContent = text("sending");
      request.send(data);
    });
  }

  function jobRow(job) {
    var row = element("tr");
    row.setAttribute("data-job", job.id);
    row.setAttribute("data-state", job.state);
    var name = element("td", "ka-table__cell");
    if (job.document_url) {
      var link = element("a", "ka-link", job.file_name);
      link.href = job.document_url;
      name.appendChild(link);
    } else {
      name.textContent = job.file_name;
    }
    row.appendChild(name);
    var state = element("td", "ka-table__cell");
    var badge = element("span", "ka-badge ka-job-state", job.state_label);
    badge.setAttribute("data-state", job.state);
    state.appendChild(badge);
    row.appendChild(state);
    row.appendChild(element("td", "ka-table__cell", job.message || "–"));
    return row;
  }

  function show(jobs) {
    while (jobsBody.firstChild) {
      jobsBody.removeChild(jobsBody.firstChild);
    }
    jobs.forEach(function (job) {
      jobsBody.appendChild(jobRow(job));
      var view = watched[job.id];
      if (view) {
        view.item.setAttribute("data-state", job.state);
        view.status.textContent = job.state_label + (job.message ? ": " + job.message : "");
        if (job.document_url && !view.link) {
          view.link = element("a", "ka-link", text("open"));
          view.link.href = job.document_url;
          view.item.appendChild(view.link);
        }
      }
    });
  }

  function waiting(jobs) {
    return jobs.some(function (job) {
      return !job.finished && (job.id in watched || job.state === "bezig");
    });
  }

  function poll() {
    if (polling) {
      return;
    }
    polling = true;
    var tick = function () {
      var request = new XMLHttpRequest();
      request.open("GET", jobsUrl);
      request.setRequestHeader("Accept", "application/json");
      request.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = null;
        }
        if (!answer || !answer.jobs) {
          polling = false;
          list.appendChild(element("li", "ka-error-message", text("polling-failed")));
          return;
        }
        show(answer.jobs);
        if (waiting(answer.jobs)) {
          window.setTimeout(tick, 1000);
        } else {
          polling = false;
        }
      });
      request.addEventListener("error", function () {
        polling = false;
        list.appendChild(element("li", "ka-error-message", text("polling-failed")));
      });
      request.send();
    };
    tick();
  }

  form.addEventListener("submit", function (event) {
    var files = [];
    inputs.forEach(function (input) {
      Array.prototype.slice.call(input.files || []).forEach(function (file) {
        if (input.id !== "id_map" || readable.test(file.name)) {
          files.push(file);
        }
      });
    });
    if (!files.length) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    var views = files.map(fileItem);
    var chain = Promise.resolve();
    files.forEach(function (file, index) {
      chain = chain.then(function () {
        return send(file, views[index]);
      });
    });
    chain.then(function () {
      button.disabled = false;
      inputs.forEach(function (input) {
        input.value = "";
      });
      poll();
    });
  });

  // Jobs still waiting when the page opens are followed too.
  if (jobsBody && jobsBody.querySelector('tr[data-state="wachtrij"], tr[data-state="bezig"]')) {
    Array.prototype.forEach.call(
      jobsBody.querySelectorAll('tr[data-state="wachtrij"], tr[data-state="bezig"]'),
      function (row) {
        watched[row.getAttribute("data-job")] = null;
      }
    );
    poll();
  }
})();
