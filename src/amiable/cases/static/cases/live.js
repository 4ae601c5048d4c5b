/* Live pages: the polls (elements marked data-live-poll) rest while the tab is
   hidden, and the inbox's while cases are selected (a refresh would drop the
   selection); after a case changed, the forms carry the version now shown, and
   the conversation scrolls to its newest message. */
(function () {
  "use strict";

  function hasSelection() {
    var form = document.getElementById("bulk-form");
    return Boolean(form && form.querySelector("input[name=cases]:checked"));
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    if (!element || !element.hasAttribute("data-live-poll")) { return; }
    if (document.hidden || (element.closest("#case-results") && hasSelection())) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "case-conversation") {
      target.scrollTop = target.scrollHeight;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var live = document.getElementById("case-live");
    var version = live && live.dataset.version;
    if (!version) { return; }
    // The page now shows this version: acting on it is not acting on stale data.
    document.querySelectorAll("#case-workspace form input[name=version]").forEach(function (input) {
      input.value = version;
    });
  });
})();
