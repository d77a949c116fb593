//! The pages a person sees in a real browser during a demo: the emulator's home, its login
//! page and its consent page. Plain HTML, everything user-supplied escaped.

use crate::emulator::Ctx;
use crate::emulator::authorize::Valid;
use crate::emulator::http::Reply;
use crate::emulator::org::{DEMO_PASSWORD, Org, User};
use crate::salesforce::scopes;

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f3f3f3;color:#181818;\
margin:0}main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.5rem;\
box-shadow:0 1px 4px #0003}h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}\
input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}\
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:#0b5cab;\
color:#fff;font-size:1rem}button.secondary{background:#fff;color:#0b5cab;border:1px solid #0b5cab}\
.note{font-size:.85rem;color:#555}.error{color:#ba0517}li{margin:.3rem 0}";

fn page(title: &str, body: String) -> Reply {
    Reply::html(
        200,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width\"><title>{title}</title><style>{STYLE}</style></head>\
             <body><main>{body}</main></body></html>",
            title = escape(title)
        ),
    )
    .with_header("Cache-Control", "no-store".into())
}

pub fn login(org: &Org, valid: &Valid, error: Option<&str>) -> Reply {
    let error = error.map_or(String::new(), |e| {
        format!("<p class=\"error\">{}</p>", escape(e))
    });
    let username = valid.login_hint.as_deref().unwrap_or_default();
    let users: String = org
        .users
        .iter()
        .filter(|u| u.active)
        .map(|u| format!("<li><code>{}</code></li>", escape(&u.username)))
        .collect();
    page(
        "Log in | eca-wizard emulator",
        format!(
            "<h1>Log in to {org}</h1>{error}\
             <form method=\"post\" action=\"/services/oauth2/authorize\">\
             <input type=\"hidden\" name=\"action\" value=\"login\">\
             <input type=\"hidden\" name=\"q\" value=\"{q}\">\
             <label for=\"username\">Username</label>\
             <input type=\"text\" id=\"username\" name=\"username\" value=\"{username}\" autofocus>\
             <label for=\"password\">Password</label>\
             <input type=\"password\" id=\"password\" name=\"password\">\
             <button type=\"submit\">Log In</button></form>\
             <p class=\"note\">This is the eca-wizard emulator, not Salesforce. Demo users \
             (password <code>{DEMO_PASSWORD}</code>):</p><ul class=\"note\">{users}</ul>",
            org = escape(&org.my_domain),
            q = escape(&valid.query),
            username = escape(username),
        ),
    )
}

pub fn consent(valid: &Valid, user: &User) -> Reply {
    let granted: String = scopes::labels_for(valid.scopes.iter().map(String::as_str))
        .iter()
        .map(|label| format!("<li>{}</li>", escape(label)))
        .collect();
    let app = if valid.app.label.is_empty() {
        &valid.app.api_name
    } else {
        &valid.app.label
    };
    let q = escape(&valid.query);
    let button = |action: &str, label: &str, class: &str| {
        format!(
            "<form method=\"post\" action=\"/services/oauth2/authorize\" style=\"display:inline\">\
             <input type=\"hidden\" name=\"action\" value=\"{action}\">\
             <input type=\"hidden\" name=\"q\" value=\"{q}\">\
             <button type=\"submit\" class=\"{class}\">{label}</button></form> "
        )
    };
    page(
        "Allow access? | eca-wizard emulator",
        format!(
            "<h1>Allow access?</h1><p><strong>{app}</strong> is asking to:</p><ul>{granted}</ul>\
             <p class=\"note\">Signed in as {user}.</p>{allow}{deny}",
            app = escape(app),
            user = escape(&user.username),
            allow = button("allow", "Allow", ""),
            deny = button("deny", "Deny", "secondary"),
        ),
    )
}

pub fn home(ctx: &Ctx) -> Reply {
    page(
        "eca-wizard emulator",
        format!(
            "<h1>eca-wizard emulator</h1><p>A local stand-in for Salesforce, for tests and demos.</p>\
             <p class=\"note\">Login host: <code>{}</code><br>My Domain: <code>{}</code><br>\
             Org: <code>{}</code></p>",
            escape(&ctx.urls.login),
            escape(&ctx.urls.my_domain),
            escape(&ctx.store.org.org_id),
        ),
    )
}

pub use crate::html::escape;
