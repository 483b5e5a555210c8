/* Keyboard access to the menu of small screens (RGAA 7.3, 12.8). Material's menu button is a <label> for a
   hidden checkbox: out of the tab order and unnamed. Material's own script already clicks a focused label on
   Enter; this makes the label a named button, focusable, that also answers the Space key. */
(function () {
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector('.md-header label[for="__drawer"]');
  if (!toggle || !button) return;
  button.setAttribute("role", "button");
  button.setAttribute("tabindex", "0");
  button.setAttribute("aria-label", "Menu");
  var expanded = function () {
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
  };
  expanded();
  toggle.addEventListener("change", expanded);
  button.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      button.click();
    }
  });
})();
