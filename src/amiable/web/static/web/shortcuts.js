/* Keyboard shortcuts of the agent's pages (the help dialog, opened with "?", lists
   them; the base template renders it). Never while typing in a field, never with
   Ctrl, Alt or Meta. Static file: the Content-Security-Policy refuses inline script.

   Lists: j / k move between the cases of a list (rows .case-row, their link
   .case-link), Enter opens the one chosen. The list an agent opens a case from is
   remembered (sessionStorage), so [ and ] on the case page go to its previous and
   next case. Case page: r reply, n internal note, m macro picker. Everywhere:
   g then i the inbox, / the search box of the header, ? this help. */
(function () {
  "use strict";

  var LIST_KEY = "amiable:case-list";
  var pendingG = 0;

  function isTyping(target) {
    if (!(target instanceof HTMLElement)) { return false; }
    if (target.isContentEditable) { return true; }
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    if (tag !== "INPUT") { return false; }
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return ["checkbox", "radio", "button", "submit", "reset", "file", "image", "range", "color"].indexOf(type) === -1;
  }

  function dialog() { return document.getElementById("shortcuts-help"); }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-case-list] .case-row")).filter(function (row) {
      return row.querySelector("a.case-link");
    });
  }

  function rememberList() {
    var list = rows();
    if (!list.length) { return; }
    var urls = list.map(function (row) { return row.querySelector("a.case-link").pathname; });
    try {
      window.sessionStorage.setItem(LIST_KEY, JSON.stringify({ from: window.location.pathname + window.location.search, cases: urls }));
    } catch (error) { /* storage refused: [ and ] do nothing */ }
  }

  function rememberedList() {
    try { return JSON.parse(window.sessionStorage.getItem(LIST_KEY) || "null"); } catch (error) { return null; }
  }

  function currentRow() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest(".case-row") : null;
    return row || document.querySelector(".case-row.is-current");
  }

  function moveRow(step) {
    var list = rows();
    if (!list.length) { return false; }
    var index = list.indexOf(currentRow());
    var next = index === -1 ? (step > 0 ? 0 : list.length - 1) : Math.min(Math.max(index + step, 0), list.length - 1);
    list.forEach(function (row) { row.classList.remove("is-current"); });
    list[next].classList.add("is-current");
    var link = list[next].querySelector("a.case-link");
    link.focus();
    link.scrollIntoView({ block: "nearest" });
    return true;
  }

  function openRow() {
    var row = currentRow();
    if (!row) { return false; }
    row.querySelector("a.case-link").click();
    return true;
  }

  function siblingCase(step) {
    var stored = rememberedList();
    if (!stored || !stored.cases) { return false; }
    var index = stored.cases.indexOf(window.location.pathname);
    var target = stored.cases[index + step];
    if (index === -1 || !target) { return false; }
    window.location.assign(target);
    return true;
  }

  function openTab(formId) {
    var form = document.getElementById(formId);
    if (!form) { return null; }
    var tab = form.closest("details");
    if (tab) { tab.open = true; }
    return form;
  }

  function focusField(formId, selector) {
    var form = openTab(formId);
    var field = form ? form.querySelector(selector) : null;
    if (!field) { return false; }
    field.focus();
    field.scrollIntoView({ block: "nearest" });
    return true;
  }

  function focusMacros() {
    openTab("reply-form");
    var search = document.getElementById("macro-search");
    if (!search) { return false; }
    search.focus();
    search.scrollIntoView({ block: "nearest" });
    return true;
  }

  function focusSearch() {
    var box = document.querySelector("[data-testid=header-search]");
    if (!box) { return false; }
    box.focus();
    box.select();
    return true;
  }

  function openHelp() {
    var help = dialog();
    if (!help || help.open) { return false; }
    help.returnFocus = document.activeElement;
    help.showModal();
    return true;
  }

  function goInbox() {
    var help = dialog();
    if (!help || !help.dataset.inboxUrl) { return false; }
    window.location.assign(help.dataset.inboxUrl);
    return true;
  }

  var ACTIONS = {
    "j": function () { return moveRow(1); },
    "k": function () { return moveRow(-1); },
    "r": function () { return focusField("reply-form", "textarea[name=body]"); },
    "n": function () { return focusField("note-form", "textarea[name=body]"); },
    "m": focusMacros,
    "[": function () { return siblingCase(-1); },
    "]": function () { return siblingCase(1); },
    "/": focusSearch,
    "?": openHelp
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
    if (isTyping(event.target)) { return; }
    var help = dialog();
    if (help && help.open) { return; }  // the dialog handles Escape itself
    var key = event.key;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      if (key === "i" && goInbox()) { event.preventDefault(); }
      return;
    }
    pendingG = 0;
    if (key === "g") { pendingG = Date.now(); return; }
    if (key === "Enter") {
      // A focused control (a link, a button, a row's tick box) does its own thing;
      // with the focus elsewhere, the chosen row opens its case.
      var tag = event.target instanceof HTMLElement ? event.target.tagName : "";
      if (["A", "BUTTON", "SUMMARY", "INPUT"].indexOf(tag) === -1 && openRow()) { event.preventDefault(); }
      return;
    }
    var action = Object.prototype.hasOwnProperty.call(ACTIONS, key) ? ACTIONS[key] : null;
    if (action && action()) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var help = dialog();
    if (!help) { return; }
    var target = event.target;
    if (target.closest && target.closest("[data-shortcuts-open]")) { event.preventDefault(); openHelp(); }
    else if (target.closest && target.closest("[data-shortcuts-close]")) { help.close(); }
    else if (target === help) { help.close(); }  // a click on the backdrop
  });

  function wireDialog() {
    var help = dialog();
    if (!help || help.dataset.wired) { return; }
    help.dataset.wired = "1";
    help.addEventListener("close", function () {
      var back = help.returnFocus;
      help.returnFocus = null;
      if (back && typeof back.focus === "function" && document.contains(back)) { back.focus(); }
    });
  }

  // A click on a case of a list remembers that list too (not only the keyboard).
  document.addEventListener("DOMContentLoaded", function () { wireDialog(); rememberList(); });
  document.addEventListener("htmx:afterSettle", rememberList);
})();
