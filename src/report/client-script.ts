/**
 * Runs in the report page: draws every chart from the embedded data with the inlined Chart.js,
 * and marks fault windows (shaded) and phase starts (dashed lines) on each. Plain ES5-style
 * JavaScript with no template literals, so it can live in this TypeScript string untouched.
 * `window.soakReport` lets a live page (live-script.ts) give the charts new data in place.
 */
export const clientScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('soak-data').textContent);
  var palette = ['#2563eb', '#d97706', '#dc2626', '#7c3aed', '#059669', '#0891b2', '#db2777', '#65a30d', '#475569'];

  function clock(seconds) {
    var s = Math.round(seconds);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m;
    var ss = (rest < 10 ? '0' : '') + rest;
    return (h > 0 ? h + ':' : '') + mm + ':' + ss;
  }

  /** A tick step of whole seconds, minutes or hours, giving at most ten ticks. */
  function tickStep(duration) {
    var steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
    for (var i = 0; i < steps.length; i++) if (duration / steps[i] <= 10) return steps[i];
    return Math.ceil(duration / 10 / 86400) * 86400;
  }

  var marks = {
    id: 'soakMarks',
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      data.marks.faults.forEach(function (fault) {
        var left = Math.max(x.getPixelForValue(fault.start), area.left);
        var right = Math.min(Math.max(x.getPixelForValue(fault.end), left + 2), area.right);
        if (right <= left) return;
        ctx.fillStyle = 'rgba(220, 38, 38, 0.12)';
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = '#b91c1c';
        ctx.fillText(fault.label, left + 3, area.top + 2);
      });
      var labelEnd = -Infinity;
      data.marks.phases.forEach(function (phase) {
        var px = x.getPixelForValue(phase.x);
        if (px < area.left || px > area.right) return;
        ctx.strokeStyle = 'rgba(71, 85, 105, 0.6)';
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        var width = ctx.measureText(phase.label).width;
        if (px + 3 > labelEnd) {
          ctx.fillStyle = '#475569';
          ctx.fillText(phase.label, px + 3, area.bottom - 12);
          labelEnd = px + 3 + width + 6;
        }
      });
      ctx.restore();
    }
  };

  function dataset(series, index) {
    var color = series.color || palette[index % palette.length];
    var points = series.style === 'points';
    return {
      label: series.label,
      data: series.points,
      borderColor: color,
      backgroundColor: color,
      borderWidth: series.style === 'dashed' ? 2 : 1.5,
      borderDash: series.style === 'dashed' ? [6, 4] : [],
      pointRadius: points ? 2 : 0,
      pointHoverRadius: 3,
      showLine: !points,
      tension: 0,
      normalized: true
    };
  }

  function xScale(duration) {
    return {
      type: 'linear',
      min: 0,
      max: duration,
      title: { display: true, text: 'time since start (seconds, shown as h:mm:ss)', font: { size: 11 } },
      ticks: { stepSize: tickStep(duration), maxRotation: 0, autoSkipPadding: 12, callback: function (value) { return clock(value); } }
    };
  }

  var charts = [];
  function draw() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = data.charts.map(function (spec) {
      var canvas = document.getElementById(spec.canvas);
      return new Chart(canvas, {
        type: 'line',
        data: { datasets: spec.series.map(dataset) },
        plugins: [marks],
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          plugins: {
            legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, font: { size: 11 } } },
            tooltip: { callbacks: { title: function (items) { return items.length ? '+' + clock(items[0].parsed.x) : ''; } } }
          },
          scales: {
            x: xScale(data.durationS),
            y: {
              beginAtZero: true,
              title: { display: true, text: spec.unit, font: { size: 11 } },
              afterFit: function (scale) { scale.width = 72; }
            }
          }
        }
      });
    });
    document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
  }

  /** New data for the same charts, drawn in place (lines hidden in a legend stay hidden); false when the charts themselves changed. */
  function update(next) {
    var same = next.charts.length === charts.length && next.charts.every(function (spec, i) { return spec.canvas === charts[i].canvas.id && spec.title === data.charts[i].title; });
    if (!same) return false;
    data = next;
    charts.forEach(function (chart, i) {
      var datasets = next.charts[i].series.map(dataset);
      datasets.forEach(function (fresh, k) {
        var old = chart.data.datasets[k];
        if (old && old.label === fresh.label) fresh.hidden = !chart.isDatasetVisible(k);
      });
      chart.data.datasets = datasets;
      chart.options.scales.x = xScale(next.durationS);
      chart.update('none');
    });
    return true;
  }

  /** Charts of a new set (a service or a pool appeared): the caller has put their canvases in the page. */
  function redraw(next) {
    data = next;
    draw();
  }

  draw();
  window.soakReport = { update: update, redraw: redraw };
  window.addEventListener('beforeprint', function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
`;
