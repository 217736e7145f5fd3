/**
 * Runs in a live report page (soak's dashboard): every few seconds it asks the server that served
 * the page for the report's next parts, and puts them in place: the banner, the findings, the run's
 * tables, and the charts' data (drawn in place by client-script.ts, so a line hidden in a legend stays
 * hidden and nothing flickers). The server answers 204 while nothing new has reached the records.
 * The token of a dashboard on a non-loopback address comes from the page's own URL and goes back as
 * a header. Plain ES5-style JavaScript, as client-script.ts.
 */
export const liveScript = String.raw`
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('soak-live').textContent);
  var status = document.getElementById('soak-live-status');
  var token = new URLSearchParams(location.search).get('token');
  var version = config.version;
  var state = config.state;
  var updates = 0;
  var root = document.documentElement;
  root.setAttribute('data-live-state', state);
  root.setAttribute('data-live-updates', '0');

  function replace(id, html) {
    var element = document.getElementById(id);
    if (element && html) element.outerHTML = html;
  }

  function apply(next) {
    document.title = next.title;
    var header = document.querySelector('header.verdict');
    if (header) header.outerHTML = next.header;
    replace('findings', next.findings);
    replace('run', next.run);
    if (!window.soakReport.update(next.data)) {
      replace('charts', next.charts);
      window.soakReport.redraw(next.data);
    }
    version = next.version;
    state = next.state;
    updates += 1;
    root.setAttribute('data-live-updates', String(updates));
    root.setAttribute('data-live-state', state);
  }

  function say(text) {
    status.textContent = text;
  }

  function describe() {
    if (state === 'running') return 'Live: this page follows the run, asking every ' + Math.round(config.everyMs / 1000) + ' s for what its records say now; the findings are provisional until the run ends.';
    if (state === 'ended') return 'The run has ended: this is what its records say; the run directory holds its final report.';
    return 'The run is not going on and never ended (its soak was stopped or killed): this is what reached its records.';
  }

  function next() {
    setTimeout(tick, state === 'running' ? config.everyMs : 10000);
  }

  function tick() {
    fetch(config.updateUrl + '?since=' + encodeURIComponent(version), { cache: 'no-store', headers: token ? { Authorization: 'Bearer ' + token } : {} })
      .then(function (response) {
        if (response.status === 204) return null;
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (update) {
        if (update) apply(update);
        say(describe());
        next();
      })
      .catch(function () {
        say('The dashboard does not answer (its soak may have finished): the page shows the last state it received.');
        next();
      });
  }

  say(describe());
  next();
})();
`;
