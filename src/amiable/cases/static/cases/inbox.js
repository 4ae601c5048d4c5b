// Inbox row selection: "select all" ticks every case of the page, the count
// follows the ticks. Delegated on the document, so it survives htmx swaps.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== "checkbox") {
      return;
    }
    var form = target.closest("#bulk-form");
    if (!form) {
      return;
    }
    var boxes = form.querySelectorAll('input[name="cases"]');
    var all = form.querySelector("#select-all");
    if (target === all) {
      boxes.forEach(function (box) { box.checked = all.checked; });
    }
    var ticked = form.querySelectorAll('input[name="cases"]:checked').length;
    if (all && target !== all) {
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    var count = form.querySelector("#selected-count");
    if (count) {
      count.textContent = String(ticked);
    }
  });
})();
