//! `GET /admin/console.js`: the console's one script, served from our own origin (the
//! Content-Security-Policy allows `script-src 'self'` and nothing inline, no `eval`). Every page
//! works without it: the server checks what is saved. With it, expression fields are checked
//! as the admin types.
//!
//! **Adding the live check to a field** (the Claims page of an authorization server, a group
//! rule, anything that takes an expression) needs no code, only attributes on the `<textarea>`
//! or `<input>` (which must have an `id` and a `<label>`):
//!
//! - `data-expression="claim"` (an authorization server's claim value), `"groups-claim"` (an
//!   app's Groups claim expression) or `"group-rule"` (a rule's condition) picks the checker
//!   (`console::expressions`), the same one the save runs;
//! - `data-expression-when="name=value"` (optional) checks only while the form's field `name`
//!   has that value (a claim's Value is an expression only when its Value type is Expression);
//! - `data-app-id="{app id or client id}"` (optional, claims only) evaluates against that app;
//!   without it the Evaluate control asks for the application.
//!
//! The script then adds, after the field, an `aria-live="polite"` status (tied to the field by
//! `aria-describedby`) with the checker's message and the line and column of the fault, and an
//! **Evaluate for user** control that shows the value for a username. It reads the page's CSRF
//! token from the hidden `csrf` field every console page has (the Sign out form).
//!
//! A `<select>` with `data-picker="groups"` or `"clients"` (and an `id`) gets a **Find groups**
//! (or **Find clients**) search field that fills the list from `console::pickers`.
//!
//! On the System Log it adds a **Live tail** switch that polls the tail endpoint (see
//! `console::system_log`) and puts newer events on top of the table.

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

