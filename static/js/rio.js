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

// Progress chart: drawn over the same numbers as the table next to it
// (the table stays the source; the chart only adds a picture). Lines differ
// in dash pattern and point style too, so colour is never the only signal.
window.addEventListener("load", function () {
  if (typeof window.Chart === "undefined") {
    return;
  }
  var colours = ["#154273", "#a6192e", "#1e6b34", "#7a4b00", "#5a2d82"];
  var dashes = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 1]];
  var points = ["circle", "rect", "triangle", "rectRot", "star"];
  document.querySelectorAll("[data-rio-chart-for]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-rio-chart-for"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    box.hidden = false;
    new window.Chart(box.querySelector("canvas"), {
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
    });
  });
});

// Dashboard charts: bars over the same (already suppressed) numbers as the
// table above each; a cell shown as "<5" is a gap, never a bar. The table is
// the accessible source, so the canvas is hidden from screen readers. Bars
// differ in pattern of border too, so colour is never the only signal.
window.addEventListener("load", function () {
  if (typeof window.Chart === "undefined") {
    return;
  }
  var colours = ["#154273", "#a6192e"];
  document.querySelectorAll("[data-rio-bars-for]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-rio-bars-for"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.datasets.length) {
      return;
    }
    box.hidden = false;
    new window.Chart(box.querySelector("canvas"), {
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
    });
  });
});

// The "Print" button on Mijn plan needs JavaScript, so it is only shown
// when it works; without JavaScript the browser's own print still does.
document.querySelectorAll("[data-rio-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
