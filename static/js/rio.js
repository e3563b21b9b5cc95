// Progressive enhancement only: every page works without this file.
// After an htmx swap, move focus to the first element marked data-rio-focus
// so keyboard and screen-reader users land on what changed.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target.querySelector("[data-rio-focus]");
  if (target) {
    target.focus();
  }
});
