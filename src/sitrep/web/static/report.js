/* sitrep report: draws the map, timeline, actor network, index and document view from the
 * situation model embedded in the page. Document-derived strings are untrusted: they only ever
 * reach the page through textContent, attribute setters and SVG text nodes, never as HTML. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

  // Okabe-Ito: distinguishable with the common colour-vision deficiencies; shapes repeat the
  // colour's meaning so nothing depends on colour alone.
  var EVENT_GROUPS = [
    { key: "material", label: "Fighting and attacks", color: "#D55E00", shape: "diamond",
      types: ["ASSAULT", "FIGHT", "COERCE"] },
    { key: "verbal", label: "Threats, accusations, demands", color: "#E69F00", shape: "square",
      types: ["THREATEN", "ACCUSE", "DISAPPROVE", "DEMAND", "SANCTION", "PROTEST", "REJECT"] },
    { key: "posture", label: "Mobilisation and retreat", color: "#CC79A7", shape: "triangle",
      types: ["MOBILIZE", "RETREAT"] },
    { key: "cooperation", label: "Cooperation, talks, aid", color: "#0072B2", shape: "circle",
      types: ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "REQUEST", "SETTLE"] },
    { key: "other", label: "Other events", color: "#555555", shape: "circle", types: [] }
  ];
  var ACTOR_GROUPS = [
    { label: "States and governments", color: "#0072B2", types: ["state", "government"] },
    { label: "Armed forces and groups", color: "#D55E00", types: ["military", "armed_group", "militia"] },
    { label: "Coalitions and international organisations", color: "#009E73", types: ["coalition", "international_org"] },
    { label: "People", color: "#CC79A7", types: ["person"] },
    { label: "Communities and other", color: "#8C8C8C", types: ["ethnic_or_religious_group", "other"] }
  ];
  var RELATION_KINDS = {
    hostile: { label: "hostile (attacks, coerces, threatens)", color: "#D55E00", dash: "", arrow: true },
    allied: { label: "allied", color: "#009E73", dash: "" },
    negotiates: { label: "negotiates", color: "#0072B2", dash: "" },
    accuses: { label: "accuses", color: "#E69F00", dash: "6 3", arrow: true },
    comention: { label: "named in the same sentence (co-mention, weaker)", color: "#8C8C8C", dash: "5 4" }
  };
  var LAYERS = [
    { key: "actor", label: "Actors" },
    { key: "place", label: "Places" },
    { key: "event", label: "Event triggers" },
    { key: "claim", label: "Claims" },
    { key: "technique", label: "Persuasion techniques" }
  ];
  var MAX_NETWORK_NODES = 60;
  var MAX_TIMELINE_ROWS = 6;
  var DAY = 86400000;

  // ---- data --------------------------------------------------------------------------------
  function readJson(id) {
    var node = document.getElementById(id);
    try {
      return JSON.parse(node ? node.textContent : "null");
    } catch (e) {
      return null;
    }
  }
  var payload = readJson("sitrep-data") || {};
  var S = payload.situation || {};
  ["documents", "actors", "places", "events", "claims", "techniques", "relations"].forEach(function (k) {
    if (!Array.isArray(S[k])) S[k] = [];
  });
  var COMENTIONS = Array.isArray(payload.comentions) ? payload.comentions : [];

  function byId(list) {
    var out = Object.create(null);
    list.forEach(function (x) { if (x && x.id != null) out[x.id] = x; });
    return out;
  }
  var DOCS = byId(S.documents), ACTORS = byId(S.actors), PLACES = byId(S.places);
  var EVENTS = byId(S.events), CLAIMS = byId(S.claims);

  function str(v) { return v == null ? "" : String(v); }
  function isMention(m) {
    return m && typeof m === "object" && typeof m.start === "number" && typeof m.end === "number" &&
      m.end >= m.start && DOCS[m.doc] !== undefined;
  }
  function eventGroup(type) {
    var t = str(type).toUpperCase();
    for (var i = 0; i < EVENT_GROUPS.length - 1; i++) {
      if (EVENT_GROUPS[i].types.indexOf(t) >= 0) return EVENT_GROUPS[i];
    }
    return EVENT_GROUPS[EVENT_GROUPS.length - 1];
  }
  function actorGroup(type) {
    for (var i = 0; i < ACTOR_GROUPS.length; i++) {
      if (ACTOR_GROUPS[i].types.indexOf(type) >= 0) return ACTOR_GROUPS[i];
    }
    return ACTOR_GROUPS[ACTOR_GROUPS.length - 1];
  }
  function eventMention(ev) { return isMention(ev.evidence) ? ev.evidence : (isMention(ev.trigger) ? ev.trigger : null); }
  function claimMention(c) { return isMention(c.evidence) ? c.evidence : null; }
  function actorName(id) { return ACTORS[id] ? str(ACTORS[id].name) : ""; }
  function placeName(id) { return PLACES[id] ? str(PLACES[id].name) : ""; }
  function eventLabel(ev) {
    var parts = [str(ev.type) || "Event"];
    if (ev.actor1 && ACTORS[ev.actor1]) parts.push(actorName(ev.actor1));
    if (ev.place && PLACES[ev.place]) parts.push("at " + placeName(ev.place));
    return parts.join(" \u00b7 ");
  }
  function hasCoords(p) {
    return p && typeof p.lat === "number" && typeof p.lon === "number" && isFinite(p.lat) && isFinite(p.lon);
  }

  var EVENTS_AT = Object.create(null);
  S.events.forEach(function (ev) {
    if (ev.place && PLACES[ev.place]) (EVENTS_AT[ev.place] = EVENTS_AT[ev.place] || []).push(ev);
  });

  // ---- DOM helpers (text only) ---------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = str(v);
      else if (k === "className") node.setAttribute("class", v);
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : str(v));
    });
  }
  function append(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "object" ? c : document.createTextNode(str(c)));
    });
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  // Enter and Space activate an SVG mark or span that acts as a button.
  function activatable(node, label, handler) {
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", label);
    node.addEventListener("click", function (e) { e.stopPropagation(); handler(e); });
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); handler(e); }
    });
  }

  // ---- document view ---------------------------------------------------------------------------
  var docSelect = document.getElementById("doc-select");
  var docText = document.getElementById("doc-text");
  var docMeta = document.getElementById("doc-meta");
  var currentDoc = null;
  var ANNOTATIONS = Object.create(null); // doc id -> [{layer, start, end, kind, id, label}]
  var ANCHORS = Object.create(null); // doc id -> [[start, end]] that must be selectable ranges

  function annotate(layer, m, kind, ref, label) {
    if (!isMention(m)) return;
    (ANNOTATIONS[m.doc] = ANNOTATIONS[m.doc] || []).push({
      layer: layer, start: m.start, end: m.end, kind: kind, ref: ref, label: label
    });
  }
  function anchor(m) {
    if (isMention(m)) (ANCHORS[m.doc] = ANCHORS[m.doc] || []).push([m.start, m.end]);
  }
  S.actors.forEach(function (a) {
    var label = "Actor: " + str(a.name) + " (" + [str(a.type).replace(/_/g, " "), str(a.country)].filter(Boolean).join(", ") + ")";
    (a.mentions || []).forEach(function (m) { annotate("actor", m, "actor", a, label); });
  });
  S.places.forEach(function (p) {
    var where = hasCoords(p) ? p.lat.toFixed(2) + "\u00b0, " + p.lon.toFixed(2) + "\u00b0" : "";
    var label = "Place: " + str(p.name) + " (" + [str(p.feature).replace(/_/g, " "), str(p.admin1), str(p.country), where].filter(Boolean).join(", ") + ")";
    (p.mentions || []).forEach(function (m) {
      annotate("place", m, "place", p, label + (m.qualifier ? " \u2014 " + str(m.qualifier) : ""));
    });
  });
  S.events.forEach(function (ev) {
    var span = isMention(ev.trigger) ? ev.trigger : ev.evidence;
    annotate("event", span, "event", ev, "Event: " + eventLabel(ev));
    anchor(ev.evidence);
  });
  S.claims.forEach(function (c) {
    var who = c.speaker && ACTORS[c.speaker] ? actorName(c.speaker) : str(c.speaker_text) || "unattributed";
    annotate("claim", claimMention(c), "claim", c, "Claim by " + who + (c.cue ? " (" + str(c.cue) + ")" : ""));
  });
  S.techniques.forEach(function (t) {
    var m = { doc: t.doc, start: t.start, end: t.end };
    annotate("technique", m, "technique", t, "Technique: " + str(t.technique).replace(/_/g, " "));
  });
  S.relations.forEach(function (r) { (r.evidence || []).forEach(anchor); });
  COMENTIONS.forEach(function (r) { (r.evidence || []).forEach(anchor); });

  // Cut the text at every annotation boundary; each piece knows every layer that covers it, so
  // overlapping and nested spans stay readable (each layer draws with its own CSS property).
  function segments(doc) {
    var text = str(doc.text);
    var anns = ANNOTATIONS[doc.id] || [];
    var cuts = [0, text.length];
    anns.forEach(function (a) { cuts.push(a.start, a.end); });
    (ANCHORS[doc.id] || []).forEach(function (r) { cuts.push(r[0], r[1]); });
    cuts = cuts.filter(function (c) { return c >= 0 && c <= text.length; });
    cuts.sort(function (a, b) { return a - b; });
    var uniq = [];
    cuts.forEach(function (c) { if (uniq[uniq.length - 1] !== c) uniq.push(c); });
    var sorted = anns.slice().sort(function (a, b) { return a.start - b.start; });
    var active = [], next = 0, out = [];
    for (var i = 0; i < uniq.length - 1; i++) {
      var s = uniq[i], e = uniq[i + 1];
      while (next < sorted.length && sorted[next].start <= s) active.push(sorted[next++]);
      active = active.filter(function (a) { return a.end > s; });
      out.push({ start: s, end: e, text: text.slice(s, e), anns: active.filter(function (a) { return a.start < e; }) });
    }
    return out;
  }

  function renderDoc(id) {
    var doc = DOCS[id];
    if (!doc) return;
    currentDoc = id;
    docSelect.value = id;
    clear(docText);
    clear(docMeta);
    var meta = [];
    if (doc.title) meta.push(el("strong", { text: doc.title }));
    meta.push(el("span", { text: str(doc.source) }));
    if (doc.published) meta.push(el("span", { text: "published " + str(doc.published) }));
    meta.forEach(function (n, i) { if (i) docMeta.appendChild(document.createTextNode(" \u00b7 ")); docMeta.appendChild(n); });
    if (doc.status === "error") {
      docText.appendChild(el("p", { className: "doc-error", role: "alert", text: "This document could not be analysed: " + str(doc.error) }));
      return;
    }
    var frag = document.createDocumentFragment();
    segments(doc).forEach(function (seg) {
      var parts = seg.text.split("\n");
      var container;
      if (!seg.anns.length) {
        container = document.createElement("span");
        container.className = "seg";
      } else {
        container = document.createElement("span");
        var layers = {};
        seg.anns.forEach(function (a) { layers[a.layer] = true; });
        container.className = "seg mark " + Object.keys(layers).map(function (l) { return "m-" + l; }).join(" ");
        container.setAttribute("title", seg.anns.map(function (a) { return a.label; }).join("\n"));
        activatable(container, seg.anns.map(function (a) { return a.label; }).join("; "), function () {
          showSegment(seg);
        });
      }
      container.setAttribute("data-start", seg.start);
      container.setAttribute("data-end", seg.end);
      parts.forEach(function (p, i) {
        if (i) container.appendChild(document.createElement("br"));
        if (p) container.appendChild(document.createTextNode(p));
      });
      frag.appendChild(container);
    });
    docText.appendChild(frag);
  }

  function focusMention(m, opts) {
    if (!isMention(m)) return;
    if (currentDoc !== m.doc) renderDoc(m.doc);
    var prev = docText.querySelectorAll(".is-focused");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("is-focused");
    var segs = docText.querySelectorAll("[data-start]"), first = null;
    for (var j = 0; j < segs.length; j++) {
      var s = +segs[j].getAttribute("data-start"), e = +segs[j].getAttribute("data-end");
      if (s >= m.start && e <= m.end && e > s) {
        segs[j].classList.add("is-focused");
        if (!first) first = segs[j];
      }
    }
    if (first) {
      // scroll the reader only, so the map or timeline the user clicked stays where it was
      if (!opts || opts.scroll !== false) docText.scrollTop = Math.max(0, first.offsetTop - docText.clientHeight / 3);
      docText.setAttribute("data-focus", m.start + "-" + m.end);
    }
  }

  function showSegment(seg) {
    var seen = [];
    var cards = [];
    seg.anns.forEach(function (a) {
      if (seen.indexOf(a.ref) >= 0) return;
      seen.push(a.ref);
      cards.push({ kind: a.kind, item: a.ref });
    });
    showDetails(cards, { start: seg.start, end: seg.end, doc: currentDoc });
    focusMention({ doc: currentDoc, start: seg.start, end: seg.end }, { scroll: false });
  }

  function setupReader() {
    S.documents.forEach(function (d) {
      var label = (d.title ? str(d.title) : str(d.source).split(/[\\/]/).pop() || str(d.id)) + (d.status === "error" ? " (failed)" : "");
      docSelect.appendChild(el("option", { value: d.id, text: label }));
    });
    docSelect.addEventListener("change", function () { renderDoc(docSelect.value); });
    var fieldset = document.getElementById("layers");
    var counts = {};
    Object.keys(ANNOTATIONS).forEach(function (d) {
      ANNOTATIONS[d].forEach(function (a) { counts[a.layer] = (counts[a.layer] || 0) + 1; });
    });
    LAYERS.forEach(function (layer) {
      var box = el("input", { type: "checkbox", id: "layer-" + layer.key, checked: true });
      box.addEventListener("change", function () { docText.classList.toggle("show-" + layer.key, box.checked); });
      docText.classList.add("show-" + layer.key);
      var n = counts[layer.key] || 0;
      fieldset.appendChild(el("label", { className: "layer" + (n ? "" : " is-empty"), "for": "layer-" + layer.key }, [
        box, el("span", { className: "swatch m-" + layer.key, "aria-hidden": "true", text: "Abc" }),
        " " + layer.label + " ", el("span", { className: "n", text: "(" + n + ")" })
      ]));
    });
    var first = S.documents.filter(function (d) { return d.status !== "error"; })[0] || S.documents[0];
    if (first) renderDoc(first.id);
    else docText.appendChild(el("p", { className: "empty", text: "No documents in this situation model." }));
  }

  // ---- details panel ---------------------------------------------------------------------------
  var details = document.getElementById("details");

  function context(m, width) {
    var text = str(DOCS[m.doc].text);
    var a = Math.max(0, m.start - width), b = Math.min(text.length, m.end + width);
    return el("span", { className: "ctx" }, [
      a > 0 ? "\u2026" : "", text.slice(a, m.start), el("mark", { text: text.slice(m.start, m.end) }),
      text.slice(m.end, b), b < text.length ? "\u2026" : ""
    ]);
  }
  function evidenceList(mentions, title) {
    var ms = (mentions || []).filter(isMention);
    if (!ms.length) return null;
    var list = el("ol", { className: "evidence" });
    ms.slice(0, 50).forEach(function (m) {
      var doc = DOCS[m.doc];
      list.appendChild(el("li", null, [
        el("button", { type: "button", className: "jump", text: "Show in document",
          onclick: function () { focusMention(m); } }),
        " ", el("span", { className: "src", text: str(doc.title || doc.source || doc.id) + (m.qualifier ? " \u00b7 " + str(m.qualifier) : "") }),
        el("div", null, context(m, 70))
      ]));
    });
    var wrap = el("div", { className: "evidence-wrap" }, [el("h4", { text: (title || "Evidence") + " (" + ms.length + ")" }), list]);
    if (ms.length > 50) wrap.appendChild(el("p", { className: "more", text: "\u2026 and " + (ms.length - 50) + " more" }));
    return wrap;
  }
  function link(kind, id, text) {
    var item = kind === "actor" ? ACTORS[id] : kind === "place" ? PLACES[id] : kind === "event" ? EVENTS[id] : null;
    if (!item) return el("span", { text: text || str(id) || "\u2014" });
    return el("button", { type: "button", className: "ref ref-" + kind, text: text || str(item.name) || str(item.type),
      onclick: function () { openItem(kind, item); } });
  }
  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      list.appendChild(el("dt", { text: r[0] }));
      list.appendChild(el("dd", null, r[1]));
    });
    return list;
  }
  function dateText(d) {
    if (!d || typeof d !== "object") return "";
    var range = d.start && d.end && d.start !== d.end ? str(d.start) + " \u2013 " + str(d.end) : str(d.start || d.end);
    return [range || "undated", d.precision ? "(" + str(d.precision) + ")" : "", d.text ? "\u201c" + str(d.text) + "\u201d" : ""]
      .filter(Boolean).join(" ");
  }
  function card(kind, item) {
    var body;
    if (kind === "actor") {
      var codes = item.codes && typeof item.codes === "object"
        ? Object.keys(item.codes).map(function (k) { return k + ": " + str(item.codes[k]); }).join(", ") : "";
      body = [
        el("h3", null, [el("span", { className: "kind", text: "Actor" }), str(item.name)]),
        dl([["Type", str(item.type).replace(/_/g, " ")], ["Country", str(item.country)], ["Codes", codes],
          ["Also called", (item.aliases || []).map(str).join(", ")],
          ["Part of", item.parent ? link("actor", item.parent, actorName(item.parent) || str(item.parent)) : ""],
          ["Mentions", String((item.mentions || []).length)]]),
        evidenceList(item.mentions, "Mentions")
      ];
    } else if (kind === "place") {
      var evs = EVENTS_AT[item.id] || [];
      body = [
        el("h3", null, [el("span", { className: "kind", text: "Place" }), str(item.name)]),
        dl([["Feature", str(item.feature).replace(/_/g, " ")], ["Country", str(item.country)], ["Region", str(item.admin1)],
          ["Coordinates", hasCoords(item) ? item.lat.toFixed(4) + ", " + item.lon.toFixed(4) : "unknown"],
          ["GeoNames", item.geonames_id != null ? str(item.geonames_id) : ""],
          ["Confidence", typeof item.confidence === "number" ? item.confidence.toFixed(2) : ""],
          ["Events here", evs.length ? el("span", null, evs.map(function (ev, i) {
            return el("span", null, [i ? ", " : "", link("event", ev.id, eventLabel(ev))]);
          })) : ""]]),
        evidenceList(item.mentions, "Mentions")
      ];
    } else if (kind === "event") {
      body = [
        el("h3", null, [el("span", { className: "kind", text: "Event" }), str(item.type) || "Event"]),
        dl([["ACLED type", str(item.acled_event_type)],
          ["Actor", item.actor1 ? link("actor", item.actor1) : ""], ["Target", item.actor2 ? link("actor", item.actor2) : ""],
          ["Place", item.place ? link("place", item.place) : ""], ["When", dateText(item.date)],
          ["Fatalities", item.fatalities != null ? str(item.fatalities && item.fatalities.value != null ? item.fatalities.value : item.fatalities) : ""],
          ["Modality", str(item.modality)],
          ["Trigger", isMention(item.trigger) ? str(item.trigger.text) : str(item.trigger && item.trigger.text || (typeof item.trigger === "string" ? item.trigger : ""))]]),
        evidenceList([item.evidence].filter(Boolean))
      ];
    } else if (kind === "claim") {
      body = [
        el("h3", null, [el("span", { className: "kind", text: "Claim" }), "\u201c" + str(item.text) + "\u201d"]),
        dl([["Speaker", item.speaker && ACTORS[item.speaker] ? link("actor", item.speaker) : str(item.speaker_text)],
          ["As written", str(item.speaker_text)], ["Cue", str(item.cue)], ["Kind", str(item.kind).replace(/_/g, " ")],
          ["Certainty", str(item.certainty) + ((item.certainty_cues || []).length ? " (" + item.certainty_cues.map(function (m) { return str(m.text); }).join(", ") + ")" : "")],
          ["Check-worthiness", typeof item.checkworthiness === "number" ? item.checkworthiness.toFixed(2) : ""]]),
        evidenceList([item.evidence].filter(Boolean))
      ];
    } else if (kind === "technique") {
      body = [
        el("h3", null, [el("span", { className: "kind", text: "Technique" }), str(item.technique).replace(/_/g, " ")]),
        dl([["Score", typeof item.score === "number" ? item.score.toFixed(2) : str(item.score)]]),
        evidenceList([{ doc: item.doc, start: item.start, end: item.end }])
      ];
    } else if (kind === "relation") {
      var k = RELATION_KINDS[item.kind] || { label: str(item.kind) };
      body = [
        el("h3", null, [el("span", { className: "kind", text: item.kind === "comention" ? "Co-mention" : "Relation" }),
          link("actor", item.source), " \u2014 " + k.label + " \u2014 ", link("actor", item.target)]),
        dl([["Weight", str(item.weight)], ["From", str(item.first || "")], ["To", str(item.last || "")]]),
        item.kind === "comention" ? el("p", { className: "note", text: "Both actors are named in the same sentence; this says nothing about how they relate." }) : null,
        evidenceList(item.evidence)
      ];
    } else if (kind === "cluster") {
      body = [el("h3", null, [el("span", { className: "kind", text: "Places" }), item.length + " places close together"]),
        el("ul", { className: "plain" }, item.map(function (p) {
          var n = (EVENTS_AT[p.id] || []).length;
          return el("li", null, [link("place", p.id), n ? " \u00b7 " + n + " event" + (n > 1 ? "s" : "") : ""]);
        }))];
    }
    return el("article", { className: "card card-" + kind }, body);
  }
  function showDetails(cards, span) {
    clear(details);
    if (span && span.doc && DOCS[span.doc]) {
      details.appendChild(el("p", { className: "selection", text: "Selected text: \u201c" + str(DOCS[span.doc].text).slice(span.start, span.end) + "\u201d" }));
    }
    cards.forEach(function (c) { details.appendChild(card(c.kind, c.item)); });
  }
  // Open an item: show its card and put its first piece of evidence in the document view.
  function openItem(kind, item, opts) {
    showDetails([{ kind: kind, item: item }]);
    var m = null;
    if (kind === "actor" || kind === "place") m = (item.mentions || []).filter(isMention)[0];
    else if (kind === "event") m = eventMention(item);
    else if (kind === "claim") m = claimMention(item);
    else if (kind === "technique") m = { doc: item.doc, start: item.start, end: item.end };
    else if (kind === "relation") m = (item.evidence || []).filter(isMention)[0];
    if (m && !(opts && opts.noFocus)) focusMention(m);
    if (kind === "place" && mapApi) mapApi.select(item.id);
  }

  // ---- tabs ------------------------------------------------------------------------------------
  var renderers = {};
  function setupTabs() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
    function select(tab) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.setAttribute("tabindex", on ? "0" : "-1");
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
      var r = renderers[tab.getAttribute("aria-controls")];
      if (r) r();
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(tab); });
      tab.addEventListener("keydown", function (e) {
        var d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (!d) return;
        var next = tabs[(i + d + tabs.length) % tabs.length];
        next.focus();
        select(next);
      });
    });
  }

  // ---- map -------------------------------------------------------------------------------------
  var mapApi = null;
  function shapeNode(group, size, hollow) {
    var node = el("span", { className: "shape shape-" + (hollow ? "hollow" : group.shape), "aria-hidden": "true" });
    node.style.width = size + "px";
    node.style.height = size + "px";
    if (!hollow) node.style.backgroundColor = group.color;
    return node;
  }
  function dominantGroup(events) {
    var counts = {};
    events.forEach(function (ev) { var g = eventGroup(ev.type); counts[g.key] = (counts[g.key] || 0) + 1; });
    var best = null;
    EVENT_GROUPS.forEach(function (g) { if (counts[g.key] && (!best || counts[g.key] > counts[best.key])) best = g; });
    return best;
  }

  // Leaflet makes markers focusable but only opens popups on Enter; the report uses no popups.
  function onEnter(node, handler) {
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); handler(); }
    });
  }

  function setupMap() {
    var container = document.getElementById("map");
    var legend = document.getElementById("map-legend");
    if (typeof L === "undefined") {
      container.appendChild(el("p", { className: "empty", text: "The map library did not load." }));
      return;
    }
    // the report embeds the basemap; `sitrep serve` loads it once as a cached script instead
    var basemap = readJson("sitrep-basemap") || window.SITREP_BASEMAP || {};
    var map = L.map(container, { attributionControl: false, zoomSnap: 0.5, minZoom: 1, maxZoom: 12,
      worldCopyJump: false, keyboard: true });
    map.createPane("basemap").style.zIndex = 200;
    var countryPlaces = Object.create(null);
    S.places.forEach(function (p) { if (p.feature === "country" && p.country) countryPlaces[p.country] = p; });
    if (basemap.countries) {
      L.geoJSON(basemap.countries, {
        pane: "basemap",
        style: function (f) {
          var named = countryPlaces[f.properties && f.properties.iso];
          return { color: "#b3ada0", weight: 0.7, fillColor: named ? "#e3ecd9" : "#f2efe9", fillOpacity: 1, className: named ? "country named" : "country" };
        },
        onEachFeature: function (f, layer) {
          var p = countryPlaces[f.properties && f.properties.iso];
          var label = el("span", { text: str(f.properties && f.properties.name) });
          layer.bindTooltip(label, { sticky: true, direction: "top", className: "country-tip" });
          if (p) layer.on("click", function () { openItem("place", p); });
        }
      }).addTo(map);
    }
    var countryLabels = L.layerGroup();
    ((basemap.countries && basemap.countries.features) || []).forEach(function (f) {
      var pr = f.properties || {};
      if (typeof pr.lx !== "number" || typeof pr.ly !== "number") return;
      countryLabels.addLayer(L.marker([pr.ly, pr.lx], { interactive: false, keyboard: false, pane: "basemap",
        icon: L.divIcon({ html: el("span", { text: str(pr.name) }), className: "country-label", iconSize: [120, 16] }) }));
    });
    function toggleCountryLabels() {
      if (map.getZoom() >= 4) countryLabels.addTo(map); else countryLabels.remove();
    }
    map.on("zoomend", toggleCountryLabels);
    if (basemap.lakes) L.geoJSON(basemap.lakes, { pane: "basemap", interactive: false,
      style: { color: "#9ec3d9", weight: 0.5, fillColor: "#cfe2ee", fillOpacity: 1 } }).addTo(map);
    if (basemap.rivers) L.geoJSON(basemap.rivers, { pane: "basemap", interactive: false,
      style: { color: "#8db7d2", weight: 1, opacity: 0.9 } }).addTo(map);

    var points = S.places.filter(function (p) { return hasCoords(p) && p.feature !== "country"; });
    var markerLayer = L.layerGroup().addTo(map);
    var markersByPlace = Object.create(null);
    var selected = null;

    function placeMarker(p) {
      var evs = EVENTS_AT[p.id] || [];
      var group = evs.length ? dominantGroup(evs) : null;
      var size = evs.length ? Math.min(30, 16 + 4 * Math.sqrt(evs.length)) : 13;
      var inner = el("span", { className: "mk-inner" }, [shapeNode(group || EVENT_GROUPS[4], size, !evs.length)]);
      if (evs.length > 1) inner.appendChild(el("span", { className: "mk-count", text: String(evs.length) }));
      var label = str(p.name) + (evs.length ? ": " + evs.length + " event" + (evs.length > 1 ? "s" : "") + " (" + group.label.toLowerCase() + ")"
        : ": mentioned place, no events");
      var marker = L.marker([p.lat, p.lon], {
        icon: L.divIcon({ html: inner, className: "mk" + (evs.length ? " mk-event" : " mk-place") + (selected === p.id ? " is-selected" : ""),
          iconSize: [size + 6, size + 6] }),
        title: label, alt: label, keyboard: true, riseOnHover: true, zIndexOffset: evs.length ? 500 : 0
      });
      marker.on("click", function () { activate(false); });
      function activate(fromKeyboard) {
        if (evs.length) {
          selected = p.id;
          showDetails([{ kind: "place", item: p }].concat(evs.map(function (ev) { return { kind: "event", item: ev }; })));
          focusMention(eventMention(evs[0]) || (p.mentions || []).filter(isMention)[0]);
        } else {
          openItem("place", p);
        }
        draw();
        // the redraw replaced the marker; give keyboard focus back to its successor
        var again = fromKeyboard && markersByPlace[p.id] && markersByPlace[p.id].getElement();
        if (again) again.focus();
      }
      marker.on("add", function () {
        var node = marker.getElement();
        if (node) {
          node.setAttribute("aria-label", label);
          node.setAttribute("data-place", p.id);
          onEnter(node, function () { activate(true); });
        }
      });
      if (points.length <= 40) {
        marker.bindTooltip(el("span", { text: str(p.name) }), { permanent: true, direction: "right",
          offset: [size / 2, 0], className: "place-label" + (evs.length ? " has-events" : ""), interactive: false });
      }
      return marker;
    }
    function clusterMarker(members) {
      var nEvents = 0;
      members.forEach(function (p) { nEvents += (EVENTS_AT[p.id] || []).length; });
      var label = members.length + " places" + (nEvents ? ", " + nEvents + " events" : "") + ": " +
        members.slice(0, 5).map(function (p) { return str(p.name); }).join(", ") + (members.length > 5 ? ", \u2026" : "");
      var size = Math.min(44, 24 + 3 * Math.sqrt(members.length + nEvents));
      var inner = el("span", { className: "cluster" + (nEvents ? " has-events" : "") , text: String(members.length) });
      inner.style.width = inner.style.height = inner.style.lineHeight = size + "px";
      var lat = 0, lon = 0;
      members.forEach(function (p) { lat += p.lat; lon += p.lon; });
      var marker = L.marker([lat / members.length, lon / members.length], {
        icon: L.divIcon({ html: inner, className: "mk mk-cluster", iconSize: [size, size] }),
        title: label, alt: label, keyboard: true, zIndexOffset: 1000
      });
      marker.on("click", function () { zoomIn(); });
      function zoomIn() {
        var bounds = L.latLngBounds(members.map(function (p) { return [p.lat, p.lon]; }));
        if (map.getZoom() < map.getMaxZoom() && bounds.getNorthEast().distanceTo(bounds.getSouthWest()) > 50) {
          map.fitBounds(bounds.pad(0.3), { maxZoom: map.getMaxZoom() });
        }
        showDetails([{ kind: "cluster", item: members }]);
      }
      marker.on("add", function () {
        var node = marker.getElement();
        if (node) { node.setAttribute("aria-label", label); onEnter(node, zoomIn); }
      });
      return marker;
    }
    // Greedy clustering in screen space: a place closer than RADIUS pixels to an existing group's
    // first member joins it; busy places seed groups first so they stay visible on their own.
    var RADIUS = 30;
    var seedOrder = points.slice().sort(function (p, q) {
      return (EVENTS_AT[q.id] || []).length - (EVENTS_AT[p.id] || []).length || (q.mentions || []).length - (p.mentions || []).length;
    });
    function draw() {
      markerLayer.clearLayers();
      markersByPlace = Object.create(null);
      var zoom = map.getZoom(), groups = [], buckets = Object.create(null);
      seedOrder.forEach(function (p) {
        var pt = map.project([p.lat, p.lon], zoom);
        var bx = Math.floor(pt.x / RADIUS), by = Math.floor(pt.y / RADIUS), found = null;
        for (var dx = -1; dx <= 1 && !found; dx++) {
          for (var dy = -1; dy <= 1 && !found; dy++) {
            (buckets[(bx + dx) + ":" + (by + dy)] || []).some(function (g) {
              if (g.pt.distanceTo(pt) < RADIUS) { found = g; return true; }
              return false;
            });
          }
        }
        if (found) { found.members.push(p); return; }
        var g = { pt: pt, members: [p] };
        groups.push(g);
        (buckets[bx + ":" + by] = buckets[bx + ":" + by] || []).push(g);
      });
      groups.forEach(function (g) {
        if (g.members.length === 1 || zoom >= map.getMaxZoom()) {
          g.members.forEach(function (p) { var m = placeMarker(p); markersByPlace[p.id] = m; markerLayer.addLayer(m); });
        } else {
          markerLayer.addLayer(clusterMarker(g.members));
        }
      });
    }
    map.on("zoomend", draw);

    // Fit the bulk of the mentions, not every stray: with many places, the weighted 8th-92nd
    // percentiles of latitude and longitude bound the view, so one far-off mention does not
    // shrink the theatre to a dot (it is still on the map when zooming out).
    function weightedRange(values, lo, hi) {
      values.sort(function (p, q) { return p[0] - q[0]; });
      var total = 0, acc = 0, a = null, b = null;
      values.forEach(function (v) { total += v[1]; });
      values.forEach(function (v) {
        acc += v[1];
        if (a === null && acc >= total * lo) a = v[0];
        if (b === null && acc >= total * hi) b = v[0];
      });
      return [a, b];
    }
    function focusBounds() {
      if (points.length < 8) return null;
      var w = function (p) { return Math.max(1, (p.mentions || []).length + 2 * (EVENTS_AT[p.id] || []).length); };
      var lat = weightedRange(points.map(function (p) { return [p.lat, w(p)]; }), 0.08, 0.92);
      var lon = weightedRange(points.map(function (p) { return [p.lon, w(p)]; }), 0.08, 0.92);
      return L.latLngBounds([lat[0], lon[0]], [lat[1], lon[1]]);
    }
    function fit() {
      map.invalidateSize();
      var latlngs = points.map(function (p) { return [p.lat, p.lon]; });
      var focus = focusBounds();
      if (focus) { map.fitBounds(focus.pad(0.2), { maxZoom: 9 }); return; }
      if (!latlngs.length) {
        Object.keys(countryPlaces).forEach(function (iso) {
          var p = countryPlaces[iso];
          if (hasCoords(p)) latlngs.push([p.lat, p.lon]);
        });
      }
      if (latlngs.length === 1) map.setView(latlngs[0], 7);
      else if (latlngs.length) map.fitBounds(L.latLngBounds(latlngs).pad(0.25), { maxZoom: 9 });
      else map.setView([20, 10], 2);
    }
    fit();
    draw();
    toggleCountryLabels();
    if (!points.length) {
      container.appendChild(el("p", { className: "map-empty", text: "No places with coordinates in these documents." }));
    }
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);

    // legend
    var used = {};
    S.events.forEach(function (ev) {
      var p = PLACES[ev.place];
      if (p && hasCoords(p) && p.feature !== "country") used[eventGroup(ev.type).key] = true;
    });
    var items = EVENT_GROUPS.filter(function (g) { return used[g.key]; }).map(function (g) {
      return el("li", null, [shapeNode(g, 12, false), " " + g.label]);
    });
    items.push(el("li", null, [shapeNode(EVENT_GROUPS[4], 11, true), " Place mentioned, no events"]));
    items.push(el("li", null, [el("span", { className: "cluster legend-cluster", "aria-hidden": "true", text: "3" }), " Places close together (select to zoom in)"]));
    legend.appendChild(el("ul", { className: "legend-list" }, items));

    var shown = false;
    renderers["view-map"] = function () { if (!shown) { shown = true; } map.invalidateSize(); };
    mapApi = {
      select: function (placeId) {
        selected = placeId;
        var p = PLACES[placeId];
        draw();
        if (p && hasCoords(p) && p.feature !== "country" && !map.getBounds().contains([p.lat, p.lon])) map.panTo([p.lat, p.lon]);
      },
      map: map
    };
    window.addEventListener("resize", function () { map.invalidateSize(); });
  }

  function markSelected(scope, node) {
    var prev = scope.querySelectorAll(".is-selected");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("is-selected");
    node.classList.add("is-selected");
  }

  // ---- timeline --------------------------------------------------------------------------------
  function parseDay(s) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(str(s));
    if (!m) return null;
    return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
  }
  function endOf(s) {
    // the end of a date's own precision: 2017-08 ends on 31 August, 2017 on 31 December
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(str(s));
    if (!m) return null;
    if (m[3]) return Date.UTC(+m[1], +m[2] - 1, +m[3]) + DAY;
    if (m[2]) return Date.UTC(+m[1], +m[2], 1);
    return Date.UTC(+m[1] + 1, 0, 1);
  }
  function interval(ev) {
    var d = ev.date;
    if (!d || typeof d !== "object" || d.precision === "unknown") return null;
    var a = parseDay(d.start || d.end), b = endOf(d.end || d.start);
    if (a === null || b === null || b <= a) return null;
    return [a, b];
  }
  function fmtDay(t, withYear) {
    var d = new Date(t);
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    return d.getUTCDate() + " " + months[d.getUTCMonth()] + (withYear ? " " + d.getUTCFullYear() : "");
  }
  function ticks(a, b, width) {
    var span = b - a, out = [], t, d;
    var maxTicks = Math.max(2, Math.floor(width / 90));
    var stepsDays = [1, 2, 7, 14];
    for (var i = 0; i < stepsDays.length; i++) {
      if (span / (stepsDays[i] * DAY) <= maxTicks) {
        for (t = Math.ceil(a / DAY) * DAY; t <= b; t += stepsDays[i] * DAY) {
          // the first tick and each new year carry the year
          var first = !out.length || new Date(t).getUTCFullYear() !== new Date(out[out.length - 1].t).getUTCFullYear();
          out.push({ t: t, label: fmtDay(t, first) });
        }
        return out;
      }
    }
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    var stepsMonths = [1, 3, 6, 12, 24, 60];
    for (var j = 0; j < stepsMonths.length; j++) {
      var step = stepsMonths[j];
      if (span / (step * 30.4 * DAY) <= maxTicks || j === stepsMonths.length - 1) {
        d = new Date(a);
        var y = d.getUTCFullYear(), mo = d.getUTCMonth();
        mo = Math.ceil(mo / step) * step;
        for (t = Date.UTC(y, mo, 1); t <= b; t = Date.UTC(y, (mo += step), 1)) {
          var dt = new Date(t);
          out.push({ t: t, label: step >= 12 ? String(dt.getUTCFullYear()) : months[dt.getUTCMonth()] + " " + dt.getUTCFullYear() });
        }
        return out;
      }
    }
    return out;
  }

  function setupTimeline() {
    var host = document.getElementById("timeline");
    var fActor = document.getElementById("filter-actor"), fType = document.getElementById("filter-type"),
      fPlace = document.getElementById("filter-place");
    var actorIds = {}, types = {}, placeIds = {};
    S.events.forEach(function (ev) {
      if (ev.actor1 && ACTORS[ev.actor1]) actorIds[ev.actor1] = true;
      if (ev.actor2 && ACTORS[ev.actor2]) actorIds[ev.actor2] = true;
      if (ev.type) types[str(ev.type)] = true;
      if (ev.place && PLACES[ev.place]) placeIds[ev.place] = true;
    });
    function fill(select, values, label) {
      values.sort(function (a, b) { return label(a).localeCompare(label(b)); })
        .forEach(function (v) { select.appendChild(el("option", { value: v, text: label(v) })); });
    }
    if (!S.events.length) document.getElementById("timeline-filters").hidden = true;
    fill(fActor, Object.keys(actorIds), actorName);
    fill(fType, Object.keys(types), function (t) { return t; });
    fill(fPlace, Object.keys(placeIds), placeName);
    [fActor, fType, fPlace].forEach(function (s) { s.addEventListener("change", draw); });
    document.getElementById("timeline-filters").addEventListener("submit", function (e) { e.preventDefault(); });

    function draw() {
      clear(host);
      var evs = S.events.filter(function (ev) {
        return (!fActor.value || ev.actor1 === fActor.value || ev.actor2 === fActor.value) &&
          (!fType.value || str(ev.type) === fType.value) && (!fPlace.value || ev.place === fPlace.value);
      });
      var dated = [], undated = [];
      evs.forEach(function (ev) { var iv = interval(ev); if (iv) dated.push({ ev: ev, iv: iv }); else undated.push(ev); });
      if (!S.events.length) {
        host.appendChild(el("div", { className: "empty-state" }, [
          el("p", { className: "empty-title", text: "No dated events yet" }),
          el("p", { text: "The documents were analysed for actors and places; no events were extracted, so there is nothing to put on a timeline." })
        ]));
        return;
      }
      if (!dated.length) {
        host.appendChild(el("p", { className: "empty-title", text: evs.length ? "No dated events yet" : "No events match these filters" }));
      } else {
        host.appendChild(drawTimeline(dated, Math.max(host.clientWidth || 0, 560)));
      }
      if (undated.length) {
        host.appendChild(el("h4", { className: "undated-title", text: "Events without a usable date (" + undated.length + ")" }));
        host.appendChild(el("ul", { className: "plain undated" }, undated.slice(0, 50).map(function (ev) {
          return el("li", null, [shapeNode(eventGroup(ev.type), 10, false), " ", link("event", ev.id, eventLabel(ev)),
            ev.date && ev.date.text ? " \u00b7 \u201c" + str(ev.date.text) + "\u201d" : ""]);
        })));
        if (undated.length > 50) host.appendChild(el("p", { className: "note", text: "\u2026 and " + (undated.length - 50) + " more in the Index tab." }));
      }
    }

    function drawTimeline(items, width) {
      var gutter = 150, right = 16, top = 30, rowH = 22, laneGap = 10;
      var a = Infinity, b = -Infinity;
      items.forEach(function (it) { a = Math.min(a, it.iv[0]); b = Math.max(b, it.iv[1]); });
      var pad = Math.max(DAY, (b - a) * 0.04);
      a -= pad; b += pad;
      var x = function (t) { return gutter + (t - a) / (b - a) * (width - gutter - right); };
      // one lane per event type, ordered by group; bands that overlap in time take a new row
      var lanes = {}, laneOrder = [];
      items.sort(function (p, q) { return p.iv[0] - q.iv[0]; });
      items.forEach(function (it) {
        var key = str(it.ev.type) || "Other";
        if (!lanes[key]) { lanes[key] = { rows: [], items: [], group: eventGroup(key) }; laneOrder.push(key); }
        var lane = lanes[key], row = 0;
        while (row < lane.rows.length && lane.rows[row] > x(it.iv[0]) - 2) row++;
        if (row >= MAX_TIMELINE_ROWS) {
          // a crowded lane stops growing: the mark overlaps the row that frees up first
          row = 0;
          for (var r = 1; r < lane.rows.length; r++) if (lane.rows[r] < lane.rows[row]) row = r;
          lane.crowded = true;
        }
        lane.rows[row] = Math.max(lane.rows[row] || 0, x(it.iv[1]), x(it.iv[0]) + 14);
        lane.items.push({ it: it, row: row });
      });
      laneOrder.sort(function (p, q) {
        return EVENT_GROUPS.indexOf(lanes[p].group) - EVENT_GROUPS.indexOf(lanes[q].group) || p.localeCompare(q);
      });
      var y = top, laneY = {};
      laneOrder.forEach(function (k) { laneY[k] = y; y += Math.max(2, lanes[k].rows.length) * rowH + laneGap; });
      var height = y + 6;
      var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "group",
        "aria-label": "Timeline of " + items.length + " dated events", className: "tl" });
      var axis = svg("g", { className: "axis" });
      ticks(a, b, width - gutter).forEach(function (tk) {
        var tx = x(tk.t);
        if (tx < gutter || tx > width - right) return;
        axis.appendChild(svg("line", { x1: tx, x2: tx, y1: top - 8, y2: height - 4, className: "grid" }));
        axis.appendChild(svg("text", { x: tx + 3, y: top - 12, className: "tick", text: tk.label }));
      });
      root.appendChild(axis);
      laneOrder.forEach(function (k, i) {
        var lane = lanes[k], ly = laneY[k];
        if (i % 2 === 0) root.appendChild(svg("rect", { x: 0, y: ly - 4, width: width, height: Math.max(2, lane.rows.length) * rowH + 4, className: "lane-bg" }));
        root.appendChild(svg("text", { x: 8, y: ly + rowH / 2 + 1, className: "lane-label", text: k }));
        root.appendChild(svg("text", { x: 8, y: ly + rowH / 2 + 15, className: "lane-count",
          text: lane.items.length + (lane.items.length === 1 ? " event" : " events") + (lane.crowded ? " (stacked)" : "") }));
        lane.items.forEach(function (li) {
          var ev = li.it.ev, iv = li.it.iv, g = lane.group;
          var x0 = x(iv[0]), x1 = x(iv[1]), cy = ly + li.row * rowH + rowH / 2 - 2;
          var prec = ev.date && ev.date.precision;
          var label = eventLabel(ev) + " \u00b7 " + dateText(ev.date) + (ev.modality && ev.modality !== "asserted" ? " \u00b7 " + str(ev.modality) : "");
          var mark = svg("g", { className: "tl-mark prec-" + str(prec), "data-event": ev.id });
          var isPoint = prec === "day" && iv[1] - iv[0] <= DAY;
          if (isPoint) {
            var cx = (x0 + x1) / 2;
            mark.appendChild(svg("circle", { cx: cx, cy: cy, r: 6.5, fill: g.color, className: "tl-day" }));
          } else {
            var w = Math.max(6, x1 - x0);
            mark.appendChild(svg("rect", { x: x0, y: cy - 7, width: w, height: 14, rx: 3, fill: g.color,
              className: "tl-band", "fill-opacity": prec === "day" ? 0.75 : 0.3, stroke: g.color }));
          }
          if (ev.modality && ev.modality !== "asserted" && ev.modality !== "reported") mark.classList.add("tl-hedged");
          mark.appendChild(svg("title", { text: label }));
          activatable(mark, label, function () { markSelected(root, mark); openItem("event", ev); });
          root.appendChild(mark);
        });
      });
      var wrap = el("div", { className: "tl-wrap" }, root);
      var key = el("p", { className: "tl-key", text: "A dot is one day; a band spans the dates an event could fall on (a month-precision event covers the whole month). Faded bands are coarse dates; dashed outlines are claimed, future or hypothetical events." });
      return el("div", null, [wrap, key]);
    }
    var drawn = false;
    renderers["view-timeline"] = function () { drawn = true; draw(); };
    window.addEventListener("resize", function () { if (drawn && !document.getElementById("view-timeline").hidden) draw(); });
  }

  // ---- network ---------------------------------------------------------------------------------
  function setupNetwork() {
    var host = document.getElementById("network"), controls = document.getElementById("network-controls");
    var legend = document.getElementById("network-legend");
    var ranked = S.actors.filter(function (a) { return (a.mentions || []).length; })
      .sort(function (p, q) { return (q.mentions || []).length - (p.mentions || []).length || str(p.name).localeCompare(str(q.name)); });
    var nodes = ranked.slice(0, MAX_NETWORK_NODES);
    var inNet = Object.create(null);
    nodes.forEach(function (a) { inNet[a.id] = true; });
    var relEdges = S.relations.filter(function (r) { return inNet[r.source] && inNet[r.target] && r.source !== r.target; });
    var coEdges = COMENTIONS.filter(function (r) { return inNet[r.source] && inNet[r.target]; })
      .map(function (r) { return { source: r.source, target: r.target, weight: r.weight, evidence: r.evidence, kind: "comention" }; });
    var coBox = el("input", { type: "checkbox", id: "net-comention", checked: !relEdges.length });
    controls.appendChild(el("label", { "for": "net-comention" }, [coBox, " Show co-mention edges (actors named in the same sentence; weaker)"]));
    if (ranked.length > nodes.length) {
      controls.appendChild(el("span", { className: "note", text: "Showing the " + nodes.length + " most mentioned of " + ranked.length + " actors." }));
    }
    coBox.addEventListener("change", draw);
    var layout = null;

    function computeLayout(width, height, edges) {
      var n = nodes.length, pos = {}, i;
      nodes.forEach(function (a, k) {
        var ang = 2 * Math.PI * k / Math.max(1, n);
        pos[a.id] = { x: width / 2 + Math.cos(ang) * width * 0.3, y: height / 2 + Math.sin(ang) * height * 0.3, vx: 0, vy: 0 };
      });
      var k = Math.sqrt(width * height / Math.max(1, n)) * 0.7;
      for (var it = 0; it < 320; it++) {
        var temp = 0.1 * (1 - it / 320) * width;
        for (i = 0; i < n; i++) {
          var pi = pos[nodes[i].id];
          pi.vx = 0; pi.vy = 0;
          for (var j = 0; j < n; j++) {
            if (i === j) continue;
            var pj = pos[nodes[j].id], dx = pi.x - pj.x, dy = pi.y - pj.y, d2 = dx * dx + dy * dy + 0.01;
            pi.vx += dx / d2 * k * k; pi.vy += dy / d2 * k * k;
          }
          // gravity keeps unconnected actors from drifting to the edges of the drawing
          pi.vx += (width / 2 - pi.x) * 0.6; pi.vy += (height / 2 - pi.y) * 0.6;
        }
        edges.forEach(function (e) {
          var s = pos[e.source], t = pos[e.target], dx = s.x - t.x, dy = s.y - t.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
          var f = d * d / k * (e.kind === "comention" ? 0.12 : 0.25) / d;
          s.vx -= dx * f; s.vy -= dy * f; t.vx += dx * f; t.vy += dy * f;
        });
        nodes.forEach(function (a) {
          var p = pos[a.id], len = Math.sqrt(p.vx * p.vx + p.vy * p.vy) + 0.01, step = Math.min(len, temp);
          p.x += p.vx / len * step; p.y += p.vy / len * step;
        });
      }
      return pos;
    }

    var maxMentions = 1;
    nodes.forEach(function (a) { maxMentions = Math.max(maxMentions, (a.mentions || []).length); });
    function radius(a) { return 7 + 17 * Math.sqrt((a.mentions || []).length / maxMentions); }

    function draw() {
      clear(host);
      if (!nodes.length) {
        host.appendChild(el("p", { className: "empty-title", text: "No actors found in these documents" }));
        return;
      }
      var width = Math.max(host.clientWidth || 0, 520);
      var height = Math.round(Math.max(380, Math.min(720, width * (nodes.length > 25 ? 0.9 : 0.62))));
      var edges = relEdges.concat(coBox.checked ? coEdges : []);
      layout = computeLayout(width, height, edges);
      // fit the layout into the viewport, leaving room for labels
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      nodes.forEach(function (a) {
        var p = layout[a.id];
        minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
      });
      var padX = 100, padY = 40;
      var sx = (width - 2 * padX) / Math.max(1, maxX - minX), sy = (height - 2 * padY) / Math.max(1, maxY - minY);
      var sc = Math.min(sx, sy, nodes.length < 6 ? 1.2 : 3);
      var ox = (width - (maxX - minX) * sc) / 2, oy = (height - (maxY - minY) * sc) / 2;
      function P(id) { var p = layout[id]; return { x: ox + (p.x - minX) * sc, y: oy + (p.y - minY) * sc }; }
      var root = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height, role: "group",
        "aria-label": "Actor network: " + nodes.length + " actors, " + edges.length + " links", className: "net" });
      var defs = svg("defs");
      Object.keys(RELATION_KINDS).forEach(function (kk) {
        if (!RELATION_KINDS[kk].arrow) return;
        defs.appendChild(svg("marker", { id: "arrow-" + kk, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
          svg("path", { d: "M0,0 L10,5 L0,10 z", fill: RELATION_KINDS[kk].color })));
      });
      root.appendChild(defs);
      var maxW = 1;
      edges.forEach(function (e) { maxW = Math.max(maxW, +e.weight || 1); });
      var edgeLayer = svg("g", { className: "edges" }), nodeLayer = svg("g", { className: "nodes" });
      edges.forEach(function (e) {
        var kind = RELATION_KINDS[e.kind] || { label: str(e.kind), color: "#555", dash: "" };
        var s = P(e.source), t = P(e.target), dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        var rt = radius(ACTORS[e.target]) + 3;
        var tx = t.x - dx / d * rt, ty = t.y - dy / d * rt;
        var w = 1.2 + 3 * Math.sqrt((+e.weight || 1) / maxW);
        var label = actorName(e.source) + " \u2014 " + kind.label + " \u2014 " + actorName(e.target);
        var g = svg("g", { className: "edge edge-" + str(e.kind) });
        g.appendChild(svg("line", { x1: s.x, y1: s.y, x2: tx, y2: ty, className: "hit" }));
        g.appendChild(svg("line", { x1: s.x, y1: s.y, x2: tx, y2: ty, stroke: kind.color, "stroke-width": e.kind === "comention" ? Math.max(1.5, w * 0.7) : w,
          "stroke-dasharray": kind.dash || null, "marker-end": kind.arrow ? "url(#arrow-" + e.kind + ")" : null, className: "line" }));
        g.appendChild(svg("title", { text: label }));
        activatable(g, label, function () { markSelected(root, g); openItem("relation", e); });
        edgeLayer.appendChild(g);
      });
      // labels go right, left, below or above their node, whichever overlaps least
      var boxes = nodes.map(function (a) { var p = P(a.id), r = radius(a); return [p.x - r, p.y - r, p.x + r, p.y + r]; });
      function overlap(b) {
        var total = 0;
        boxes.forEach(function (o) {
          var w = Math.min(b[2], o[2]) - Math.max(b[0], o[0]), h = Math.min(b[3], o[3]) - Math.max(b[1], o[1]);
          if (w > 0 && h > 0) total += w * h;
        });
        if (b[0] < 0 || b[2] > width || b[1] < 0 || b[3] > height) total += 1e6;
        return total;
      }
      function placeLabel(a) {
        var p = P(a.id), r = radius(a), w = str(a.name).length * 7.2 + 4, h = 16;
        var options = [
          { x: r + 4, y: 4, anchor: "start", box: [p.x + r + 2, p.y - h / 2, p.x + r + 4 + w, p.y + h / 2] },
          { x: -(r + 4), y: 4, anchor: "end", box: [p.x - r - 4 - w, p.y - h / 2, p.x - r - 2, p.y + h / 2] },
          { x: 0, y: r + 14, anchor: "middle", box: [p.x - w / 2, p.y + r + 1, p.x + w / 2, p.y + r + 1 + h] },
          { x: 0, y: -(r + 6), anchor: "middle", box: [p.x - w / 2, p.y - r - 2 - h, p.x + w / 2, p.y - r - 2] }
        ];
        var best = options[0], bestCost = Infinity;
        options.forEach(function (o) { var c = overlap(o.box); if (c < bestCost) { bestCost = c; best = o; } });
        // the most mentioned actors are always named; others only where the name fits
        if (bestCost > 0 && rank[a.id] >= 12) return null;
        boxes.push(best.box);
        return best;
      }
      var rank = {};
      nodes.forEach(function (a, i) { rank[a.id] = i; });
      nodes.forEach(function (a) {
        var p = P(a.id), r = radius(a), grp = actorGroup(a.type);
        var n = (a.mentions || []).length;
        var label = str(a.name) + " (" + str(a.type).replace(/_/g, " ") + "), " + n + " mention" + (n === 1 ? "" : "s");
        var g = svg("g", { className: "node", "data-actor": a.id, transform: "translate(" + p.x.toFixed(1) + "," + p.y.toFixed(1) + ")" });
        g.appendChild(svg("circle", { r: r, fill: grp.color }));
        var lab = placeLabel(a);
        if (lab) g.appendChild(svg("text", { x: lab.x, y: lab.y, "text-anchor": lab.anchor, className: "node-label", text: str(a.name) }));
        g.appendChild(svg("title", { text: label }));
        activatable(g, label, function () { markSelected(root, g); openItem("actor", a); });
        nodeLayer.appendChild(g);
      });
      root.appendChild(edgeLayer);
      root.appendChild(nodeLayer);
      host.appendChild(root);
    }

    // legend
    var items = ACTOR_GROUPS.map(function (g) {
      var dot = el("span", { className: "dot", "aria-hidden": "true" });
      dot.style.backgroundColor = g.color;
      return el("li", null, [dot, " " + g.label]);
    });
    var kinds = {};
    relEdges.forEach(function (r) { kinds[r.kind] = true; });
    kinds.comention = true;
    Object.keys(RELATION_KINDS).forEach(function (k) {
      if (!kinds[k]) return;
      var line = el("span", { className: "edge-key edge-key-" + k, "aria-hidden": "true" });
      line.style.borderTopColor = RELATION_KINDS[k].color;
      items.push(el("li", null, [line, " " + RELATION_KINDS[k].label + (RELATION_KINDS[k].arrow ? " (arrow: who acts)" : "")]));
    });
    items.push(el("li", { className: "note", text: "Circle size: number of mentions." }));
    legend.appendChild(el("ul", { className: "legend-list" }, items));

    var drawn = false;
    renderers["view-network"] = function () { if (!drawn) { drawn = true; draw(); } };
    window.addEventListener("resize", function () { if (drawn && !document.getElementById("view-network").hidden) draw(); });
  }

  // ---- index -----------------------------------------------------------------------------------
  function setupIndex() {
    var host = document.getElementById("index");
    // Rows are built lazily and a long table shows its first rows until asked for the rest,
    // so a corpus of thousands of events does not stall the tab.
    var FIRST_ROWS = 200;
    function table(caption, cols, count, makeRow) {
      if (!count) return el("section", null, [el("h3", { text: caption }), el("p", { className: "empty", text: "None yet." })]);
      var body = el("tbody");
      function fill(from, to) {
        for (var i = from; i < to; i++) body.appendChild(el("tr", null, makeRow(i).map(function (c) { return el("td", null, c); })));
      }
      fill(0, Math.min(count, FIRST_ROWS));
      var section = el("section", null, [el("table", null, [
        el("caption", { text: caption + " (" + count + ")" }),
        el("thead", null, el("tr", null, cols.map(function (c) { return el("th", { scope: "col", text: c }); }))),
        body
      ])]);
      if (count > FIRST_ROWS) {
        var more = el("button", { type: "button", className: "jump more-rows", text: "Show all " + count + " rows",
          onclick: function () { fill(FIRST_ROWS, count); more.remove(); } });
        section.appendChild(more);
      }
      return section;
    }
    var actors = S.actors.slice().sort(function (p, q) { return (q.mentions || []).length - (p.mentions || []).length; });
    host.appendChild(table("Actors", ["Actor", "Type", "Country", "Mentions"], actors.length, function (i) {
      var a = actors[i];
      return [link("actor", a.id), str(a.type).replace(/_/g, " "), str(a.country), String((a.mentions || []).length)];
    }));
    var places = S.places.slice().sort(function (p, q) { return (q.mentions || []).length - (p.mentions || []).length; });
    host.appendChild(table("Places", ["Place", "Feature", "Country", "Coordinates", "Mentions", "Events"], places.length, function (i) {
      var p = places[i];
      return [link("place", p.id), str(p.feature).replace(/_/g, " "), str(p.country),
        hasCoords(p) ? p.lat.toFixed(2) + ", " + p.lon.toFixed(2) : "\u2014", String((p.mentions || []).length),
        String((EVENTS_AT[p.id] || []).length)];
    }));
    host.appendChild(table("Events", ["Event", "When", "Actor", "Place", "Modality"], S.events.length, function (i) {
      var ev = S.events[i];
      return [link("event", ev.id, str(ev.type) || "Event"), dateText(ev.date), ev.actor1 ? link("actor", ev.actor1) : "",
        ev.place ? link("place", ev.place) : "", str(ev.modality)];
    }));
    host.appendChild(table("Claims", ["Claim", "Speaker", "Cue"], S.claims.length, function (i) {
      var c = S.claims[i];
      var b = el("button", { type: "button", className: "ref ref-claim", text: "\u201c" + str(c.text) + "\u201d",
        onclick: function () { openItem("claim", c); } });
      return [b, c.speaker && ACTORS[c.speaker] ? link("actor", c.speaker) : str(c.speaker_text), str(c.cue)];
    }));
    var failed = S.documents.filter(function (d) { return d.status === "error"; });
    if (failed.length) {
      host.appendChild(table("Documents that could not be analysed", ["Source", "Reason"], failed.length, function (i) {
        return [str(failed[i].source), str(failed[i].error)];
      }));
    }
  }

  // ---- start -----------------------------------------------------------------------------------
  function start() {
    setupTabs();
    setupReader();
    setupIndex();
    setupTimeline();
    setupNetwork();
    setupMap();
    document.documentElement.setAttribute("data-ready", "true");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
