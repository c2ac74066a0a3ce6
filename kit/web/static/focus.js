// After an action the page's status or error message gets the keyboard focus, so a screen
// reader reads what happened and the next Tab starts there (WCAG 2.4.3, 4.1.3). Works after a
// full page load and after htmx swapped a page in (boosted links and forms).
(function () {
  "use strict";
  function focusMessage() {
    var message = document.getElementById("melding");
    if (message) {
      message.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", focusMessage);
  document.addEventListener("htmx:afterSettle", focusMessage);
})();
