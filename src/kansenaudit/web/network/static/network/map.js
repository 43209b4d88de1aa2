/* The interactive network map: Cytoscape.js (served from this app, no CDN) with the map's data
   from its JSON endpoint. No inline script: the page's CSP forbids it. Everything the map shows
   is also in the tables below it (the text version). */
(function () {
  "use strict";
  var COLOURS = {
    money: "#E69F00", mandate: "#0072B2", accountability: "#D55E00",
    information: "#009E73", knowledge: "#CC79A7", collaboration: "#56B4E9"
  };
  var STANCE = { supports: "#009E73", neutral: "#777777", opposes: "#D55E00", unknown: "#BBBBBB" };
  var container = document.getElementById("netwerkkaart");
  if (!container || typeof cytoscape !== "function") { return; }
  var details = document.getElementById("kaart-details");
  var tieSelect = document.getElementById("kaart-relatie");
  var actorSelect = document.getElementById("kaart-actor");
  var yearSelect = document.getElementById("kaart-jaar");
  var texts = {};

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function showTie(cy, id) {
    var edge = cy.getElementById(id);
    details.textContent = "";
    if (!edge || edge.empty()) { return; }
    var d = edge.data();
    var title = d.sourceLabel + " → " + d.targetLabel + " (" + (texts.kinds[d.kind] || d.kind) + ")";
    details.appendChild(el("p", title, "ka-paragraph"));
    if (d.note) { details.appendChild(el("p", d.note, "ka-hint")); }
    if (d.inherited) { details.appendChild(el("p", texts.inherited, "ka-hint")); }
    if (!d.evidence.length) {
      details.appendChild(el("p", texts.noEvidence, "ka-network-noevidence"));
    } else {
      var list = el("ul", null, "ka-unordered-list");
      d.evidence.forEach(function (e) {
        var item = el("li");
        var link = el("a", e.document + ", p. " + e.page, "ka-link");
        link.href = e.url;
        item.appendChild(link);
        item.appendChild(el("span", " “" + e.quote + "”"));
        list.appendChild(item);
      });
      details.appendChild(el("p", texts.evidence + ":", "ka-paragraph"));
      details.appendChild(list);
    }
    cy.elements().removeClass("selected-tie");
    edge.addClass("selected-tie");
    if (tieSelect.value !== id) { tieSelect.value = id; }
  }

  function applyFilters(cy, edges) {
    var kinds = {};
    var all = true;
    document.querySelectorAll('#kaart-bediening input[name="soort"]').forEach(function (box) {
      kinds[box.value] = box.checked;
      all = all && box.checked;
    });
    var year = yearSelect.value ? parseInt(yearSelect.value, 10) : null;
    if (edges && all && year === null) { return; }  // new ties, and nothing is filtered out
    cy.batch(function () {
      (edges || cy.edges()).forEach(function (edge) {
        var d = edge.data();
        var inYear = year === null || ((d.start === null || d.start <= year) && (d.end === null || d.end >= year));
        edge.toggleClass("hidden", !(kinds[d.kind] && inYear));
      });
    });
  }

  function highlight(cy, id) {
    cy.batch(function () {
      cy.elements().removeClass("faded");
      if (!id) { return; }
      var node = cy.getElementById(id);
      if (node.empty()) { return; }
      var hood = node.closedNeighborhood();
      cy.elements().not(hood).addClass("faded");
    });
  }

  function start(data) {
    texts = data.texts;
    var labels = {};
    data.nodes.forEach(function (n) { labels[n.id] = n.label; });
    var elements = data.nodes.map(function (n) {
      return {
        group: "nodes",
        data: { id: n.id, label: n.label, kind: n.kind, stance: STANCE[n.stance] || STANCE.unknown,
                size: 18 + 4 * Math.min(Math.max(n.influence || 0, 0), 10) },
        position: { x: n.x, y: n.y }
      };
    });
    var options = document.createDocumentFragment();
    var ties = [];
    data.ties.forEach(function (t) {
      ties.push({
        group: "edges",
        data: { id: t.id, source: t.source, target: t.target, kind: t.kind, start: t.start,
                end: t.end, inherited: t.inherited, evidence: t.evidence, note: t.note,
                sourceLabel: labels[t.source], targetLabel: labels[t.target] },
        classes: (t.evidence.length ? "k-" : "noevidence k-") + t.kind
      });
      var option = el("option", labels[t.source] + " → " + labels[t.target] + " (" + (texts.kinds[t.kind] || t.kind) + ")");
      option.value = t.id;
      options.appendChild(option);
    });
    tieSelect.appendChild(options);
    var big = data.ties.length > 3000;
    // A big map shows its actors first and adds the ties in batches after the first frame:
    // building all elements at once kept the page blank for seconds (docs/network.md).
    var later = big ? ties : [];
    if (!big) { elements = elements.concat(ties); }
    var kindStyles = Object.keys(COLOURS).map(function (kind) {
      return { selector: "edge.k-" + kind, style: { "line-color": COLOURS[kind], "target-arrow-color": COLOURS[kind] } };
    });
    var cy = cytoscape({
      container: container,
      elements: elements,
      layout: { name: "preset", fit: true, padding: 30 },
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 5,
      textureOnViewport: data.nodes.length > 500,
      hideEdgesOnViewport: data.ties.length > 3000,
      pixelRatio: big ? 1 : "auto",
      style: [
        { selector: "node", style: {
          "background-color": "#ffffff", "border-width": 3, "border-color": "data(stance)",
          "width": "data(size)", "height": "data(size)",
          "label": data.nodes.length > 300 ? "" : "data(label)", "font-size": 11,
          "text-valign": "bottom", "text-margin-y": 4, "color": "#1a1a1a",
          "text-wrap": "wrap", "text-max-width": 120 } },
        { selector: "edge", style: {
          "width": big ? 1 : 2, "target-arrow-shape": big ? "none" : "triangle",
          "curve-style": big ? "haystack" : "bezier" } },
      ].concat(kindStyles).concat([
        { selector: "edge.noevidence", style: { "line-style": "dashed" } },
        { selector: ".hidden", style: { "display": "none" } },
        { selector: ".faded", style: { "opacity": 0.12 } },
        { selector: "edge.selected-tie", style: { "width": 5 } },
        { selector: "node:selected", style: { "border-width": 5, "border-color": "#004699" } }
      ])
    });
    window.kaNetworkMap = cy;
    cy.on("tap", "edge", function (event) { showTie(cy, event.target.id()); });
    cy.on("tap", "node", function (event) {
      actorSelect.value = event.target.id();
      highlight(cy, event.target.id());
    });
    cy.on("tap", function (event) {
      if (event.target === cy) { actorSelect.value = ""; highlight(cy, ""); }
    });
    document.querySelectorAll('#kaart-bediening input[name="soort"]').forEach(function (box) {
      box.addEventListener("change", function () { applyFilters(cy); });
    });
    yearSelect.addEventListener("change", function () { applyFilters(cy); });
    actorSelect.addEventListener("change", function () { highlight(cy, actorSelect.value); });
    tieSelect.addEventListener("change", function () { showTie(cy, tieSelect.value); });
    function zoomBy(factor) {
      cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
    }
    document.getElementById("kaart-in").addEventListener("click", function () { zoomBy(1.25); });
    document.getElementById("kaart-uit").addEventListener("click", function () { zoomBy(0.8); });
    document.getElementById("kaart-passend").addEventListener("click", function () { cy.fit(undefined, 30); });
    container.addEventListener("keydown", function (event) {
      var step = 40, handled = true;
      if (event.key === "ArrowLeft") { cy.panBy({ x: step, y: 0 }); }
      else if (event.key === "ArrowRight") { cy.panBy({ x: -step, y: 0 }); }
      else if (event.key === "ArrowUp") { cy.panBy({ x: 0, y: step }); }
      else if (event.key === "ArrowDown") { cy.panBy({ x: 0, y: -step }); }
      else if (event.key === "+" || event.key === "=") { zoomBy(1.25); }
      else if (event.key === "-" || event.key === "_") { zoomBy(0.8); }
      else if (event.key === "0") { cy.fit(undefined, 30); }
      else { handled = false; }
      if (handled) { event.preventDefault(); }
    });
    var save = document.getElementById("kaart-bewaar");
    if (save && container.dataset.saveUrl) {
      save.addEventListener("click", function () {
        var positions = {};
        cy.nodes().forEach(function (n) { var p = n.position(); positions[n.id()] = [p.x, p.y]; });
        fetch(container.dataset.saveUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": container.dataset.csrf },
          body: JSON.stringify({ positions: positions })
        }).then(function (response) {
          details.textContent = "";
          details.appendChild(el("p", response.ok ? texts.saved : texts.notSaved, "ka-paragraph"));
        });
      });
    }
    container.dataset.readyAt = String(Math.round(performance.now()));
    container.dataset.ready = "true";
    var next = 0;
    var BATCH = 10000;  // one batch for up to 10,000 ties: each batch costs a full redraw
    function addBatch() {
      if (next >= later.length) {
        container.dataset.completeAt = String(Math.round(performance.now()));
        container.dataset.complete = "true";
        return;
      }
      var added;
      cy.batch(function () { added = cy.add(later.slice(next, next + BATCH)); });
      next += BATCH;
      applyFilters(cy, added);
      if (actorSelect.value) { highlight(cy, actorSelect.value); }
      requestAnimationFrame(addBatch);
    }
    requestAnimationFrame(addBatch);
  }

  fetch(container.dataset.url, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(start);
})();
