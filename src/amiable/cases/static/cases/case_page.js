/* The case page: keep the latest messages in view above the composer, and keep
   what the agent types in a draft (localStorage) until the reply is sent. */
(function () {
  "use strict";

  function scrollConversation(root) {
    var box = root.querySelector(".case-conversation");
    if (box) { box.scrollTop = box.scrollHeight; }
  }

  function draftFields(form) {
    return form.querySelectorAll("textarea[name], input[type=text][name], input[type=email][name]");
  }

  function restoreDraft(form) {
    var key = form.dataset.draftKey;
    var stored = key && window.localStorage.getItem(key);
    if (!stored) { return; }
    var values;
    try { values = JSON.parse(stored); } catch (error) { return; }
    draftFields(form).forEach(function (field) {
      // Text the server sent back (a failed send) wins over an older draft.
      if (!field.value && values[field.name]) { field.value = values[field.name]; }
    });
  }

  function saveDraft(form) {
    var key = form.dataset.draftKey;
    if (!key) { return; }
    var values = {};
    var empty = true;
    draftFields(form).forEach(function (field) {
      if (field.value) { values[field.name] = field.value; empty = false; }
    });
    if (empty) { window.localStorage.removeItem(key); }
    else { window.localStorage.setItem(key, JSON.stringify(values)); }
  }

  function wire(root) {
    scrollConversation(root);
    // The server marks the drafts of the action that just went through.
    root.querySelectorAll("[data-done-draft]").forEach(function (element) {
      window.localStorage.removeItem(element.dataset.doneDraft);
    });
    root.querySelectorAll("form[data-draft-key]:not([data-draft-wired])").forEach(function (form) {
      form.dataset.draftWired = "1";
      restoreDraft(form);
      form.addEventListener("input", function () { saveDraft(form); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    // A live poll (live.js) settles every few seconds: leave the scroll alone.
    var source = event.detail && event.detail.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-live-poll")) { return; }
    wire(document);
  });
  window.amiableDraftSave = saveDraft;
})();
