//! `GET /admin/console.css`: the console's one stylesheet, served from our own origin so the
//! Content-Security-Policy needs no inline style. Colours meet WCAG 2.2 AA in both colour
//! schemes; every control is at least 44 px tall; the layout works from 320 px wide.

use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

const STYLESHEET: &str = "*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;background:#f3f4f6;color:#111827}
a{color:#1d4ed8}:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;padding:.5rem;background:#fff}.skip:focus{left:.5rem}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #d1d5db}
header .brand{margin:0;font-weight:700}header .brand span{font-weight:400;color:#374151}
header nav ul{list-style:none;margin:0;padding:0;display:flex;gap:.5rem;align-items:center;color:#374151}
header nav ul ul{display:inline-flex}header nav a{display:inline-block;padding:.6rem .5rem;font-weight:600}
header .who{margin:0 0 0 auto;color:#374151;overflow-wrap:anywhere}
main{max-width:64rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:0 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
label,legend{display:block;font-weight:600;margin:1rem 0 .25rem}fieldset{border:1px solid #d1d5db;border-radius:.4rem;margin:1rem 0;padding:0 1rem 1rem}
fieldset label.choice{display:flex;align-items:center;gap:.5rem;font-weight:400;margin:.25rem 0;min-height:2.75rem}
input,select,textarea{font:inherit;color:inherit;background:#fff;border:1px solid #6b7280;border-radius:.4rem;padding:.6rem .75rem;min-height:2.75rem;max-width:100%}
input[type=radio]{min-height:0;width:1.25rem;height:1.25rem}
input[type=text],input[type=search],textarea{width:100%}textarea{font-family:ui-monospace,monospace;min-height:10rem}
[aria-invalid=true]{border-color:#b91c1c}
button,a.button{display:inline-block;font:inherit;font-weight:600;border-radius:.4rem;cursor:pointer;padding:.6rem 1rem;min-height:2.75rem;border:1px solid #1d4ed8;background:#fff;color:#1d4ed8;text-decoration:none}
button.primary{background:#1d4ed8;color:#fff}button.primary:hover{background:#1e40af}
button:disabled{cursor:not-allowed;background:#e5e7eb;color:#374151;border-color:#6b7280}
.actions{display:flex;gap:.75rem;margin-top:1rem;flex-wrap:wrap}
.error{white-space:pre-wrap;padding:.75rem;border-radius:.4rem;background:#fef2f2;color:#991b1b;border:1px solid #fecaca}
.notice{padding:.75rem;border-radius:.4rem;background:#ecfdf5;color:#065f46;border:1px solid #a7f3d0}
#claim-error{font-family:ui-monospace,monospace;overflow-x:auto}
.tabs{display:flex;gap:.25rem;border-bottom:1px solid #d1d5db;margin:0 0 1rem;padding:0;list-style:none}
.tabs a{display:inline-block;padding:.6rem 1rem;text-decoration:none;font-weight:600}
.tabs a[aria-current=page]{border-bottom:3px solid #1d4ed8;color:#111827}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.6rem .5rem;border-bottom:1px solid #e5e7eb;overflow-wrap:anywhere}
td a{display:inline-block;padding:.35rem 0}form.inline{display:inline-block;margin:0 .4rem .2rem 0}
dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.5rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
dd ul{margin:0;padding-left:1.2rem}code{overflow-wrap:anywhere}
form.search{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}form.search label{margin:0 0 .25rem}form.search div{flex:1 1 14rem}
@media (max-width:40rem){main{margin:0;border-radius:0;box-shadow:none;padding:1rem}dl{grid-template-columns:1fr}header .who{margin:0}}
@media (prefers-color-scheme:dark){body{background:#111827;color:#f9fafb}header,main{background:#1f2937}header{border-color:#4b5563}
header .brand span,header nav ul,header .who{color:#d1d5db}a,.tabs a{color:#93c5fd}:focus-visible{outline-color:#93c5fd}
.tabs a[aria-current=page]{color:#f9fafb;border-color:#93c5fd}.skip{background:#1f2937}
input,select,textarea{background:#111827;border-color:#9ca3af}[aria-invalid=true]{border-color:#f87171}
button,a.button{background:#111827;color:#93c5fd;border-color:#93c5fd}button.primary{background:#1d4ed8;color:#fff;border-color:#93c5fd}
button:disabled{background:#374151;color:#e5e7eb;border-color:#9ca3af}th,td{border-color:#374151}fieldset{border-color:#4b5563}
.error{background:#450a0a;color:#fecaca;border-color:#7f1d1d}.notice{background:#022c22;color:#a7f3d0;border-color:#065f46}}
.table-scroll{overflow-x:auto;max-width:100%}.table-scroll table{min-width:34rem}input[type=password],select{width:100%}.hint{margin:0 0 .25rem}
header nav>ul{flex-wrap:wrap}.muted{color:#4b5563}ul.plain{margin:0;padding-left:1rem}details pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem}
@media (max-width:40rem){table.log thead{display:none}table.log tr,table.log td{display:block}table.log tr{border-bottom:1px solid #9ca3af;padding:.5rem 0}table.log td{border:0;padding:.2rem 0}table.log td::before{content:attr(data-label);display:block;font-weight:600}}
@media (prefers-color-scheme:dark){.muted{color:#d1d5db}}
.tabs,header nav ul{flex-wrap:wrap}input[type=checkbox]{min-height:0;width:1.25rem;height:1.25rem;flex:none}
.expression-check{font-family:ui-monospace,monospace;margin:.5rem 0}
.evaluate{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:flex-end}.evaluate label{flex-basis:100%;margin-bottom:0}
.evaluate input{flex:1 1 12rem}.evaluate pre{flex-basis:100%;white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
pre{overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.error{overflow-wrap:anywhere}
";

/// `GET /admin/console.css`.
pub async fn stylesheet() -> Response {
    let mut r = STYLESHEET.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r
}
