/* lexgraph interactive page: draws the view's data with vis-network and wires up the search,
 * the filters, the neighbourhood highlight, the tooltips and the details panel.
 *
 * Every text that comes from the data reaches the DOM through textContent or an attribute
 * set from script, never through innerHTML, so labels such as "</script>" show as text.
 * Links are made only for http: and https: URLs, and open with rel="noopener noreferrer".
 */
(function () {
  "use strict";

  var scriptAt = performance.now();
  var data = JSON.parse(document.getElementById("lg-data").textContent);
  var DIM = "#e8e8e8";
  var DIM_FONT = "rgba(34, 34, 34, 0.2)";
  var FONT = data.options.nodes.font.color;
  var EDGE_COLOR = data.options.edges.color;
  var EDGE_DIM = { color: "#f1f1f1", highlight: EDGE_COLOR.highlight, hover: EDGE_COLOR.hover };
  var EDGE_NEAR = { color: "#555555", highlight: EDGE_COLOR.highlight, hover: EDGE_COLOR.hover };
  var MENU_KINDS = { crime: ["crime"], instrument: ["instrument", "soft-law"], modality: ["modality"] };
  var FILTER_STEPS = 2;

  /* vis-network ids are indexes: node i is data.nodes[i] (its drawing) and data.info[i] (its
   * IRI, kind, label, facts, source); edge k is data.edges[k], labelled data.edgeLabels[k].
   * The window.lexgraphViz functions take and return IRIs. */
  var kindName = new Map();
  data.kinds.forEach(function (k) { kindName.set(k.kind, k.name); });
  var info = data.info;
  var byIri = new Map();
  var adjacency = [];
  var incident = [];
  info.forEach(function (n, i) {
    byIri.set(n.iri, i);
    adjacency.push(new Set());
    incident.push([]);
  });
  var groups = data.groups;
  var owner = groups.owner;
  var opened = new Set();
  var groupEdges = groups.edges;
  var groupById = new Map();
  var hasArticles = new Set();
  owner.forEach(function (o) { if (o >= 0) hasArticles.add(o); });
  groupEdges.forEach(function (g) {
    groupById.set(g.id, g);
    g.color = (data.edgeKinds.filter(function (k) { return k.label === g.label; })[0] || {}).color;
  });
  data.edges.forEach(function (e) {
    adjacency[e.from].add(e.to);
    adjacency[e.to].add(e.from);
    incident[e.from].push(e);
    incident[e.to].push(e);
  });
  var indexOf = function (node) {
    if (typeof node === "number") return info[node] ? node : null;
    var i = byIri.get(node);
    return i === undefined ? null : i;
  };
  var iris = function (indexes) {
    return indexes.map(function (i) { return info[i].iri; });
  };

  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  };
  var safeUrl = function (text) {
    if (typeof text !== "string") return null;
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  };
  var link = function (url, text) {
    var a = el("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  };

  data.nodes.forEach(function (n, i) { if (owner[i] >= 0) n.hidden = true; });
  var drawnGroupEdges = groupEdges.map(function (g) {
    return { id: g.id, from: g.from, to: g.to, color: g.color, width: 1.2 };
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges.concat(drawnGroupEdges));
  var container = $("lg-network");
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);

  var api = {
    network: network,
    nodes: nodes,
    edges: edges,
    search: search,
    highlight: highlight,
    visible: visible,
    choose: choose,
    toggle: toggle,
    opened: function () { return iris(Array.from(opened)).sort(); },
    overlaps: overlaps,
    showKind: showKind,
    index: indexOf,
    iri: function (i) { return info[i] ? info[i].iri : null; },
    highlighted: [],
    ready: false,
    scriptAt: scriptAt,
    startedAt: null,
    readyAt: null,
    iterations: 0
  };
  window.lexgraphViz = api;

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  }

  /* ---- neighbourhood highlight and details ---- */

  var dimmedNodes = new Set();
  var styledEdges = new Map();

  function restyle(keep, centre) {
    var nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = keep !== null && !keep.has(n.id);
      if (dim === dimmedNodes.has(n.id)) return;
      if (dim) {
        dimmedNodes.add(n.id);
        nodeUpdates.push({ id: n.id, color: DIM, font: { color: DIM_FONT } });
      } else {
        dimmedNodes.delete(n.id);
        nodeUpdates.push({ id: n.id, color: n.color, font: { color: FONT } });
      }
    });
    var edgeUpdates = [];
    data.edges.concat(drawnGroupEdges).forEach(function (e) {
      var want = "normal";
      if (keep !== null) want = e.from === centre || e.to === centre ? "near" : "dim";
      if ((styledEdges.get(e.id) || "normal") === want) return;
      styledEdges.set(e.id, want);
      var color = want === "near" ? EDGE_NEAR : want === "dim" ? EDGE_DIM
        : { color: e.color || EDGE_COLOR.color, highlight: EDGE_COLOR.highlight,
            hover: EDGE_COLOR.hover };
      edgeUpdates.push({ id: e.id, color: color });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
  }

  /** Highlight a node and its neighbours, dim the rest, show its details; null clears. */
  function highlight(node) {
    var id = node === null || node === undefined ? null : indexOf(node);
    if (id === null) {
      restyle(null, null);
      network.unselectAll();
      $("lg-details").hidden = true;
      api.highlighted = [];
      return [];
    }
    var keep = new Set(adjacency[id]);
    keep.add(id);
    api.highlighted = iris(Array.from(keep)).sort();
    // An instrument's neighbours through its articles stay in colour too.
    groupEdges.forEach(function (g) {
      if (g.from === id) keep.add(g.to);
      if (g.to === id) keep.add(g.from);
    });
    restyle(keep, id);
    network.selectNodes([id]);
    showDetails(id);
    return api.highlighted.slice();
  }

  function showDetails(id) {
    var n = info[id];
    var panel = $("lg-details");
    panel.replaceChildren();
    var close = el("button", "Close");
    close.type = "button";
    close.addEventListener("click", function () { highlight(null); });
    panel.append(close, el("p", kindName.get(n.kind) || n.kind, "lg-kind"), el("h2", n.label));
    var dl = el("dl");
    n.facts.forEach(function (fact) { dl.append(el("dt", fact[0]), el("dd", fact[1])); });
    var source = safeUrl(n.source);
    if (source) {
      var dd = el("dd");
      dd.append(link(source, source));
      dl.append(el("dt", "source"), dd);
    }
    panel.append(dl);
    var iri = safeUrl(n.iri);
    var p = el("p", null, "lg-iri");
    if (iri) p.append(link(iri, n.iri)); else p.textContent = n.iri;
    panel.append(p);
    var around = incident[id];
    panel.append(el("h3", "Neighbours (" + adjacency[id].size + ")"));
    var list = el("ul", null, "lg-matches");
    around.slice(0, 300).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      var kind = data.edgeLabels[e.id] + (data.edgeNotes[e.id] ? " (" + data.edgeNotes[e.id] + ")" : "");
      var text = e.from === id ? kind + " → " + info[other].label
        : info[other].label + " → " + kind;
      var item = el("li");
      var button = el("button", text);
      button.type = "button";
      button.addEventListener("click", function () { highlight(other); focusOn(other); });
      item.append(button);
      list.append(item);
    });
    panel.append(list);
    panel.hidden = false;
  }

  function focusOn(id) {
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
  }

  /** Open or close the articles of an instrument; returns whether they are now shown. */
  function toggle(node, open) {
    var id = indexOf(node);
    if (id === null || !hasArticles.has(id)) return false;
    var want = open === undefined ? !opened.has(id) : Boolean(open);
    if (want) opened.add(id); else opened.delete(id);
    applyFilters(false);
    return want;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      toggle(params.nodes[0]);
      highlight(params.nodes[0]);
    } else if (!params.edges.length) highlight(null);
  });

  /* ---- tooltips ---- */

  var tooltip = $("lg-tooltip");
  var hideTimer = null;

  function showTip(parts, pointer) {
    clearTimeout(hideTimer);
    tooltip.replaceChildren.apply(tooltip, parts);
    var box = container.getBoundingClientRect();
    tooltip.style.left = Math.min(box.left + pointer.x + 14, window.innerWidth - 300) + "px";
    tooltip.style.top = box.top + pointer.y + 14 + "px";
    tooltip.hidden = false;
  }
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { tooltip.hidden = true; }, 400);
  }
  tooltip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  tooltip.addEventListener("mouseleave", hideSoon);

  network.on("hoverNode", function (params) {
    var n = info[params.node];
    var parts = [el("p", kindName.get(n.kind) || n.kind, "lg-kind"), el("strong", n.label)];
    n.facts.slice(0, 4).forEach(function (fact) {
      parts.push(el("p", fact[0] + ": " + fact[1]));
    });
    var source = safeUrl(n.source);
    if (source) {
      var p = el("p", "source: ");
      p.append(link(source, new URL(source).hostname));
      parts.push(p);
    }
    showTip(parts, params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    var g = groupById.get(params.edge);
    var e = g || data.edges[params.edge];
    if (!e) return;
    var what = g ? g.label + (g.articles.length ? " (" + g.articles.join(", ") + ")" : "")
      : data.edgeLabels[e.id] + (data.edgeNotes[e.id] ? " (" + data.edgeNotes[e.id] + ")" : "");
    var text = info[e.from].name + " — " + what + " → " + info[e.to].name;
    showTip([el("p", text)], params.pointer.DOM);
  });
  network.on("blurNode", hideSoon);
  network.on("blurEdge", hideSoon);
  network.on("dragStart", function () { tooltip.hidden = true; });

  /* ---- search ---- */

  var hidden = new Map();
  var filtered = new Map();
  var hiddenEdges = new Map();

  /** Select and list the visible nodes whose label or key contains text; returns their ids. */
  function search(text) {
    var query = String(text === null || text === undefined ? "" : text).trim().toLocaleLowerCase();
    var list = $("lg-matches");
    list.replaceChildren();
    if (!query) {
      $("lg-search-status").textContent = "";
      network.unselectAll();
      return [];
    }
    var found = [];
    info.forEach(function (n, i) {
      if (filtered.get(i)) return;
      var label = n.label.toLocaleLowerCase();
      if (label.indexOf(query) >= 0 || n.key.toLocaleLowerCase().indexOf(query) >= 0) {
        found.push([label.indexOf(query) === 0 ? 0 : 1, label, i]);
      }
    });
    found.sort(function (a, b) {
      return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    });
    var ids = found.map(function (f) { return f[2]; });
    $("lg-search-status").textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    ids.slice(0, 50).forEach(function (id) {
      var item = el("li");
      var button = el("button", info[id].label);
      button.type = "button";
      button.addEventListener("click", function () {
        if (owner[id] >= 0) toggle(owner[id], true);
        highlight(id);
        focusOn(id);
      });
      item.append(button);
      list.append(item);
    });
    if (ids.length) {
      network.selectNodes(ids, false);
      focusOn(ids[0]);
    }
    return iris(ids);
  }

  var searchBox = $("lg-search");
  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(searchBox.value); }, 200);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    clearTimeout(searchTimer);
    var ids = search(searchBox.value);
    if (ids.length) highlight(ids[0]);
  });

  /* ---- filters: classes (the legend) and the three menus ---- */

  var shownKinds = new Set(data.kinds.map(function (k) { return k.kind; }));
  var chosen = { crime: "", instrument: "", modality: "" };
  var menus = {};

  function within(id, steps) {
    var seen = new Set([id]);
    var frontier = [id];
    for (var step = 0; step < steps; step++) {
      var next = [];
      frontier.forEach(function (at) {
        adjacency[at].forEach(function (other) {
          if (!seen.has(other)) {
            seen.add(other);
            next.push(other);
          }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function applyFilters(fit) {
    var allowed = null;
    Object.keys(chosen).forEach(function (kind) {
      var at = chosen[kind] === "" ? null : indexOf(Number(chosen[kind]));
      if (at === null) return;
      var near = within(at, FILTER_STEPS);
      allowed = allowed === null ? near
        : new Set(Array.from(allowed).filter(function (id) { return near.has(id); }));
    });
    var nodeUpdates = [];
    var shown = [];
    info.forEach(function (n, i) {
      var hide = !shownKinds.has(n.kind) || (allowed !== null && !allowed.has(i));
      filtered.set(i, hide);
      hide = hide || (owner[i] >= 0 && !opened.has(owner[i]));
      if (!hide) shown.push(i);
      if (hide !== Boolean(hidden.get(i))) nodeUpdates.push({ id: i, hidden: hide });
      hidden.set(i, hide);
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var hide = hidden.get(e.from) || hidden.get(e.to);
      if (hide !== Boolean(hiddenEdges.get(e.id))) edgeUpdates.push({ id: e.id, hidden: hide });
      hiddenEdges.set(e.id, hide);
    });
    // An edge of a closed instrument stands for its articles' edges that are hidden.
    groupEdges.forEach(function (g) {
      var hide = hidden.get(g.from) || hidden.get(g.to) ||
        g.members.every(function (k) { return !hiddenEdges.get(k); });
      if (hide !== Boolean(hiddenEdges.get(g.id))) edgeUpdates.push({ id: g.id, hidden: hide });
      hiddenEdges.set(g.id, hide);
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    $("lg-visible").textContent = shown.length + " of " + data.nodes.length + " nodes shown";
    var centre = network.getSelectedNodes()[0];
    if (api.highlighted.length && centre !== undefined && hidden.get(centre)) highlight(null);
    if (fit && shown.length) network.fit({ nodes: shown, animation: false });
  }

  /** The IRIs of the nodes no filter hides (articles of a closed instrument included). */
  function visible() {
    return info.filter(function (n, i) { return !filtered.get(i); })
      .map(function (n) { return n.iri; });
  }

  /** The labels drawn now, as screen boxes, and the pairs of them that overlap. */
  function overlaps() {
    var body = network.body;
    var boxes = [];
    body.nodeIndices.forEach(function (id) {
      var node = body.nodes[id];
      if (!node || node.options.hidden || !node.labelModule.visible()) return;
      var s = node.labelModule.size;
      var a = network.canvasToDOM({ x: s.left, y: s.top });
      var b = network.canvasToDOM({ x: s.left + s.width, y: s.top + s.height });
      boxes.push({ iri: info[id].iri, label: node.options.label, box: [a.x, a.y, b.x, b.y],
                   px: node.labelModule.fontOptions.size * network.getScale() });
    });
    var pairs = [];
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var p = boxes[i].box, q = boxes[j].box;
        var dx = Math.min(p[2], q[2]) - Math.max(p[0], q[0]);
        var dy = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
        if (dx > 0.5 && dy > 0.5) pairs.push([boxes[i].label, boxes[j].label]);
      }
    }
    return { labels: boxes, pairs: pairs };
  }

  function showKind(kind, show) {
    if (show) shownKinds.add(kind); else shownKinds.delete(kind);
    var box = document.querySelector('#lg-legend input[value="' + CSS.escape(kind) + '"]');
    if (box) box.checked = Boolean(show);
    applyFilters(false);
    return visible();
  }

  /** Set a filter menu ("crime", "instrument", "modality") to a node, or clear it with null. */
  function choose(menu, node) {
    var at = node === null || node === undefined ? null : indexOf(node);
    chosen[menu] = at === null ? "" : String(at);
    var control = menus[menu];
    if (control && control.tom) control.tom.setValue(chosen[menu], true);
    else if (control) control.select.value = chosen[menu];
    applyFilters(true);
    return visible();
  }

  var SVG = "http://www.w3.org/2000/svg";
  var SHAPES = {
    square: "2,2 14,2 14,14 2,14",
    diamond: "8,1 15,8 8,15 1,8",
    triangle: "8,2 15,14 1,14",
    triangleDown: "1,2 15,2 8,14",
    hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8",
    star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"
  };
  function swatch(kind) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    var shape;
    if (SHAPES[kind.shape]) {
      shape = document.createElementNS(SVG, "polygon");
      shape.setAttribute("points", SHAPES[kind.shape]);
    } else {
      shape = document.createElementNS(SVG, "circle");
      shape.setAttribute("cx", "8");
      shape.setAttribute("cy", "8");
      shape.setAttribute("r", "6");
    }
    shape.setAttribute("fill", kind.color);
    svg.append(shape);
    return svg;
  }

  data.kinds.forEach(function (kind) {
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = kind.kind;
    box.addEventListener("change", function () { showKind(kind.kind, box.checked); });
    var label = el("label");
    label.append(box, swatch(kind), el("span", kind.name), el("span", kind.count, "lg-count"));
    var item = el("li");
    item.append(label);
    $("lg-legend").append(item);
  });

  data.edgeKinds.forEach(function (kind) {
    var line = el("span", null, "lg-edge-line" + (kind.label === "signed" ? " lg-dashed" : ""));
    line.style.borderTopColor = kind.color;
    var label = el("label");
    var text = el("span", kind.label);
    text.append(el("span", kind.meaning, "lg-meaning"));
    label.append(line, text, el("span", kind.count, "lg-count"));
    var item = el("li");
    item.append(label);
    $("lg-edge-legend").append(item);
  });

  Object.keys(MENU_KINDS).forEach(function (menu) {
    var select = $("lg-filter-" + menu);
    var any = el("option", "any");
    any.value = "";
    select.append(any);
    var choices = [];
    info.forEach(function (n, i) { if (MENU_KINDS[menu].indexOf(n.kind) >= 0) choices.push(i); });
    choices.sort(function (a, b) { return info[a].label.localeCompare(info[b].label); });
    choices.forEach(function (i) {
      var option = el("option", info[i].label);
      option.value = String(i);
      select.append(option);
    });
    select.disabled = choices.length === 0;
    var control = { select: select, tom: null };
    if (typeof TomSelect === "function" && choices.length) {
      control.tom = new TomSelect(select, { allowEmptyOption: true, maxOptions: null, create: false });
      control.tom.on("change", function (value) { chosen[menu] = value || ""; applyFilters(true); });
    } else {
      select.addEventListener("change", function () { chosen[menu] = select.value; applyFilters(true); });
    }
    menus[menu] = control;
  });

  $("lg-reset").addEventListener("click", function () {
    searchBox.value = "";
    search("");
    Object.keys(chosen).forEach(function (menu) {
      chosen[menu] = "";
      if (menus[menu].tom) menus[menu].tom.setValue("", true); else menus[menu].select.value = "";
    });
    data.kinds.forEach(function (k) { shownKinds.add(k.kind); });
    document.querySelectorAll("#lg-legend input").forEach(function (box) { box.checked = true; });
    highlight(null);
    applyFilters(true);
  });

  /* ---- start: relax the Python layout for a capped number of iterations, then stop ---- */

  network.on("stabilizationProgress", function (params) { api.iterations = params.iterations; });
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      // vis-network fits and redraws the settled layout next; that drawing is the ready one.
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", markReady);
    });
  } else {
    network.once("afterDrawing", function () {
      hideMinorLabels();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  }

  /* The labels of minor nodes (on the whole-corpus page, all but the instruments,
   * modalities and crime-type roots; on a page of many states, the states) appear from
   * twice the first zoom on. */
  function hideMinorLabels() {
    var threshold = 12 * network.getScale() * 2 + 1;
    nodes.update(data.minor.map(function (id) {
      return { id: id, scaling: { label: { drawThreshold: threshold } } };
    }));
  }
  api.startedAt = performance.now();
  network.setData({ nodes: nodes, edges: edges });
  applyFilters(false);
})();
