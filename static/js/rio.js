// Progressive enhancement only: every page works without this file.
// After an htmx swap, move focus to what changed: the confirmation
// (data-rio-focus) or else the first field with an error, so keyboard and
// screen-reader users land on it. With an outerHTML swap the old target is
// gone, so look the new one up by its id.
document.addEventListener("htmx:afterSwap", function (event) {
  var id = event.detail.target && event.detail.target.id;
  var scope = (id && document.getElementById(id)) || document;
  var target =
    scope.querySelector("[data-rio-focus]") || scope.querySelector("[aria-invalid='true']");
  if (target) {
    target.focus();
  }
});
