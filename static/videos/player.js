/* Lecture player: adaptive HLS (native or hls.js), data-saver MP4/audio, honest watch reports. */
(function () {
  "use strict";
  var MODE_KEY = "videos.dataSaverMode";
  var REPORT_EVERY_MS = 10000;
  var MAX_STEP_SECONDS = 3; // timeupdate steps larger than this are seeks, not playing (2x speed stays below).
  var hlsLoading = null;

  function loadHlsLibrary(url) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () { resolve(window.Hls); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return hlsLoading;
  }

  function storedMode() {
    try { return window.localStorage.getItem(MODE_KEY) || "auto"; } catch (e) { return "auto"; }
  }

  function storeMode(mode) {
    try { window.localStorage.setItem(MODE_KEY, mode); } catch (e) { /* private mode: not remembered */ }
  }

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var media = root.querySelector("video");
    var select = root.querySelector("[data-mode]");
    var hls = null;
    var resumeAt = parseFloat(root.dataset.position) || 0;
    var duration = parseFloat(root.dataset.duration) || 0;
    var audioOnly = !root.dataset.hls && !root.dataset.mp4;

    function attach(mode) {
      var keepTime = media.readyState > 0 ? media.currentTime : position;
      var wasPlaying = !media.paused;
      if (hls) { hls.destroy(); hls = null; }
      root.dataset.playing = mode;
      var restore = function () {
        if (keepTime > 5 && (!duration || keepTime < duration - 5)) media.currentTime = keepTime;
        if (wasPlaying) media.play().catch(function () {});
      };
      media.addEventListener("loadedmetadata", restore, { once: true });
      // With preload="none" a new source loads nothing until play(): a switch while playing must go on playing.
      var use = function (src) { media.src = src; if (wasPlaying) media.play().catch(function () {}); };
      if (audioOnly || mode === "audio") { use(root.dataset.audio); return; }
      if (mode === "mp4" || !root.dataset.hls) { use(root.dataset.mp4); return; }
      if (media.canPlayType("application/vnd.apple.mpegurl")) { use(root.dataset.hls); return; }
      loadHlsLibrary(root.dataset.hlsLib).then(function (Hls) {
        if (!Hls || !Hls.isSupported()) { use(root.dataset.mp4 || root.dataset.audio); return; }
        // Start on the lowest rung: village links are slow, and ABR climbs when it can.
        hls = new Hls({ startLevel: 0, capLevelToPlayerSize: true });
        root.hls = hls;
        hls.loadSource(root.dataset.hls);
        hls.attachMedia(media);
        if (wasPlaying) media.play().catch(function () {});
      }, function () { use(root.dataset.mp4 || root.dataset.audio); });
    }

    // Watch tracking: only continuous playing makes an interval; a seek closes it.
    var current = null, lastTime = null, pending = [], started = false, sending = false;
    var position = resumeAt; // Where to resume: a source still loading reads 0 and must not overwrite it.

    function closeInterval() {
      if (current && current[1] > current[0]) pending.push(current);
      current = null;
    }

    media.addEventListener("timeupdate", function () {
      var t = media.currentTime;
      if (media.readyState > 0) position = t;
      if (media.seeking || media.paused) { lastTime = t; return; }
      if (lastTime !== null && t >= lastTime && t - lastTime <= MAX_STEP_SECONDS) {
        if (!current) current = [lastTime, t]; else current[1] = t;
      } else {
        closeInterval();
      }
      lastTime = t;
    });
    media.addEventListener("seeking", function () { closeInterval(); lastTime = null; });
    media.addEventListener("play", function () {
      if (!started) { started = true; send(false); }
    });
    media.addEventListener("pause", function () { closeInterval(); send(false); });
    media.addEventListener("ended", function () { closeInterval(); send(false); });

    function send(leaving) {
      if (sending && !leaving) return;
      if (current && current[1] > current[0]) { pending.push([current[0], current[1]]); current = [current[1], current[1]]; }
      var batch = pending; pending = [];
      var body = JSON.stringify({ intervals: batch, position: position });
      sending = true;
      fetch(root.dataset.reportUrl, {
        method: "POST", body: body, keepalive: !!leaving, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf }
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        var watched = root.querySelector("[data-watched]");
        watched.textContent = root.querySelector("[data-watched-template]").content.textContent.replace("__P__", data.percent);
        if (data.completed) root.querySelector("[data-note]").textContent = root.querySelector("[data-done-template]").content.textContent;
        root.dataset.percent = data.percent;
      }).catch(function () {
        pending = batch.concat(pending); // Weak network: keep them for the next report.
      }).then(function () { sending = false; });
    }

    setInterval(function () { if (!media.paused) send(false); }, REPORT_EVERY_MS);
    window.addEventListener("pagehide", function () { closeInterval(); if (started) send(true); });

    var mode = audioOnly ? "audio" : storedMode();
    if (select) {
      if (!select.querySelector('option[value="' + mode + '"]')) mode = "auto";
      select.value = mode;
      select.addEventListener("change", function () { storeMode(select.value); attach(select.value); });
    }
    attach(mode);
  }

  function init() { Array.prototype.forEach.call(document.querySelectorAll("[data-video-player]"), setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
