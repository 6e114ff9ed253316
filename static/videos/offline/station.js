/* Offline station package: pick who is watching, record what is actually played, export the record. */
(function () {
  "use strict";
  var config = window.STATION_CONFIG;
  var STORE = "station-record-" + config.package;

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || { entries: {} }; } catch (e) { return { entries: {} }; }
  }
  function save(record) { localStorage.setItem(STORE, JSON.stringify(record)); }
  function viewers() {
    try { return JSON.parse(localStorage.getItem(STORE + "-viewers")) || []; } catch (e) { return []; }
  }

  function localDay(date) {
    function pad(n) { return ("0" + n).slice(-2); }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  /* One entry per person, video and day, with the clock times it was watched (they match it to a class session). */
  function addInterval(videoId, start, end, startedAt) {
    if (!(end > start)) return;
    var record = load(), now = new Date(), from = startedAt || now;
    viewers().forEach(function (personId) {
      var key = personId + ":" + videoId + ":" + localDay(from);
      var entry = record.entries[key] || { person: personId, video: videoId, intervals: [], from: from.toISOString() };
      entry.intervals.push([Math.round(start * 100) / 100, Math.round(end * 100) / 100]);
      entry.to = now.toISOString();
      record.entries[key] = entry;
    });
    save(record);
  }

  function trackVideo(media) {
    var videoId = parseInt(media.dataset.videoId, 10), current = null, last = null, startedAt = null;
    function close() { if (current) addInterval(videoId, current[0], current[1], startedAt); current = null; }
    media.addEventListener("timeupdate", function () {
      var t = media.currentTime;
      if (media.seeking || media.paused) { last = t; return; }
      if (last !== null && t >= last && t - last <= 3) {
        if (!current) { current = [last, t]; startedAt = new Date(); } else current[1] = t;
      }
      else close();
      last = t;
    });
    media.addEventListener("seeking", function () { close(); last = null; });
    media.addEventListener("pause", close);
    media.addEventListener("ended", close);
    window.addEventListener("pagehide", close);
  }

  function roster(container) {
    var chosen = viewers();
    config.roster.forEach(function (person) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.value = person.id; box.checked = chosen.indexOf(person.id) !== -1;
      box.addEventListener("change", function () {
        var ids = Array.prototype.map.call(container.querySelectorAll("input:checked"), function (b) { return parseInt(b.value, 10); });
        localStorage.setItem(STORE + "-viewers", JSON.stringify(ids));
      });
      label.appendChild(box); label.appendChild(document.createTextNode(" " + person.name));
      container.appendChild(label);
    });
  }

  function exportRecord(button) {
    // No key travels with the package: the server checks the record against the package it made.
    var record = load();
    var payload = JSON.stringify({
      package: config.package, station: config.station, station_id: config.station_id, course: config.course,
      exported_at: new Date().toISOString(),
      record: config.package + "-" + Date.now() + "-" + Math.random().toString(16).slice(2),
      entries: Object.keys(record.entries).map(function (k) { return record.entries[k]; })
    });
    var blob = new Blob([JSON.stringify({ payload: payload })], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "watch-record-" + new Date().toISOString().slice(0, 10) + ".json";
    document.body.appendChild(link); link.click(); link.remove();
    return Promise.resolve();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("video[data-video-id], audio[data-video-id]"), trackVideo);
    var rosterBox = document.querySelector("[data-roster]");
    if (rosterBox) roster(rosterBox);
    var button = document.querySelector("[data-export]");
    if (button) button.addEventListener("click", function () { exportRecord(button); });
  });
})();
