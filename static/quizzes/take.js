// Autosave each answer as the learner goes; the form still works without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("take-form");
  if (!form || !window.fetch) { return; }
  var url = form.dataset.answerUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {};
  var timers = {};

  function stateEl(fieldset) { return fieldset.querySelector(".save-state"); }

  function show(fieldset, text, isError) {
    var el = stateEl(fieldset);
    el.textContent = text;
    el.classList.toggle("error", !!isError);
  }

  function collect(fieldset) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("position", fieldset.dataset.position);
    fieldset.querySelectorAll("input, textarea").forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      data.append(el.name, el.value);
    });
    return data;
  }

  function save(fieldset) {
    var pos = fieldset.dataset.position;
    pending[pos] = fieldset;
    show(fieldset, form.dataset.msgSaving);
    return fetch(url, {
      method: "POST", body: collect(fieldset), credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"}
    }).then(function (resp) {
      if (resp.status === 409) {
        show(fieldset, form.dataset.msgClosed, true);
        delete pending[pos];
        window.location.reload();
        return;
      }
      if (!resp.ok) { throw new Error("HTTP " + resp.status); }
      delete pending[pos];
      show(fieldset, form.dataset.msgSaved);
      var dot = form.querySelector('.dot[value="' + pos + '"]');
      if (dot) { dot.classList.add("answered"); }
    }).catch(function () {
      show(fieldset, form.dataset.msgOffline, true);
    });
  }

  function schedule(fieldset, delay) {
    var pos = fieldset.dataset.position;
    clearTimeout(timers[pos]);
    timers[pos] = setTimeout(function () { save(fieldset); }, delay);
  }

  form.addEventListener("change", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (fs) { schedule(fs, 0); }
  });
  form.addEventListener("input", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (fs && (e.target.type === "text" || e.target.tagName === "TEXTAREA")) { schedule(fs, 800); }
  });
  window.addEventListener("online", function () {
    Object.keys(pending).forEach(function (pos) { save(pending[pos]); });
  });

  var timer = document.querySelector(".timer");
  if (timer) {
    var left = parseInt(timer.dataset.secondsLeft, 10);
    var started = Date.now();
    var clock = timer.querySelector(".clock") || timer;
    var tick = function () {
      var s = Math.max(left - Math.floor((Date.now() - started) / 1000), 0);
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      var mm = h ? h + ":" + String(m).padStart(2, "0") : String(m);
      clock.textContent = mm + ":" + String(s % 60).padStart(2, "0");
      timer.classList.toggle("low", s < 60);
      if (s === 0) {
        clearInterval(handle);
        window.location.href = timer.dataset.finishUrl;
      }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
})();
