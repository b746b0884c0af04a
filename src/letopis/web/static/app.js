/* letopis: the little script the pages need. Data comes from data-* attributes and JSON endpoints of this site;
   nothing is written into the page as HTML: text goes through textContent, so article text stays text. */
(function () {
  "use strict";

  var COUNTRY_STYLE = { color: "#a9b2bc", weight: 0.7, fillColor: "#ecebe4", fillOpacity: 1 };
  var ACTIVE_STYLE = { color: "#6f7a86", weight: 1.1, fillColor: "#fffefa", fillOpacity: 1 };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  /* A Leaflet map with no tile server: the countries of world-atlas (Natural Earth) as the only background. */
  function baseMap(node, options) {
    var map = L.map(node, Object.assign({ zoomSnap: 0.25, worldCopyJump: true, attributionControl: true }, options || {}));
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    var active = (node.dataset.countries || "").split(",").filter(Boolean);
    getJSON(node.dataset.borders).then(function (topo) {
      var land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        interactive: false,
        style: function (f) { return active.indexOf(f.properties && f.properties.name) >= 0 ? ACTIVE_STYLE : COUNTRY_STYLE; }
      }).addTo(map).bringToBack();
    }).catch(function (e) { console.error(e); });
    return map;
  }

  function dotIcon(type, precision) {
    var wide = precision === "region" || precision === "country";
    return L.divIcon({ className: "ev-dot t-" + type + (precision ? " prec-" + precision : ""), iconSize: wide ? [18, 18] : [14, 14], html: "" });
  }

  function popup(ev, openLabel) {
    var box = el("div", "ev-popup");
    box.appendChild(el("strong", null, ev.title));
    box.appendChild(el("span", "muted", ev.date + (ev.precision_label ? " · " + ev.precision_label : "")));
    box.appendChild(el("span", "muted", ev.sources_label));
    var a = el("a", "open-event", openLabel + " →");
    a.href = ev.url;
    box.appendChild(a);
    return box;
  }

  function eventsMap(node) {
    var map = baseMap(node, { minZoom: 2, maxZoom: 12 });
    map.setView([45, 70], 3);
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true,
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        var size = n < 10 ? 30 : n < 100 ? 38 : 46;
        return L.divIcon({ html: "<span>" + n + "</span>", className: "cluster", iconSize: [size, size] });
      }
    });
    getJSON(node.dataset.events).then(function (data) {
      var bounds = [];
      data.events.forEach(function (ev) {
        var m = L.marker([ev.lat, ev.lon], { icon: dotIcon(ev.type, ev.precision), title: ev.title, alt: ev.title, riseOnHover: true });
        m.bindPopup(function () { return popup(ev, data.open_label); });
        m.options.eventId = ev.id;
        cluster.addLayer(m);
        bounds.push([ev.lat, ev.lon]);
      });
      map.addLayer(cluster);
      if (bounds.length) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7, animate: false });
      node.dataset.ready = String(data.events.length);
    }).catch(function (e) { console.error(e); node.dataset.ready = "error"; });
  }

  function miniMap(node) {
    var lat = parseFloat(node.dataset.lat), lon = parseFloat(node.dataset.lon);
    var zoom = node.dataset.precision === "country" ? 3 : 4;
    var map = baseMap(node, { zoomControl: true, scrollWheelZoom: false });
    map.setView([lat, lon], zoom);
    L.marker([lat, lon], { icon: dotIcon(node.dataset.type, node.dataset.precision), keyboard: false }).addTo(map);
  }

  /* The document page's legend: each checkbox shows or hides one layer of marks. */
  function legend() {
    var text = document.getElementById("doc-text");
    if (!text) return;
    document.querySelectorAll(".legend input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () { text.classList.toggle("hide-" + box.dataset.layer, !box.checked); });
    });
  }

  /* Filter panels start open on a wide screen and folded on a phone. */
  function panels() {
    if (!window.matchMedia("(min-width: 981px)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
  }

  function start() {
    panels();
    if (window.L) {
      var map = document.getElementById("map");
      if (map && map.dataset.events) eventsMap(map);
      document.querySelectorAll(".minimap[data-lat]").forEach(miniMap);
    }
    legend();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
