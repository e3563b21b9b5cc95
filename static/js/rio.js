// Progressive enhancement only: every page works without this file.
// After an htmx swap, move focus to what changed: the confirmation
// (data-rio-focus) or else the first field with an error, so keyboard and
// screen-reader users land on it. With an outerHTML swap the old target is
// gone, so look the new one up by its id.
document.addEventListener("htmx:afterSwap", function (event) {
  var id = event.detail.target && event.detail.target.id;
  var scope = (id && document.getElementById(id)) || document;
  var target =
    scope.querySelector("[data-rio-focus]") || scope.querySelector("[aria-invalid='true']");
  if (target) {
    target.focus();
  }
});

// Charts: each is drawn over the same numbers as the table next to it (the
// table stays the source and the canvas is hidden from screen readers; the
// chart only adds a picture). `attribute` names the id of a box's JSON data
// (json_script); `config(data)` gives the Chart.js configuration, or null to
// leave the box hidden.
function drawCharts(attribute, config) {
  window.addEventListener("load", function () {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("[" + attribute + "]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute(attribute));
      var settings = source && config(JSON.parse(source.textContent));
      if (!settings) {
        return;
      }
      box.hidden = false;
      new window.Chart(box.querySelector("canvas"), settings);
    });
  });
}

// Progress on the life domains: lines differ in dash pattern and point style
// too, so colour is never the only signal.
drawCharts("data-rio-chart-for", function (data) {
  var colours = ["#154273", "#a6192e", "#1e6b34", "#7a4b00", "#5a2d82"];
  var dashes = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 1]];
  var points = ["circle", "rect", "triangle", "rectRot", "star"];
  return {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (serie, i) {
        return {
          label: serie.label,
          data: serie.scores,
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          borderDash: dashes[i % dashes.length],
          pointStyle: points[i % points.length],
          pointRadius: 5,
          spanGaps: true,
        };
      }),
    },
    options: {
      animation: false,
      scales: { y: { min: 1, max: 5, ticks: { stepSize: 1 } } },
      plugins: { legend: { labels: { usePointStyle: true } } },
    },
  };
});

// Dashboard bars over a table's already suppressed numbers: a cell shown as
// "<5" is a gap, never a bar. Bars differ in border too, so colour is never
// the only signal.
drawCharts("data-rio-bars-for", function (data) {
  var colours = ["#154273", "#a6192e"];
  if (!data.datasets.length) {
    return null;
  }
  return {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (set, i) {
        return {
          label: set.label,
          data: set.data,
          backgroundColor: colours[i % colours.length],
          borderColor: "#000000",
          borderWidth: i,
        };
      }),
    },
    options: {
      animation: false,
      indexAxis: "y",
      scales: {
        x: {
          beginAtZero: true,
          ticks: {
            callback: function (value) {
              return value + data.unit;
            },
          },
        },
      },
    },
  };
});

// The "Print" button on Mijn plan needs JavaScript, so it is only shown
// when it works; without JavaScript the browser's own print still does.
document.querySelectorAll("[data-rio-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
