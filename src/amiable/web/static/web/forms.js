// Small behaviours of forms, kept out of the HTML: the Content-Security-Policy
// refuses inline script (onchange="…"), so pages mark elements instead.
// data-autosubmit: a change of the control submits its form.
document.addEventListener("change", function (event) {
  var control = event.target;
  if (control instanceof HTMLElement && control.hasAttribute("data-autosubmit") && control.form) {
    control.form.requestSubmit ? control.form.requestSubmit() : control.form.submit();
  }
});
