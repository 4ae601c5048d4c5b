/* The macro picker of the case composer: search (htmx), keyboard navigation, and
   applying a macro: its text goes into the reply at the cursor, and when it changed
   the case the workspace is reloaded (the reply's draft comes back from storage). */
(function () {
  "use strict";

  function options() {
    return Array.prototype.slice.call(document.querySelectorAll("#macro-results [data-macro-apply]"));
  }

  function showError(message) {
    var box = document.querySelector("[data-testid=macro-error]");
    if (!box) { return; }
    box.textContent = message || "";
    box.hidden = !message;
  }

  function insert(text) {
    var area = document.getElementById("reply_body");
    if (!area) { return; }
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || 0;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + text.length;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  function apply(button) {
    var workspace = document.getElementById("case-workspace");
    var form = button.closest("form");
    var token = form ? form.querySelector("[name=csrfmiddlewaretoken]") : null;
    var body = new FormData();
    body.append("version", workspace ? workspace.dataset.version : "");
    button.disabled = true;
    showError("");
    fetch(button.dataset.macroApply, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      button.disabled = false;
      if (!answer.ok) { showError(answer.data.message); return; }
      insert(answer.data.text);
      if (answer.data.changed && window.htmx && workspace) {
        var picker = document.querySelector(".macro-picker");
        window.htmx.ajax("GET", picker.dataset.caseUrl, {
          target: "#case-workspace", swap: "outerHTML", select: "#case-workspace"
        });
      }
    }).catch(function () {
      button.disabled = false;
      showError(document.querySelector(".macro-picker").dataset.errorMessage);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-macro-apply]") : null;
    if (button) { event.preventDefault(); apply(button); }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.id === "macro-search") {
      if (event.key === "Enter") {
        event.preventDefault();  // never send the reply from the search box
        if (options().length) { apply(options()[0]); }
      } else if (event.key === "ArrowDown" && options().length) {
        event.preventDefault();
        options()[0].focus();
      }
      return;
    }
    if (target.dataset && target.dataset.macroApply) {
      var list = options();
      var index = list.indexOf(target);
      if (event.key === "ArrowDown" && index < list.length - 1) {
        event.preventDefault(); list[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) { list[index - 1].focus(); } else { document.getElementById("macro-search").focus(); }
      } else if (event.key === "Escape") {
        document.getElementById("macro-search").focus();
      }
    }
  });
})();