const SCRIPT: &str = r#""use strict";
(function () {
  var csrf = function () {
    var f = document.querySelector('input[name="csrf"]');
    return f ? f.value : "";
  };
  var post = function (path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  };
  var where = function (p) {
    return p ? " (line " + p.line + ", column " + p.column + ")" : "";
  };
  var element = function (tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    return e;
  };
  var describe = function (field, id) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (ids.indexOf(id) < 0) { ids.push(id); }
    field.setAttribute("aria-describedby", ids.join(" "));
  };
  // `data-expression-when="name=value"`: the field holds an expression only while the form's
  // field `name` has that value (a claim's Value is a group filter when its type is Groups).
  var condition = function (field) {
    var when = (field.getAttribute("data-expression-when") || "").split("=");
    var other = when.length === 2 && field.form ? field.form.elements.namedItem(when[0]) : null;
    return other ? { other: other, value: when[1] } : null;
  };
  var live = function (field, context, status) {
    var timer = null;
    var asked = 0;
    var when = condition(field);
    var check = function () {
      var mine = ++asked;
      if (when && when.other.value !== when.value) {
        status.textContent = "";
        status.className = "expression-check";
        field.removeAttribute("aria-invalid");
        return;
      }
      post("/admin/expressions/check", { context: context, expression: field.value })
        .then(function (a) {
          if (mine !== asked) { return; }
          status.textContent = a.ok ? "" : a.message + where(a.position);
          status.className = a.ok ? "expression-check" : "expression-check error";
          if (a.ok) { field.removeAttribute("aria-invalid"); } else { field.setAttribute("aria-invalid", "true"); }
        })
        .catch(function () { status.textContent = "The expression could not be checked now."; });
    };
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    if (when) { when.other.addEventListener("change", check); }
    // A stored expression is checked as the page opens, so a fault is seen before any typing.
    if (field.value.trim() !== "") { check(); }
  };
  var input = function (box, id, words) {
    box.appendChild(element("label", { for: id }, words));
    var i = element("input", { type: "text", id: id, autocomplete: "off" });
    box.appendChild(i);
    return i;
  };
  var evaluator = function (field, context, id) {
    var box = element("div", { class: "evaluate" }, "");
    var user = input(box, id + "-user", "User to evaluate for");
    var app = null;
    if (context !== "group-rule" && !field.getAttribute("data-app-id")) {
      app = input(box, id + "-app", "Application to evaluate for");
    }
    var button = element("button", { type: "button" }, "Evaluate for user");
    var out = element("pre", { id: id + "-value", class: "evaluate-value", role: "status", "aria-live": "polite" }, "");
    box.appendChild(button);
    box.appendChild(out);
    var run = function () {
      post("/admin/expressions/evaluate", {
        context: context,
        expression: field.value,
        login: user.value,
        app: app ? app.value : field.getAttribute("data-app-id")
      }).then(function (a) {
        if (a.ok === undefined) { out.textContent = a.errorSummary || "Not allowed."; return; }
        out.textContent = a.ok ? "Value: " + JSON.stringify(a.value, null, 2) : a.message + where(a.position);
      }).catch(function () { out.textContent = "The expression could not be evaluated now."; });
    };
    button.addEventListener("click", run);
    [user, app].forEach(function (i) {
      if (i) {
        i.addEventListener("keydown", function (e) {
          if (e.key === "Enter") { e.preventDefault(); run(); }
        });
      }
    });
    return box;
  };
  var setup = function (field) {
    var context = field.getAttribute("data-expression");
    var status = element("p", { id: field.id + "-check", class: "expression-check", role: "status", "aria-live": "polite" }, "");
    field.insertAdjacentElement("afterend", status);
    describe(field, status.id);
    live(field, context, status);
    status.insertAdjacentElement("afterend", evaluator(field, context, field.id));
  };
  document.querySelectorAll("[data-expression][id]").forEach(setup);

  // A long pick list (`<select data-picker="groups">` or `"clients"`) renders only its first
  // choices: a Find field after it asks `/admin/pickers/{kind}?q=` for those whose name starts
  // with what is typed and puts them in the list in place of the choices not selected.
  var picker = function (select) {
    var kind = select.getAttribute("data-picker");
    var id = select.id + "-find";
    var box = element("div", { class: "picker" }, "");
    box.appendChild(element("label", { for: id }, kind === "groups" ? "Find groups" : "Find clients"));
    var find = element("input", { type: "search", id: id, autocomplete: "off", "aria-controls": select.id });
    var status = element("p", { id: id + "-status", class: "hint", role: "status", "aria-live": "polite" }, "");
    box.appendChild(find);
    box.appendChild(status);
    describe(find, status.id);
    select.insertAdjacentElement("afterend", box);
    var asked = 0;
    var timer = null;
    var show = function (answer) {
      Array.prototype.slice.call(select.options).forEach(function (o) { if (!o.selected) { o.remove(); } });
      var have = {};
      Array.prototype.forEach.call(select.options, function (o) { have[o.value] = true; });
      answer.options.forEach(function (c) {
        if (!have[c.value]) { select.appendChild(new Option(c.label, c.value)); }
      });
      var n = answer.options.length;
      status.textContent = n === 0 ? "None found." : answer.more ? "The first " + n + " found; type more to narrow." : n + " found.";
    };
    var search = function () {
      var mine = ++asked;
      fetch("/admin/pickers/" + kind + "?q=" + encodeURIComponent(find.value), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (a) { if (mine === asked) { show(a); } })
        .catch(function () { if (mine === asked) { status.textContent = "The list could not be searched now."; } });
    };
    find.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    find.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(); }
    });
  };
  document.querySelectorAll("select[data-picker][id]").forEach(picker);

  // The System Log's live tail: its "Show newer events" link carries, in `data-tail`, the
  // address of the events after the newest one shown; while "Live tail" is on, that address
  // is polled and the new rows go on top of the table.
  var tail = function (link) {
    var box = element("p", { class: "live-tail" }, "");
    var toggle = element("input", { type: "checkbox", id: "live-tail" });
    box.appendChild(toggle);
    box.appendChild(element("label", { for: "live-tail" }, "Live tail"));
    var status = element("p", { id: "live-tail-status", role: "status", "aria-live": "polite" }, "");
    link.parentNode.insertAdjacentElement("beforebegin", box);
    box.insertAdjacentElement("afterend", status);
    var moveTo = function (cursor) {
      var next = new URL(link.getAttribute("data-tail"), location.href);
      next.searchParams.set("after", cursor);
      link.setAttribute("data-tail", next.pathname + next.search);
      var page = new URL(link.href);
      page.searchParams.set("newer", cursor);
      link.href = page.pathname + page.search;
    };
    var show = function (rows) {
      var body = document.querySelector("table.log tbody");
      if (!body) { location.href = link.href; return; }
      rows.forEach(function (row, i) { body.insertBefore(document.importNode(row, true), body.rows[i] || null); });
      status.textContent = rows.length + (rows.length === 1 ? " new event" : " new events");
    };
    var poll = function () {
      fetch(link.getAttribute("data-tail"), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
        .then(function (text) {
          var fresh = new DOMParser().parseFromString("<table>" + text + "</table>", "text/html").querySelector("tbody");
          if (!fresh) { return; }
          moveTo(fresh.getAttribute("data-cursor"));
          var rows = Array.prototype.slice.call(fresh.rows);
          if (rows.length) { show(rows); }
        })
        .catch(function () { status.textContent = "Newer events could not be fetched now."; });
    };
    var timer = null;
    toggle.addEventListener("change", function () {
      clearInterval(timer);
      if (toggle.checked) { poll(); timer = setInterval(poll, 2000); }
      status.textContent = toggle.checked ? "Live tail on." : "Live tail off.";
    });
  };
  var newer = document.querySelector("a[data-tail]");
  if (newer) { tail(newer); }
})();
"#;

/// `GET /admin/console.js`.
pub async fn script() -> Response {
    let mut r = SCRIPT.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}
