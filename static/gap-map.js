// Gap map enhancements. Without this script the page still works: the map is drawn by the
// server, shapes are links, the form reloads the page and the table below says it all.
// With it: recolour in place when the conduct or scope changes (the URL follows, so the view
// stays shareable), a tooltip on hover and keyboard focus, and a PNG download.
(function () {
  "use strict";
  var dataEl = document.getElementById("gap-data");
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var form = document.getElementById("map-controls");
  var conductSel = document.getElementById("map-conduct");
  var scopeSel = document.getElementById("map-scope");
  var viewSel = document.getElementById("map-view");
  var tip = document.getElementById("map-tip");
  var wrap = document.querySelector(".lt-map-wrap");

  function cellFor(id, conduct) {
    var cells = D.cells[id] || {};
    if (conduct !== "any") return cells[conduct] || null;
    var best = null;
    D.conductOrder.forEach(function (c) {
      var cell = cells[c];
      if (cell && (best === null || D.order.indexOf(cell[0]) < D.order.indexOf(best[0]))) best = cell;
    });
    return best;
  }

  function keyFor(cell, scope) {
    if (!cell) return "none";
    if (scope && (cell[0] === "criminalised" || cell[0] === "partial") && cell[1] !== scope) return "other_scope";
    return cell[0];
  }

  function state() {
    return { conduct: conductSel.value, scope: scopeSel.value, view: viewSel.value };
  }

  function queryString(s) {
    var p = new URLSearchParams();
    if (s.conduct && s.conduct !== "any") p.set("conduct", s.conduct);
    if (s.scope) p.set("scope", s.scope);
    if (s.view && s.view !== "world") p.set("view", s.view);
    var q = p.toString();
    return q ? "?" + q : "";
  }

  function names() {
    var out = {};
    document.querySelectorAll("#map-table tbody tr").forEach(function (tr) {
      out[tr.dataset.id] = tr.querySelector("th a").textContent;
    });
    document.querySelectorAll(".lt-map [data-id], #beside-list [data-id]").forEach(function (el) {
      if (out[el.dataset.id]) return;
      var label = el.closest("a") && el.closest("a").getAttribute("aria-label");
      if (label) out[el.dataset.id] = label.split(" (")[0];
      var tileName = el.querySelector && el.querySelector(".lt-tile-name");
      if (tileName) out[el.dataset.id] = tileName.textContent;
    });
    return out;
  }
  var NAMES = names();

  function describe(id, key, cell) {
    var text = (NAMES[id] || id) + " (" + id + "): " + D.labels[key];
    if (cell && cell[1]) text += " · scope: " + cell[1];
    if (cell && cell[2]) text += " · " + cell[2];
    return text;
  }

  function recolour() {
    var s = state();
    var counts = {};
    D.keys.forEach(function (k) { counts[k] = 0; });
    var seen = {};
    var rows = [];
    document.querySelectorAll(".lt-map [data-id], #beside-list [data-id]").forEach(function (el) {
      var id = el.dataset.id;
      var cell = cellFor(id, s.conduct);
      var key = keyFor(cell, s.scope);
      el.dataset.status = key;
      if (el.matches("path, circle, rect")) {
        el.setAttribute("fill", D.colours[key]);
        var t = el.querySelector("title");
        if (t) t.textContent = describe(id, key, cell);
        var a = el.closest("a");
        if (a) a.setAttribute("aria-label", describe(id, key, cell));
      } else {
        var sw = el.querySelector(".lt-swatch");
        if (sw) sw.className = "lt-swatch lt-s-" + key;
        var st = el.querySelector(".lt-tile-status");
        if (st) st.textContent = D.labels[key];
      }
      if (!seen[id]) {
        seen[id] = true;
        counts[key] += 1;
        if (key !== "none") rows.push([id, key, cell]);
      }
    });
    // Assessed jurisdictions without any element on the page (none today) still count.
    Object.keys(D.cells).forEach(function (id) {
      if (seen[id]) return;
      var cell = cellFor(id, s.conduct);
      var key = keyFor(cell, s.scope);
      counts[key] += 1;
      if (key !== "none") rows.push([id, key, cell]);
    });
    document.querySelectorAll("#map-legend li").forEach(function (li) {
      var k = li.dataset.key;
      li.querySelector(".lt-count").textContent = counts[k] || 0;
      li.hidden = k === "other_scope" && !s.scope;
    });
    rows.sort(function (a, b) {
      var d = D.keys.indexOf(a[1]) - D.keys.indexOf(b[1]);
      if (d) return d;
      var na = NAMES[a[0]] || a[0], nb = NAMES[b[0]] || b[0];
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
    var tbody = document.querySelector("#map-table tbody");
    tbody.textContent = "";
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.id = r[0];
      var th = document.createElement("th");
      th.scope = "row";
      var a = document.createElement("a");
      a.href = "/jurisdiction/" + encodeURIComponent(r[0]);
      a.textContent = NAMES[r[0]] || r[0];
      var idSpan = document.createElement("span");
      idSpan.className = "lt-id";
      idSpan.textContent = r[0];
      th.append(a, " ", idSpan);
      var td1 = document.createElement("td");
      var badge = document.createElement("span");
      badge.className = "lt-badge lt-b-" + r[1];
      badge.textContent = D.labels[r[1]];
      td1.append(badge);
      var td2 = document.createElement("td");
      td2.textContent = r[2] ? r[2][1] : "";
      var td3 = document.createElement("td");
      td3.textContent = r[2] ? r[2][2] : "";
      tr.append(th, td1, td2, td3);
      tbody.append(tr);
    });
    document.getElementById("map-heading").textContent = D.conducts[s.conduct];
    document.title = "Gap map: " + D.conducts[s.conduct] + " · AI-generated CSAM law tracker";
    var q = queryString(s);
    document.getElementById("dl-svg").href = "/gap-map.svg" + q;
    document.getElementById("dl-png").href = "/gap-map.svg" + q;
    document.getElementById("dl-csv").href = "/gap-map.csv" + q;
    document.getElementById("permalink").href = "/gap-map" + q;
    history.replaceState(null, "", "/gap-map" + q);
  }

  conductSel.addEventListener("change", recolour);
  scopeSel.addEventListener("change", recolour);
  viewSel.addEventListener("change", function () { form.submit(); });

  // Tooltip on hover and keyboard focus.
  function showTip(evt) {
    var a = evt.target.closest && evt.target.closest(".lt-map a");
    if (!a) return;
    var el = a.querySelector("[data-id]");
    if (!el) return;
    var id = el.dataset.id;
    var cell = cellFor(id, conductSel.value);
    var key = el.dataset.status;
    tip.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = (NAMES[id] || id) + " (" + id + ")";
    tip.append(strong, D.labels[key]);
    if (cell && cell[1]) tip.append(" · scope: " + cell[1]);
    if (cell && cell[2]) {
      tip.append(document.createElement("br"));
      tip.append(cell[2]);
    }
    var box = wrap.getBoundingClientRect();
    var x, y;
    if (evt.type === "focusin") {
      var r = el.getBoundingClientRect();
      x = r.left + r.width / 2;
      y = r.bottom;
    } else {
      x = evt.clientX;
      y = evt.clientY;
    }
    tip.hidden = false;
    var left = Math.min(x - box.left + 12, box.width - tip.offsetWidth - 4);
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = (y - box.top + 14) + "px";
  }
  function hideTip() { tip.hidden = true; }
  wrap.addEventListener("mousemove", showTip);
  wrap.addEventListener("focusin", showTip);
  wrap.addEventListener("mouseleave", hideTip);
  wrap.addEventListener("focusout", hideTip);

  // PNG: rasterise the standalone SVG of the current view (same origin, no library).
  var png = document.getElementById("dl-png");
  png.hidden = false;
  document.getElementById("dl-png-sep").hidden = false;
  png.addEventListener("click", function (evt) {
    evt.preventDefault();
    fetch(png.href).then(function (r) { return r.text(); }).then(function (svgText) {
      var url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
      var img = new Image();
      img.onload = function () {
        var scale = 2;
        var canvas = document.createElement("canvas");
        canvas.width = img.width * scale;
        canvas.height = img.height * scale;
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = "gap-map" + queryString(state()).replace(/[?&=]/g, "-") + ".png";
          document.body.append(a);
          a.click();
          a.remove();
        }, "image/png");
      };
      img.src = url;
    });
  });
})();
