// The report's only script (inlined at the end of the page; its hash goes into the
// Content-Security-Policy). Filters cards by verdict (any of the pressed tiles), by cause (one bar
// at a time) and by a file-name substring. Reads data-* attributes and sets `hidden`/text only:
// it never builds markup, so nothing it touches can become HTML.
export const REPORT_JS = `
(function () {
  'use strict';
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.card'));
  var verdictButtons = Array.prototype.slice.call(document.querySelectorAll('[data-filter-verdict]'));
  var causeButtons = Array.prototype.slice.call(document.querySelectorAll('[data-filter-cause]'));
  var search = document.getElementById('search');
  var shown = document.getElementById('shown-count');
  var noMatch = document.getElementById('no-match');
  var clear = document.getElementById('clear-filters');
  var verdicts = {};
  var cause = '';
  var query = '';

  function anyVerdict() {
    for (var k in verdicts) if (verdicts[k]) return true;
    return false;
  }

  function apply() {
    var n = 0;
    var filterVerdict = anyVerdict();
    cards.forEach(function (card) {
      var causes = (card.getAttribute('data-causes') || '').split(' ');
      var name = card.getAttribute('data-name') || '';
      var ok = (!filterVerdict || verdicts[card.getAttribute('data-verdict')] === true) &&
        (!cause || causes.indexOf(cause) >= 0) &&
        (!query || name.indexOf(query) >= 0);
      card.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = String(n);
    if (noMatch) noMatch.hidden = n > 0;
    verdictButtons.forEach(function (b) {
      b.setAttribute('aria-pressed', String(verdicts[b.getAttribute('data-filter-verdict')] === true));
    });
    causeButtons.forEach(function (b) {
      b.setAttribute('aria-pressed', String(cause !== '' && b.getAttribute('data-filter-cause') === cause));
    });
  }

  verdictButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      var v = b.getAttribute('data-filter-verdict');
      verdicts[v] = !verdicts[v];
      apply();
    });
  });
  causeButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      var c = b.getAttribute('data-filter-cause');
      cause = cause === c ? '' : c;
      apply();
    });
  });
  if (search) {
    search.addEventListener('input', function () {
      query = search.value.trim().toLowerCase();
      apply();
    });
  }
  if (clear) {
    clear.addEventListener('click', function () {
      verdicts = {};
      cause = '';
      query = '';
      if (search) search.value = '';
      apply();
    });
  }
  apply();
})();
`.trim();
