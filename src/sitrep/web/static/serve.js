/* sitrep serve: small additions to the report's views on the app's pages. A link such as
 * /doc/ID#s=120&e=164 opens a document with that span highlighted and its annotations shown;
 * #layer=place shows one text layer. Like report.js it writes text only, never HTML. */
(function () {
  "use strict";

  function params() {
    try { return new URLSearchParams(window.location.hash.slice(1)); } catch (e) { return null; }
  }

  function focusSpan(doc, start, end) {
    var select = document.getElementById("doc-select");
    if (doc && select && select.value !== doc) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === doc) {
          select.value = doc;
          select.dispatchEvent(new Event("change"));
          break;
        }
      }
    }
    var text = document.getElementById("doc-text");
    if (!text) return;
    var segs = text.querySelectorAll("[data-start]"), hits = [];
    for (var j = 0; j < segs.length; j++) {
      var s = +segs[j].getAttribute("data-start"), e = +segs[j].getAttribute("data-end");
      if (s < end && e > start && e > s) hits.push(segs[j]);
    }
    if (!hits.length) return;
    // open the details of what is annotated there, then mark the whole span
    for (var k = 0; k < hits.length; k++) {
      if (hits[k].classList.contains("mark")) { hits[k].click(); break; }
    }
    var prev = text.querySelectorAll(".is-focused");
    for (var p = 0; p < prev.length; p++) prev[p].classList.remove("is-focused");
    hits.forEach(function (h) { h.classList.add("is-focused"); });
    text.scrollTop = Math.max(0, hits[0].offsetTop - text.clientHeight / 3);
    text.setAttribute("data-focus", start + "-" + end);
    var reader = document.getElementById("reader");
    if (reader && reader.scrollIntoView) reader.scrollIntoView({ block: "nearest" });
  }

  function onlyLayer(key) {
    var boxes = document.querySelectorAll("#layers input[type=checkbox]");
    var known = false;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].id === "layer-" + key) known = true;
    if (!known) return;
    for (var j = 0; j < boxes.length; j++) {
      var want = boxes[j].id === "layer-" + key;
      if (boxes[j].checked !== want) boxes[j].click();
    }
  }

  function fromHash() {
    var h = params();
    if (!h) return;
    var s = parseInt(h.get("s"), 10), e = parseInt(h.get("e"), 10);
    if (isFinite(s) && isFinite(e) && s >= 0 && e > s) focusSpan(h.get("doc"), s, e);
    if (h.get("layer")) onlyLayer(h.get("layer"));
  }

  function start() {
    if (document.getElementById("doc-text")) {
      fromHash();
      window.addEventListener("hashchange", fromHash);
    }
    // corpus filters: a changed select applies at once; the button stays for keyboard users
    var form = document.getElementById("filter-form");
    if (form) {
      var selects = form.querySelectorAll("select");
      for (var i = 0; i < selects.length; i++) {
        selects[i].addEventListener("change", function () { form.submit(); });
      }
    }
    document.documentElement.setAttribute("data-serve-ready", "true");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
