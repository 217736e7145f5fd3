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

  /** A finding's judged window: a light blue band between dashed edges, its label at the foot. */
  function drawWindow(chart, span) {
    var x = chart.scales.x;
    var area = chart.chartArea;
    var ctx = chart.ctx;
    var left = Math.max(x.getPixelForValue(span.start), area.left);
    var right = Math.min(x.getPixelForValue(span.end), area.right);
    if (right < left) return;
    ctx.fillStyle = 'rgba(37, 99, 235, 0.07)';
    ctx.fillRect(left, area.top, Math.max(right - left, 1), area.bottom - area.top);
    ctx.strokeStyle = 'rgba(37, 99, 235, 0.55)';
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(left, area.top);
    ctx.lineTo(left, area.bottom);
    ctx.moveTo(right, area.top);
    ctx.lineTo(right, area.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#1d4ed8';
    ctx.fillText(span.label, left + 3, area.bottom - 24);
  }

  var marks = {
    id: 'soakMarks',
    beforeDatasetsDraw: function (chart, args, options) {
      var x = chart.scales.x;
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      if (options && options.window) drawWindow(chart, options.window);
      data.marks.faults.forEach(function (fault) {
        var left = Math.max(x.getPixelForValue(fault.start), area.left);
        var right = Math.min(Math.max(x.getPixelForValue(fault.end), left + 2), area.right);
        if (right <= left) return;
        ctx.fillStyle = 'rgba(220, 38, 38, 0.12)';
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = fault.color || '#b91c1c';
        ctx.fillText(fault.label, left + 3, area.top + 2 + 12 * (fault.row || 0));
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
      normalized: true,
      yAxisID: series.axis === 'right' ? 'y2' : 'y'
    };
  }

  /** The x axis over [from, to] seconds: the whole run, or the stretch a finding's chart shows. */
  function xScale(from, to) {
    var duration = to - from;
    return {
      type: 'linear',
      min: from,
      max: to,
      title: { display: true, text: 'time since start (seconds, shown as h:mm:ss)', font: { size: 11 } },
      ticks: { stepSize: tickStep(duration), maxRotation: 0, autoSkipPadding: 12, callback: function (value) { return clock(value); } }
    };
  }

  function yScale(unit, position) {
    return {
      position: position,
      beginAtZero: true,
      title: { display: true, text: unit, font: { size: 11 } },
      grid: { drawOnChartArea: position === 'left' },
      afterFit: function (scale) { scale.width = 72; }
    };
  }

  function scales(spec, durationS) {
    var range = spec.range || [0, durationS];
    var result = { x: xScale(range[0], range[1]), y: yScale(spec.unit, 'left') };
    if (spec.unitRight) result.y2 = yScale(spec.unitRight, 'right');
    return result;
  }

  function create(spec) {
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
          tooltip: { callbacks: { title: function (items) { return items.length ? '+' + clock(items[0].parsed.x) : ''; } } },
          soakMarks: { window: spec.window || null }
        },
        scales: scales(spec, data.durationS)
      }
    });
  }

  var charts = [];
  function draw() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = data.charts.map(create);
    document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
  }

  /**
   * New data for the same charts, drawn in place (lines hidden in a legend stay hidden); a chart whose
   * canvas the page replaced (a finding's card, put anew with the findings) is drawn afresh on the new
   * one. False when the charts themselves changed.
   */
  function update(next) {
    var same = next.charts.length === charts.length && next.charts.every(function (spec, i) { return spec.canvas === charts[i].canvas.id && spec.title === data.charts[i].title; });
    if (!same) return false;
    data = next;
    charts = charts.map(function (chart, i) {
      var spec = next.charts[i];
      if (!chart.canvas.isConnected) {
        chart.destroy();
        return create(spec);
      }
      var datasets = spec.series.map(dataset);
      datasets.forEach(function (fresh, k) {
        var old = chart.data.datasets[k];
        if (old && old.label === fresh.label) fresh.hidden = !chart.isDatasetVisible(k);
      });
      chart.data.datasets = datasets;
      chart.options.scales = scales(spec, next.durationS);
      chart.options.plugins.soakMarks = { window: spec.window || null };
      chart.update('none');
      return chart;
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
