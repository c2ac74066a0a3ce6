// The warning before the session ends (issue 25, item 2). The page says how many seconds the
// session had left when it was made (#sessie, data-seconden); two minutes before the end a
// message appears, is read out (aria-live) and takes the focus, with "Aangemeld blijven", which
// starts the idle time again. Before warning, the server is asked again (another tab may have
// used the session). After the end the message says that a form sent now is kept.
(function () {
  "use strict";
  var WARN = 120; // seconds before the end
  var timer = null;
  var deadline = 0;

  function box() { return document.getElementById("sessie"); }
  function text(t) { var p = document.getElementById("sessie-tekst"); if (p) { p.textContent = t; } }
  function minutes(s) { var m = Math.max(1, Math.round(s / 60)); return m === 1 ? "1 minuut" : m + " minuten"; }

  function schedule(seconds) {
    if (timer) { clearTimeout(timer); }
    deadline = Date.now() + seconds * 1000;
    var wait = Math.max(0, seconds - WARN) * 1000;
    timer = setTimeout(check, wait);
  }

  function ask(then) {
    fetch("/sessie", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (d) { then(d.seconden); })
      .catch(function () { then(Math.round((deadline - Date.now()) / 1000)); });
  }

  function check() {
    ask(function (seconds) {
      if (seconds > WARN) { hide(); schedule(seconds); return; }
      deadline = Date.now() + seconds * 1000;
      show(seconds);
    });
  }

  function show(seconds) {
    var b = box();
    if (!b) { return; }
    var first = b.hidden;
    b.hidden = false;
    if (seconds <= 0) {
      text("Uw sessie is verlopen. Wat u nu verstuurt, wordt bewaard en na opnieuw aanmelden aangeboden.");
      document.getElementById("sessie-blijven").hidden = true;
      return;
    }
    text("Uw sessie verloopt over " + minutes(seconds) + ". Wilt u aangemeld blijven? Wat u invulde blijft staan.");
    if (first) { document.getElementById("sessie-blijven").focus(); }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { show(Math.round((deadline - Date.now()) / 1000)); },
      Math.min(30000, Math.max(1000, (deadline - Date.now()))));
  }

  function hide() { var b = box(); if (b) { b.hidden = true; } }

  function stay() {
    var b = box();
    var body = new URLSearchParams();
    body.set("csrf", b.getAttribute("data-csrf"));
    fetch("/sessie/verlengen", { method: "POST", credentials: "same-origin", body: body })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (d) {
        text("U blijft aangemeld.");
        setTimeout(hide, 1500);
        schedule(d.seconden);
      })
      .catch(function () { show(0); });
  }

  function start() {
    var b = box();
    if (!b) { return; }
    var button = document.getElementById("sessie-blijven");
    if (button) { button.hidden = false; }
    if (button && !button.dataset.bound) { button.dataset.bound = "1"; button.addEventListener("click", stay); }
    schedule(parseInt(b.getAttribute("data-seconden"), 10) || 0);
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", start); // a boosted page brings a new #sessie
})();
