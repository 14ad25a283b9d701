// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The GOV.UK pattern: a page showing errors moves focus to its summary.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    return Boolean(summary);
  }

  // Refuse a file larger than the limit before it is uploaded.
  function checkFileSize(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var max = Number(input.dataset.maxBytes);
    var tooLarge = Array.prototype.some.call(input.files || [], function (file) { return file.size > max; });
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    if (tooLarge) { input.reportValidity(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("change", checkFileSize);
  // After a boosted page change, put focus where a new page would: the summary or the main content.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.boosted) {
      if (!focusErrorSummary(document)) { document.getElementById("main").focus(); }
    }
  });
})();
