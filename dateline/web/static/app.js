// dateline: small enhancements; every page works without this script.
// Data comes from the DOM and from <script type="application/json"> blocks, never from eval.
"use strict";

(function () {
  // Article view: hovering an event card lights its trigger in the text, and the reverse.
  function linkEvents() {
    var cards = document.querySelectorAll(".event-card[data-event]");
    cards.forEach(function (card) {
      var id = card.getAttribute("data-event");
      var marks = Array.prototype.filter.call(document.querySelectorAll("mark[data-events]"), function (m) {
        return m.getAttribute("data-events").split(" ").indexOf(id) >= 0;
      });
      function on() { card.classList.add("active"); marks.forEach(function (m) { m.classList.add("active"); }); }
      function off() { card.classList.remove("active"); marks.forEach(function (m) { m.classList.remove("active"); }); }
      card.addEventListener("mouseenter", on);
      card.addEventListener("mouseleave", off);
      marks.forEach(function (m) {
        m.addEventListener("mouseenter", on);
        m.addEventListener("mouseleave", off);
        m.addEventListener("click", function () { card.scrollIntoView({ block: "nearest", behavior: "smooth" }); });
      });
    });
  }

  // Events page: a readout of the hovered day, from the JSON block the server wrote.
  function timelineReadout() {
    var block = document.getElementById("timeline-data");
    var out = document.getElementById("timeline-readout");
    if (!block || !out) return;
    var data;
    try { data = JSON.parse(block.textContent); } catch (e) { return; }
    var byDate = {};
    (data.days || []).forEach(function (d) { byDate[d.date] = d; });
    document.querySelectorAll("svg.timeline rect[data-date]").forEach(function (rect) {
      rect.addEventListener("mouseenter", function () {
        var d = byDate[rect.getAttribute("data-date")];
        if (!d) return;
        var parts = ["1", "2", "3", "4"].map(function (k) { return data.quads[k] + ": " + (d.counts[k] || 0); });
        out.textContent = d.date + " — " + d.total + " events (" + parts.join(", ") + ")";
      });
    });
  }

  // Events page: hovering an actor in the network lights its edges.
  function networkFocus() {
    var svg = document.querySelector("svg.network");
    if (!svg) return;
    var edges = svg.querySelectorAll(".edge");
    svg.querySelectorAll(".node").forEach(function (node) {
      var name = node.getAttribute("data-name");
      node.addEventListener("mouseenter", function () {
        svg.classList.add("focus");
        edges.forEach(function (e) {
          if (e.getAttribute("data-source") === name || e.getAttribute("data-target") === name) e.classList.add("lit");
        });
      });
      node.addEventListener("mouseleave", function () {
        svg.classList.remove("focus");
        edges.forEach(function (e) { e.classList.remove("lit"); });
      });
    });
  }

  // Filter forms: leave empty fields out of the URL, so that links stay short.
  function tidyForms() {
    document.querySelectorAll("form.filters").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input, select").forEach(function (field) {
          if (field.name && field.value === "") field.disabled = true;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tidyForms();
    linkEvents();
    timelineReadout();
    networkFocus();
  });
})();
