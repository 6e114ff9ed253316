// Draws the dashboard charts from the numbers the page already shows (json_script "budget-charts").
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("budget-charts");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var red = "#b3141d", grey = "#c9ced6";
    var palette = ["#b3141d", "#d9822b", "#f2c14e", "#4c956c", "#2f6690", "#7d5ba6", "#8c8c8c", "#e56b6f"];
    var num = function (values) { return values.map(Number); };
    var money = {ticks: {callback: function (v) { return "¥" + Number(v).toLocaleString(); }}};
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    new Chart(document.getElementById("chart-month"), {
      type: "bar",
      data: {labels: data.month.labels, datasets: [{label: data.text.spend, data: num(data.month.values), backgroundColor: red}]},
      options: {scales: {y: money}, plugins: {legend: {display: false}}}
    });
    new Chart(document.getElementById("chart-township"), {
      type: "bar",
      data: {labels: data.township.labels, datasets: [{label: data.text.spend, data: num(data.township.values), backgroundColor: red}]},
      options: {indexAxis: "y", scales: {x: money}, plugins: {legend: {display: false}}}
    });
    new Chart(document.getElementById("chart-mode"), {
      type: "doughnut",
      data: {labels: data.mode.labels, datasets: [{data: num(data.mode.values), backgroundColor: palette}]},
      options: {plugins: {legend: {position: "right"}}}
    });
    new Chart(document.getElementById("chart-allowance"), {
      type: "bar",
      data: {labels: data.township.labels, datasets: [
        {label: data.text.used, data: num(data.township.used), backgroundColor: red},
        {label: data.text.left, data: num(data.township.left), backgroundColor: grey}
      ]},
      options: {scales: {x: {stacked: true}, y: Object.assign({stacked: true}, money)}}
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
